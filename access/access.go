// Package access decides who may do what. Every domain operation asks its
// Policy before acting, so that there is one place to answer "may this
// caller do this?".
package access

import (
	"context"

	"github.com/google/uuid"
)

// Action is something a caller asks to do.
type Action string

// Directory actions.
const (
	ReadDirectory       Action = "directory.read"
	CreateOrganisation  Action = "organisation.create"
	EditOrganisation    Action = "organisation.edit"
	ArchiveOrganisation Action = "organisation.archive"
	CreateService       Action = "service.create"
	EditService         Action = "service.edit"
	ArchiveService      Action = "service.archive"
	VerifyService       Action = "service.verify"
	// MatchServices ranks services for a profile.
	MatchServices Action = "service.match"

	ManageAccounts Action = "account.manage"
	ReadTeams      Action = "team.read"
	ManageTeams    Action = "team.manage"
	ManageTokens   Action = "token.manage"
	ReadAudit      Action = "audit.read"
	SignIn         Action = "session.login"
	SignOut        Action = "session.logout"
	// ManageTwoFactor is an administrator turning their own TOTP
	// two-factor sign-in on or off.
	ManageTwoFactor Action = "account.totp"

	// Casework, designed now so that it slots in: clients belong to a team;
	// referrals are sent to a service of an organisation.
	ReadClient     Action = "client.read"
	EditClient     Action = "client.edit"
	ReadReferral   Action = "referral.read"
	AnswerReferral Action = "referral.answer"
	// ReadReports reads anonymised casework reports: administrators for
	// any team, link workers for their own.
	ReadReports Action = "report.read"
)

// Resource is what an action is applied to. OrganisationID is the owning
// organisation, which partner rules will depend on.
type Resource struct {
	Kind           string
	ID             uuid.UUID
	OrganisationID uuid.UUID
	// TeamID is the team that owns a client (casework).
	TeamID uuid.UUID
	// Reason is why an admin looks at a client's record; required, and
	// checked by CheckReason.
	Reason string
}

// Policy answers whether the caller in ctx may perform an action; it
// returns nil or an error wrapping fault.Unauthenticated or fault.Forbidden.
type Policy interface {
	Authorize(ctx context.Context, action Action, r Resource) error
}

// Open lets every caller do everything. It is the policy until accounts and
// roles exist; the directory already asks it for every operation.
type Open struct{}

// Authorize always allows.
func (Open) Authorize(context.Context, Action, Resource) error { return nil }
