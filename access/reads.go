package access

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// Reads of accounts and teams reached through other objects (a client's
// team and link worker, an account's teams) or by global id (node(id:)).

// VisibleAccount returns an account to whoever may see it by id: an
// administrator, or the account itself. To anyone else it is nil, as a
// missing one is, so that node(id:) does not tell them apart.
func (s *Service) VisibleAccount(ctx context.Context, id uuid.UUID) (*store.Account, error) {
	who := IdentityFrom(ctx)
	if who.Role != RoleAdmin && (who.Kind != ByAccount || who.AccountID != id) {
		return nil, nil
	}
	return nilIfNotFound(s.st.AccountByID(ctx, id))
}

// VisibleTeam returns a team to an administrator or one of its members;
// to anyone else it is nil, as a missing one is.
func (s *Service) VisibleTeam(ctx context.Context, id uuid.UUID) (*store.Team, error) {
	who := IdentityFrom(ctx)
	if who.Role != RoleAdmin && !who.InTeam(id) {
		return nil, nil
	}
	return nilIfNotFound(s.st.TeamByID(ctx, id))
}

// Team returns the team of an object the caller has already been allowed
// to read (a client).
func (s *Service) Team(ctx context.Context, id uuid.UUID) (*store.Team, error) {
	return s.st.TeamByID(ctx, id)
}

// AccountTeams lists the teams an account works in: only link workers
// belong to teams.
func (s *Service) AccountTeams(ctx context.Context, a *store.Account) ([]store.Team, error) {
	if Role(a.Role) != RoleLinkWorker {
		return []store.Team{}, nil
	}
	return s.st.Teams(ctx, &a.ID)
}

// LinkWorker returns the link worker id names, or nil when there is none:
// only a link worker is ever shown as one, whatever an old record holds.
func (s *Service) LinkWorker(ctx context.Context, id *uuid.UUID) (*store.Account, error) {
	if id == nil {
		return nil, nil
	}
	a, err := nilIfNotFound(s.st.AccountByID(ctx, *id))
	if err != nil || a == nil || Role(a.Role) != RoleLinkWorker {
		return nil, err
	}
	return a, nil
}

// TeamMembers lists a team's members, for administrators only.
func (s *Service) TeamMembers(ctx context.Context, team uuid.UUID) ([]store.Account, error) {
	if IdentityFrom(ctx).Role != RoleAdmin {
		return nil, fmt.Errorf("only administrators see team members: %w", fault.Forbidden)
	}
	return s.st.TeamMembers(ctx, team)
}

// nilIfNotFound turns a missing row into a nil result.
func nilIfNotFound[T any](v *T, err error) (*T, error) {
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}
