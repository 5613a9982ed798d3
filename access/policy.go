package access

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// RolePolicy is Signpost's access policy:
//
//   - Everyone, signed in or not, reads listed directory entries and ranks
//     services for an ad-hoc profile (nothing about the person is kept).
//   - ADMIN curates the whole directory (creates and archives
//     organisations), manages accounts, teams and tokens, and reads the
//     audit trail.
//   - PARTNER (a person, or a system with its organisation's API token)
//     edits its own organisation's details and services: create, update,
//     archive (withdraw) and verify them. It manages its organisation's
//     tokens when signed in as a person.
//   - LINK_WORKER reads the directory and, with casework, the clients of
//     the teams it belongs to.
//   - Casework rules: a client is visible to link workers of its team, and
//     to admins who state a reason; a referral is visible to its client's
//     team and to the partner organisation it was sent to, which answers it.
//
// Every decision other than public reads is written to the audit trail,
// allowed or denied; if the trail cannot be written, the action is refused.
type RolePolicy struct {
	st  *store.Store
	log *slog.Logger
}

// NewRolePolicy returns the policy, auditing to st.
func NewRolePolicy(st *store.Store, log *slog.Logger) *RolePolicy {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RolePolicy{st: st, log: log}
}

func public(a Action) bool { return a == ReadDirectory || a == MatchServices }

// Authorize decides and records the decision.
func (p *RolePolicy) Authorize(ctx context.Context, a Action, r Resource) error {
	if public(a) {
		return nil
	}
	id := IdentityFrom(ctx)
	err := Decide(id, a, r)
	reason := strings.TrimSpace(r.Reason) // an administrator's reason for looking at a client
	if err != nil {
		reason = err.Error()
	}
	if aerr := p.Record(ctx, a, r.Kind, objectID(r), err == nil, reason); aerr != nil {
		p.log.ErrorContext(ctx, "writing the audit trail", "err", aerr)
		return fmt.Errorf("audit trail unavailable: %w", aerr)
	}
	return err
}

func objectID(r Resource) string {
	switch {
	case r.ID != uuid.Nil:
		return r.ID.String()
	case r.OrganisationID != uuid.Nil:
		return r.OrganisationID.String()
	}
	return ""
}

// Record appends an entry to the audit trail for the caller in ctx. Of
// an anonymous caller's refusals in one request (see WithRequest) only the
// first is written: the others are counted, so that one request of many
// refused fields cannot flood the trail; the count is logged when the
// request ends. A signed-in caller's refusals are all written: what a
// known account probed is what an investigation needs, and the request
// limits bound how many one request can make.
func (p *RolePolicy) Record(ctx context.Context, a Action, objectType, objectID string, allowed bool, reason string) error {
	if !allowed && IdentityFrom(ctx).Kind == Anonymous && !p.firstRefusal(ctx) {
		return nil
	}
	id := IdentityFrom(ctx)
	req := RequestFrom(ctx)
	e := &store.AuditEntry{ActorKind: string(id.Kind), Actor: id.Label, Action: string(a), ObjectType: objectType,
		ObjectID: objectID, Outcome: "denied", Reason: reason, Address: req.Address, UserAgent: truncate(req.UserAgent, 300),
		RequestID: req.RequestID}
	if allowed {
		e.Outcome = "allowed"
	}
	if id.Kind != Anonymous {
		aid := id.AccountID
		e.ActorID = &aid
	}
	return p.st.AppendAudit(ctx, e)
}

// firstRefusal reports whether this is the request's first refusal; for
// later ones it counts them, and logs the count once the request ends.
func (p *RolePolicy) firstRefusal(ctx context.Context) bool {
	rec, _ := ctx.Value(requestKey{}).(*requestRecord)
	if rec == nil {
		return true // no request (the command line, tests): record all
	}
	first, later := rec.refused()
	if later == 1 {
		context.AfterFunc(ctx, func() {
			p.log.WarnContext(context.WithoutCancel(ctx), "refusals not written to the audit trail",
				"request_id", rec.req.RequestID, "count", rec.unrecorded())
		})
	}
	return first
}

// Reasons an administrator gives for reading a client's record.
const (
	MinReasonLength = 10
	MaxReasonLength = 500
)

// CheckReason checks an administrator's reason for reading a client's
// record: it is kept in the audit trail, so it must say something.
func CheckReason(reason string) error {
	r := strings.TrimSpace(reason)
	n := utf8.RuneCountInString(r)
	switch {
	case n < MinReasonLength:
		return fault.InvalidField("reason", "say why you need this record, in at least %d characters", MinReasonLength)
	case n > MaxReasonLength:
		return fault.InvalidField("reason", "must be at most %d characters", MaxReasonLength)
	case strings.IndexFunc(r, func(c rune) bool { return bounds.Control(c) || bounds.Invisible(c) }) >= 0:
		return fault.InvalidField("reason", "must not contain control or invisible formatting characters")
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

var (
	errSignIn    = fmt.Errorf("sign in to do this: %w", fault.Unauthenticated)
	errForbidden = fmt.Errorf("your role may not do this: %w", fault.Forbidden)
)

// Decide applies the rules without recording anything.
func Decide(id *Identity, a Action, r Resource) error {
	if public(a) {
		return nil
	}
	if id.Kind == Anonymous {
		if a == SignIn {
			return nil
		}
		return errSignIn
	}
	admin := id.Role == RoleAdmin
	partnerOf := id.Partner(r.OrganisationID)
	switch a {
	case SignIn, SignOut:
		return nil
	case CreateOrganisation, ArchiveOrganisation, ManageAccounts, ManageTeams, ReadAudit:
		if admin {
			return nil
		}
	case EditOrganisation, CreateService, EditService, ArchiveService, VerifyService:
		if admin || partnerOf {
			return nil
		}
	case ReadTeams:
		if admin || id.Role == RoleLinkWorker {
			return nil
		}
	case ManageTokens:
		// Tokens are managed by people, not by other tokens.
		if id.Kind == ByAccount && (admin || partnerOf) {
			return nil
		}
	case ReadClient, EditClient:
		if id.Role == RoleLinkWorker && id.InTeam(r.TeamID) {
			return nil
		}
		if admin && r.Reason != "" {
			return CheckReason(r.Reason)
		}
	case ReadReferral:
		if partnerOf || id.Role == RoleLinkWorker && id.InTeam(r.TeamID) {
			return nil
		}
		if admin && r.Reason != "" {
			return CheckReason(r.Reason)
		}
	case ManageTwoFactor:
		// People, not tokens, and for now administrators.
		if id.Kind == ByAccount && admin {
			return nil
		}
	case AnswerReferral:
		if partnerOf {
			return nil
		}
	case ReadReports:
		if admin || id.Role == RoleLinkWorker && (r.TeamID == uuid.Nil || id.InTeam(r.TeamID)) {
			return nil
		}
	}
	return errForbidden
}
