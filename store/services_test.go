package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestServices(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	org := newOrganisation(t, st, "Ashby Carers Centre")
	walk := newService(t, st, org.ID, "walking group")
	art := newService(t, st, org.ID, "Art for wellbeing")

	t.Run("insert then read", func(t *testing.T) {
		got, err := st.ServiceByID(ctx, walk.ID)
		if err != nil || got.Name != walk.Name || got.OrganisationID != org.ID || got.Version != 1 {
			t.Fatalf("ServiceByID = %+v, %v", got, err)
		}
		byIDs, err := st.ServicesByIDs(ctx, []uuid.UUID{walk.ID, art.ID, newID()})
		if err != nil || len(byIDs) != 2 {
			t.Fatalf("ServicesByIDs = %d rows, %v; want the 2 that exist", len(byIDs), err)
		}
	})
	t.Run("update with the version guard", func(t *testing.T) {
		checkVersionGuard(t, func(expected int) error {
			edit := *walk
			edit.Description = "A gentle walk every Tuesday"
			return st.UpdateService(ctx, &edit, expected)
		}, func() error {
			missing := *walk
			missing.ID = newID()
			return st.UpdateService(ctx, &missing, 1)
		})
		got, err := st.ServiceByID(ctx, walk.ID)
		if err != nil || got.Description != "A gentle walk every Tuesday" || got.Version != 2 {
			t.Fatalf("after the update: %+v, %v", got, err)
		}
	})
	t.Run("pages in name order, case ignored", func(t *testing.T) {
		rows, err := st.ServicesPage(ctx, store.ServiceFilter{}, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(rows, func(s store.Service) string { return s.Name }); !slices.Equal(got, []string{art.Name, walk.Name}) {
			t.Fatalf("order %q", got)
		}
		ids, err := st.ServiceIDsOfOrganisation(ctx, org.ID)
		if err != nil || len(ids) != 2 {
			t.Fatalf("ServiceIDsOfOrganisation = %v, %v", ids, err)
		}
	})
	t.Run("archive guards the version and hides from lists", func(t *testing.T) {
		got, err := st.ArchiveService(ctx, art.ID, 1)
		if err != nil || got.ArchivedAt == nil {
			t.Fatalf("ArchiveService = %+v, %v", got, err)
		}
		if _, err := st.ArchiveService(ctx, art.ID, 1); !errors.Is(err, store.ErrVersionMismatch) {
			t.Fatalf("stale archive: %v, want ErrVersionMismatch", err)
		}
		if n, err := st.CountServices(ctx, store.ServiceFilter{}); err != nil || n != 1 {
			t.Fatalf("CountServices = %d, %v; want 1 listed", n, err)
		}
	})
}
