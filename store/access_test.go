package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestAccounts(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	bo := newAccount(t, st, "bo@test.example")
	ada := newAccount(t, st, "Ada@test.example")

	t.Run("by e-mail, case ignored", func(t *testing.T) {
		got, err := st.AccountByEmail(ctx, "ADA@test.example")
		if err != nil || got.ID != ada.ID {
			t.Fatalf("AccountByEmail = %+v, %v", got, err)
		}
	})
	t.Run("listed by e-mail", func(t *testing.T) {
		all, err := st.Accounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(all, func(a store.Account) string { return a.Email }); !slices.Equal(got, []string{ada.Email, bo.Email}) {
			t.Fatalf("order %q", got)
		}
	})
	t.Run("update with the version guard", func(t *testing.T) {
		checkVersionGuard(t, func(expected int) error {
			edit := *bo
			edit.Name = "Bo Renamed"
			return st.UpdateAccount(ctx, &edit, expected)
		}, func() error {
			missing := *bo
			missing.ID = newID()
			return st.UpdateAccount(ctx, &missing, 1)
		})
	})
}

func TestTeams(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	south, north := newTeam(t, st, "South"), newTeam(t, st, "North")
	ada := newAccount(t, st, "ada@test.example")
	must(t, st.AddTeamMember(ctx, south.ID, ada.ID))

	t.Run("all by name, or those of an account", func(t *testing.T) {
		all, err := st.Teams(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(all, func(tm store.Team) string { return tm.Name }); !slices.Equal(got, []string{north.Name, south.Name}) {
			t.Fatalf("order %q", got)
		}
		mine, err := st.Teams(ctx, &ada.ID)
		if err != nil || len(mine) != 1 || mine[0].ID != south.ID {
			t.Fatalf("Teams(ada) = %+v, %v", mine, err)
		}
	})
	t.Run("members come and go", func(t *testing.T) {
		if _, err := st.TeamMember(ctx, south.ID, ada.ID); err != nil {
			t.Fatalf("TeamMember: %v", err)
		}
		must(t, st.RemoveTeamMember(ctx, south.ID, ada.ID))
		members, err := st.TeamMembers(ctx, south.ID)
		if err != nil || len(members) != 0 {
			t.Fatalf("TeamMembers after removal = %+v, %v", members, err)
		}
	})
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	ada := newAccount(t, st, "ada@test.example")
	now := time.Now().UTC().Truncate(time.Second)
	s := &store.Session{TokenHash: "h1", AccountID: ada.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, st.InsertSession(ctx, s))

	got, err := st.SessionByHash(ctx, "h1")
	if err != nil || got.AccountID != ada.ID {
		t.Fatalf("SessionByHash = %+v, %v", got, err)
	}
	must(t, st.DeleteSessionsOf(ctx, ada.ID))
	if _, err := st.SessionByHash(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after DeleteSessionsOf: %v, want ErrNotFound", err)
	}
}
