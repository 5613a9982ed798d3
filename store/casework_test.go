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

func TestClients(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	team := newTeam(t, st, "North")
	c := newClient(t, st, team.ID)

	t.Run("insert then read", func(t *testing.T) {
		got, err := st.ClientByID(ctx, c.ID)
		if err != nil || got.TeamID != team.ID || got.Status != "OPEN" || got.Version != 1 {
			t.Fatalf("ClientByID = %+v, %v", got, err)
		}
	})
	t.Run("update with the version guard", func(t *testing.T) {
		checkVersionGuard(t, func(expected int) error {
			edit := *c
			edit.Status = "ON_HOLD"
			return st.UpdateClient(ctx, &edit, expected)
		}, func() error {
			missing := *c
			missing.ID = newID()
			return st.UpdateClient(ctx, &missing, 1)
		})
	})
	t.Run("needs replace and come highest priority first", func(t *testing.T) {
		must(t, st.SetClientNeeds(ctx, c.ID, []store.ClientNeed{{ClientID: c.ID, Need: "walking", Priority: 3}}))
		must(t, st.SetClientNeeds(ctx, c.ID, []store.ClientNeed{
			{ClientID: c.ID, Need: "loneliness", Priority: 2}, {ClientID: c.ID, Need: "debt", Priority: 1}}))
		needs, err := st.ClientNeeds(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(needs, func(n store.ClientNeed) string { return n.Need }); !slices.Equal(got, []string{"debt", "loneliness"}) {
			t.Fatalf("needs %q", got)
		}
	})
	t.Run("goals in the order made, versioned", func(t *testing.T) {
		first := &store.Goal{ID: newID(), ClientID: c.ID, Text: "first", Needs: []string{}, Status: "ACTIVE"}
		second := &store.Goal{ID: newID(), ClientID: c.ID, Text: "second", Needs: []string{}, Status: "ACTIVE"}
		must(t, st.InsertGoal(ctx, first))
		must(t, st.InsertGoal(ctx, second))
		goals, err := st.Goals(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(goals, func(g store.Goal) string { return g.Text }); !slices.Equal(got, []string{"first", "second"}) {
			t.Fatalf("goals %q", got)
		}
		checkVersionGuard(t, func(expected int) error {
			edit := *first
			edit.Progress = 5
			return st.UpdateGoal(ctx, &edit, expected)
		}, func() error {
			missing := *first
			missing.ID = newID()
			return st.UpdateGoal(ctx, &missing, 1)
		})
	})
	t.Run("sessions by episode and number, versioned", func(t *testing.T) {
		day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		second := &store.ClientSession{ID: newID(), ClientID: c.ID, Episode: 1, Number: 2, Date: day, Kind: "VIDEO"}
		first := &store.ClientSession{ID: newID(), ClientID: c.ID, Episode: 1, Number: 1, Date: day, Kind: "TELEPHONE"}
		must(t, st.InsertClientSession(ctx, second))
		must(t, st.InsertClientSession(ctx, first))
		sessions, err := st.ClientSessions(ctx, c.ID)
		if err != nil || len(sessions) != 2 || sessions[0].ID != first.ID {
			t.Fatalf("ClientSessions = %+v, %v; want number 1 first", sessions, err)
		}
		checkVersionGuard(t, func(expected int) error {
			edit := *first
			edit.Notes = "talked about walking"
			return st.UpdateClientSession(ctx, &edit, expected)
		}, func() error {
			missing := *first
			missing.ID = newID()
			return st.UpdateClientSession(ctx, &missing, 1)
		})
	})
}

func TestReferrals(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	org := newOrganisation(t, st, "Ashby Carers Centre")
	cafe, walk := newService(t, st, org.ID, "Carers' café"), newService(t, st, org.ID, "Walking group")
	c := newClient(t, st, newTeam(t, st, "North").ID)
	// One open referral per client and service: two services.
	older := &store.Referral{ID: newID(), ClientID: c.ID, ServiceID: cafe.ID, OrganisationID: org.ID, Status: "DRAFT"}
	newer := &store.Referral{ID: newID(), ClientID: c.ID, ServiceID: walk.ID, OrganisationID: org.ID, Status: "DRAFT"}
	must(t, st.InsertReferral(ctx, older))
	must(t, st.InsertReferral(ctx, newer))

	t.Run("newest first", func(t *testing.T) {
		rows, err := st.Referrals(ctx, store.ReferralFilter{ClientID: &c.ID}, 10)
		if err != nil || len(rows) != 2 || rows[0].ID != newer.ID {
			t.Fatalf("Referrals = %+v, %v; want the newer first", rows, err)
		}
	})
	t.Run("a move is guarded by version and status and recorded", func(t *testing.T) {
		move := func(expected int, from string) error {
			r := *older
			r.Status = "SENT"
			return st.MoveReferral(ctx, &r, expected, from, &store.ReferralEvent{ReferralID: r.ID, FromStatus: from, ToStatus: "SENT"})
		}
		must(t, move(1, "DRAFT"))
		if err := move(1, "DRAFT"); !errors.Is(err, store.ErrVersionMismatch) {
			t.Fatalf("stale move: %v, want ErrVersionMismatch", err)
		}
		got, err := st.ReferralByID(ctx, older.ID)
		if err != nil || got.Status != "SENT" || got.Version != 2 {
			t.Fatalf("after the move: %+v, %v", got, err)
		}
		events, err := st.ReferralEvents(ctx, older.ID)
		if err != nil || len(events) != 1 || events[0].ToStatus != "SENT" {
			t.Fatalf("ReferralEvents = %+v, %v; want the one move", events, err)
		}
	})
}
