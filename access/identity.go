package access

import (
	"context"

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

// WithRequest attaches where a call came from.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns where a call came from.
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
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
