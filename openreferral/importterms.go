package openreferral

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"github.com/signpost/signpost/store"
)

// taxonomies creates or updates taxonomies and their terms. The built-in
// needs vocabulary is never changed; imported terms that name it link to it.
func (im *importer) taxonomies(ctx context.Context) error {
	return im.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		byName, err := im.upsertTaxonomies(ctx, q)
		if err != nil {
			return err
		}
		current, err := im.storedTerms(ctx, q, byName)
		if err != nil {
			return err
		}
		if err := im.insertTerms(ctx, q, byName, im.freshTerms(byName, current)); err != nil {
			return err
		}
		if err := im.updateTerms(ctx, q, byName, current); err != nil {
			return err
		}
		im.progress("taxonomy terms", len(im.ds.Terms), len(im.ds.Terms))
		return nil
	})
}

// upsertTaxonomies adds the dataset's taxonomies and updates changed ones
// (never a built-in one), returning every stored taxonomy by name.
func (im *importer) upsertTaxonomies(ctx context.Context, q store.Queries) (map[string]*store.Taxonomy, error) {
	existing, err := q.AllTaxonomies(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]*store.Taxonomy{}
	for i := range existing {
		byName[existing[i].Name] = &existing[i]
	}
	for _, t := range im.ds.Taxonomies {
		if isFacetTaxonomy(t.Name) {
			continue
		}
		cur := byName[t.Name]
		switch {
		case cur == nil:
			row := &store.Taxonomy{ID: newID(), Name: t.Name, Description: t.Description, URI: t.URI, Version: t.Version}
			if err := q.InsertTaxonomy(ctx, row); err != nil {
				return nil, fmt.Errorf("taxonomy %q: %w", t.Name, err)
			}
			byName[t.Name] = row
		case cur.BuiltIn:
		case cur.Description != t.Description || cur.URI != t.URI || cur.Version != t.Version:
			cur.Description, cur.URI, cur.Version = t.Description, t.URI, t.Version
			if err := q.UpdateTaxonomy(ctx, cur); err != nil {
				return nil, err
			}
		}
	}
	return byName, nil
}

// storedTerms reads the terms of those taxonomies, by reference, and
// notes their ids for linking.
func (im *importer) storedTerms(ctx context.Context, q store.Queries, byName map[string]*store.Taxonomy) (map[TermRef]*store.TaxonomyTerm, error) {
	ids := make([]uuid.UUID, 0, len(byName))
	for _, t := range byName {
		ids = append(ids, t.ID)
	}
	stored, err := q.TermsOfTaxonomies(ctx, ids)
	if err != nil {
		return nil, err
	}
	taxName := map[uuid.UUID]string{}
	for name, t := range byName {
		taxName[t.ID] = name
	}
	current := map[TermRef]*store.TaxonomyTerm{}
	for i := range stored {
		ref := TermRef{Taxonomy: taxName[stored[i].TaxonomyID], Code: stored[i].Code}
		current[ref] = &stored[i]
		im.terms[ref] = stored[i].ID
	}
	return current, nil
}

// freshTerms gives the dataset's new terms their ids first, so that parents
// can be linked on insert. A code not in a built-in vocabulary is
// skipped with a warning.
func (im *importer) freshTerms(byName map[string]*store.Taxonomy, current map[TermRef]*store.TaxonomyTerm) []*Term {
	var fresh []*Term
	for _, t := range im.ds.Terms {
		ref := TermRef{Taxonomy: t.Taxonomy, Code: t.Code}
		if isFacetTaxonomy(t.Taxonomy) {
			continue
		}
		if byName[t.Taxonomy].BuiltIn {
			if _, ok := current[ref]; !ok {
				im.ds.warn(t.Origin, "unknown need code", "code", "%q is not in Signpost's needs vocabulary; links to it are dropped", t.Code)
				im.sum.Terms.Skipped++
			}
			continue
		}
		// A term read twice (as an attribute's term and from an audience,
		// say) is added once.
		if _, ok := im.terms[ref]; !ok {
			im.terms[ref] = newID()
			fresh = append(fresh, t)
		}
	}
	return fresh
}

// parentOf is the id of a term's parent, when known.
func (im *importer) parentOf(t *Term) *uuid.UUID {
	if t.ParentCode == "" {
		return nil
	}
	if id, ok := im.terms[TermRef{Taxonomy: t.Taxonomy, Code: t.ParentCode}]; ok {
		return &id
	}
	return nil
}

// insertTerms adds new terms, parents before children.
func (im *importer) insertTerms(ctx context.Context, q store.Queries, byName map[string]*store.Taxonomy, fresh []*Term) error {
	sortParentsFirst(fresh)
	rows := make([]store.TaxonomyTerm, 0, len(fresh))
	for _, t := range fresh {
		ref := TermRef{t.Taxonomy, t.Code}
		rows = append(rows, store.TaxonomyTerm{ID: im.terms[ref], TaxonomyID: byName[t.Taxonomy].ID, Code: t.Code,
			Name: t.Name, Description: t.Description, ParentID: im.parentOf(t), SourceID: t.SourceID})
	}
	if err := q.InsertTerms(ctx, rows); err != nil {
		return fmt.Errorf("adding taxonomy terms: %w", err)
	}
	im.sum.Terms.Created += len(rows)
	return nil
}

// sortParentsFirst orders new terms by their depth among new terms
// (a cycle is cut after 50 steps).
func sortParentsFirst(fresh []*Term) {
	depth := map[*Term]int{}
	byRef := map[TermRef]*Term{}
	for _, t := range fresh {
		byRef[TermRef{t.Taxonomy, t.Code}] = t
	}
	var depthOf func(t *Term, seen int) int
	depthOf = func(t *Term, seen int) int {
		if d, ok := depth[t]; ok {
			return d
		}
		p := byRef[TermRef{t.Taxonomy, t.ParentCode}]
		d := 0
		if p != nil && p != t && seen < 50 {
			d = depthOf(p, seen+1) + 1
		}
		depth[t] = d
		return d
	}
	for _, t := range fresh {
		depthOf(t, 0)
	}
	sort.SliceStable(fresh, func(i, j int) bool { return depth[fresh[i]] < depth[fresh[j]] })
}

// updateTerms updates the stored terms the dataset changes.
func (im *importer) updateTerms(ctx context.Context, q store.Queries, byName map[string]*store.Taxonomy, current map[TermRef]*store.TaxonomyTerm) error {
	for _, t := range im.ds.Terms {
		cur := current[TermRef{t.Taxonomy, t.Code}]
		if cur == nil || isFacetTaxonomy(t.Taxonomy) || byName[t.Taxonomy].BuiltIn {
			continue
		}
		parent := im.parentOf(t)
		if cur.Name == t.Name && cur.Description == t.Description && equalIDs(cur.ParentID, parent) && cur.SourceID == t.SourceID {
			im.sum.Terms.Unchanged++
			continue
		}
		cur.Name, cur.Description, cur.ParentID, cur.SourceID = t.Name, t.Description, parent, t.SourceID
		if err := q.UpdateTerm(ctx, cur); err != nil {
			return err
		}
		im.sum.Terms.Updated++
	}
	return nil
}

func equalIDs(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
