package access

import (
	"context"
	"sync"

	"github.com/google/uuid"
)

// Role is what an account is for.
type Role string

// Roles.
const (
	RoleAdmin      Role = "ADMIN"
	RoleLinkWorker Role = "LINK_WORKER"
	RolePartner    Role = "PARTNER"
)

// Kind says how a caller proved who they are.
type Kind string

// Kinds of caller.
const (
	Anonymous Kind = "anonymous"
	ByAccount Kind = "account" // a browser session
	ByToken   Kind = "token"   // a partner API token
)

// Identity is who is asking.
type Identity struct {
	Kind           Kind
	AccountID      uuid.UUID // for sessions; the token's id for tokens
	Label          string    // e-mail, or the token's name
	Role           Role
	OrganisationID *uuid.UUID // partners: their organisation
	Teams          []uuid.UUID
}

// Request is where a call came from, for the audit trail.
type Request struct {
	Address   string
	UserAgent string
	RequestID string
}

type identityKey struct{}
type requestKey struct{}

var anonymous = &Identity{Kind: Anonymous}

// WithIdentity attaches the caller to ctx.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the caller, anonymous when none.
func IdentityFrom(ctx context.Context) *Identity {
	if id, ok := ctx.Value(identityKey{}).(*Identity); ok && id != nil {
		return id
	}
	return anonymous
}

// requestRecord is one request's facts and what the audit trail has
// seen of it.
type requestRecord struct {
	req      Request
	mu       sync.Mutex
	refusals int
}

// refused counts a refusal, reporting whether it is the first and how
// many came after the first (this one included).
func (r *requestRecord) refused() (first bool, later int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refusals++
	return r.refusals == 1, r.refusals - 1
}

// unrecorded is how many refusals after the first the request had.
func (r *requestRecord) unrecorded() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return max(r.refusals-1, 0)
}

// WithRequest attaches where a call came from, and starts the request's
// record: the audit trail writes only its first refusal.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, &requestRecord{req: r})
}

// RequestFrom returns where a call came from.
func RequestFrom(ctx context.Context) Request {
	if rec, ok := ctx.Value(requestKey{}).(*requestRecord); ok {
		return rec.req
	}
	return Request{}
}

// UnrecordedRefusals is how many refusals in the request in ctx were
// counted but not written to the audit trail (all but the first).
func UnrecordedRefusals(ctx context.Context) int {
	if rec, ok := ctx.Value(requestKey{}).(*requestRecord); ok {
		return rec.unrecorded()
	}
	return 0
}

// Partner reports whether the caller speaks for the organisation.
func (id *Identity) Partner(org uuid.UUID) bool {
	return id.Role == RolePartner && id.OrganisationID != nil && *id.OrganisationID == org
}

// InTeam reports whether the caller belongs to the team.
func (id *Identity) InTeam(team uuid.UUID) bool {
	for _, t := range id.Teams {
		if t == team {
			return true
		}
	}
	return false
}
