package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestOrganisations(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	b := newOrganisation(t, st, "beeches Community Garden")
	a := newOrganisation(t, st, "Ashby Carers Centre")
	c := newOrganisation(t, st, "Cleeve Walking Group")

	t.Run("insert then read", func(t *testing.T) {
		got, err := st.OrganisationByID(ctx, a.ID)
		if err != nil || got.Name != a.Name || got.Version != 1 {
			t.Fatalf("OrganisationByID = %+v, %v", got, err)
		}
	})
	t.Run("update with the version guard", func(t *testing.T) {
		checkVersionGuard(t, func(expected int) error {
			edit := *a
			edit.Description = "Support for unpaid carers"
			return st.UpdateOrganisation(ctx, &edit, expected)
		}, func() error {
			return st.UpdateOrganisation(ctx, &store.Organisation{ID: newID(), Name: "Nobody"}, 1)
		})
		got, err := st.OrganisationByID(ctx, a.ID)
		if err != nil || got.Description != "Support for unpaid carers" || got.Version != 2 {
			t.Fatalf("after the update: %+v, %v", got, err)
		}
	})
	t.Run("pages in name order, case ignored", func(t *testing.T) {
		rows, err := st.OrganisationsPage(ctx, store.OrganisationFilter{}, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(rows, func(o store.Organisation) string { return o.Name }); !slices.Equal(got, []string{a.Name, b.Name, c.Name}) {
			t.Fatalf("order %q", got)
		}
		if n, err := st.CountOrganisations(ctx, store.OrganisationFilter{Text: "carers"}); err != nil || n != 1 {
			t.Fatalf("CountOrganisations(carers) = %d, %v", n, err)
		}
	})
	t.Run("archive hides from lists and guards the version", func(t *testing.T) {
		svc := newService(t, st, c.ID, "Tuesday walk")
		got, err := st.ArchiveOrganisation(ctx, c.ID, 1)
		if err != nil || got.ArchivedAt == nil {
			t.Fatalf("ArchiveOrganisation = %+v, %v", got, err)
		}
		if _, err := st.ArchiveOrganisation(ctx, c.ID, 1); !errors.Is(err, store.ErrVersionMismatch) {
			t.Fatalf("stale archive: %v, want ErrVersionMismatch", err)
		}
		ids, err := st.ArchiveServicesOfOrganisation(ctx, c.ID)
		if err != nil || len(ids) != 1 || ids[0] != svc.ID {
			t.Fatalf("ArchiveServicesOfOrganisation = %v, %v", ids, err)
		}
		if n, err := st.CountOrganisations(ctx, store.OrganisationFilter{}); err != nil || n != 2 {
			t.Fatalf("count without archived = %d, %v; want 2", n, err)
		}
		if n, err := st.CountOrganisations(ctx, store.OrganisationFilter{IncludeArchived: true}); err != nil || n != 3 {
			t.Fatalf("count with archived = %d, %v; want 3", n, err)
		}
	})
}

func names[T any](rows []T, name func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = name(r)
	}
	return out
}
