package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestTaxonomies(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	tax := &store.Taxonomy{ID: newID(), Name: "Activities"}
	must(t, st.InsertTaxonomy(ctx, tax))
	terms := []store.TaxonomyTerm{{ID: newID(), TaxonomyID: tax.ID, Code: "walk", Name: "Walking"},
		{ID: newID(), TaxonomyID: tax.ID, Code: "art", Name: "Art"}}
	must(t, st.InsertTerms(ctx, terms))

	t.Run("read back", func(t *testing.T) {
		got, err := st.TaxonomyByID(ctx, tax.ID)
		if err != nil || got.Name != "Activities" || got.BuiltIn {
			t.Fatalf("TaxonomyByID = %+v, %v", got, err)
		}
		term, err := st.TermByID(ctx, terms[0].ID)
		if err != nil || term.Code != "walk" || term.TaxonomyID != tax.ID {
			t.Fatalf("TermByID = %+v, %v", term, err)
		}
	})
	t.Run("the needs vocabulary comes in code order beside others", func(t *testing.T) {
		needs, err := st.NeedTerms(ctx)
		if err != nil || len(needs) != 20 {
			t.Fatalf("NeedTerms = %d terms, %v; want 20", len(needs), err)
		}
		codes := names(needs, func(t store.TaxonomyTerm) string { return t.Code })
		if !slices.IsSorted(codes) {
			t.Fatalf("needs not in code order: %q", codes)
		}
		if n, err := st.CountTaxonomies(ctx); err != nil || n != 2 {
			t.Fatalf("CountTaxonomies = %d, %v; want the needs and Activities", n, err)
		}
	})
}
