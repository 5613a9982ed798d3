package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// TaxonomyByID returns one taxonomy.
func (q Queries) TaxonomyByID(ctx context.Context, id uuid.UUID) (_ *Taxonomy, err error) {
	defer fault.Wrap(&err, "store.TaxonomyByID(%s)", id)
	t := new(Taxonomy)
	err = q.db.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	return t, notFound(err)
}

// TaxonomiesByIDs returns the taxonomies with the given ids.
func (q Queries) TaxonomiesByIDs(ctx context.Context, ids []uuid.UUID) (_ []Taxonomy, err error) {
	defer fault.Wrap(&err, "store.TaxonomiesByIDs(%d)", len(ids))
	var out []Taxonomy
	err = q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// CursorKey is the taxonomy's position in TaxonomiesPage (ByName).
func (t *Taxonomy) CursorKey() CursorKey { return nameKey(t.Name, t.ID) }

// TaxonomiesPage returns up to limit taxonomies after the key, in ByName
// order.
func (q Queries) TaxonomiesPage(ctx context.Context, after *CursorKey, limit int) (_ []Taxonomy, err error) {
	defer fault.Wrap(&err, "store.TaxonomiesPage(%d)", limit)
	var out []Taxonomy
	sq := q.db.NewSelect().Model(&out)
	err = orderByName(afterName(sq, "x", after), "x").Limit(int64(limit)).Scan(ctx)
	return out, err
}

// CountTaxonomies counts all taxonomies.
func (q Queries) CountTaxonomies(ctx context.Context) (_ int, err error) {
	defer fault.Wrap(&err, "store.CountTaxonomies()")
	return count(ctx, q.db.NewSelect().Model((*Taxonomy)(nil)))
}

// TermFilter narrows the terms of one taxonomy.
type TermFilter struct {
	TaxonomyID uuid.UUID
	// ParentID, when set, keeps only the children of that term.
	ParentID *uuid.UUID
	// TopLevel keeps only terms without a parent.
	TopLevel bool
}

func (f TermFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.Where("t.taxonomy_id = ?", f.TaxonomyID)
	if f.ParentID != nil {
		q = q.Where("t.parent_id = ?", *f.ParentID)
	} else if f.TopLevel {
		q = q.Where("t.parent_id IS NULL")
	}
	return q
}

// CursorKey is the term's position in TermsPage (ByName).
func (t *TaxonomyTerm) CursorKey() CursorKey { return nameKey(t.Name, t.ID) }

// TermsPage returns up to limit terms after the key, in ByName order.
func (q Queries) TermsPage(ctx context.Context, f TermFilter, after *CursorKey, limit int) (_ []TaxonomyTerm, err error) {
	defer fault.Wrap(&err, "store.TermsPage(%d)", limit)
	var out []TaxonomyTerm
	sq := q.db.NewSelect().Model(&out)
	err = orderByName(afterName(f.apply(sq), "t", after), "t").Limit(int64(limit)).Scan(ctx)
	return out, err
}

// CountTerms counts the terms that match f.
func (q Queries) CountTerms(ctx context.Context, f TermFilter) (_ int, err error) {
	defer fault.Wrap(&err, "store.CountTerms()")
	return count(ctx, f.apply(q.db.NewSelect().Model((*TaxonomyTerm)(nil))))
}

// TermByID returns one term.
func (q Queries) TermByID(ctx context.Context, id uuid.UUID) (_ *TaxonomyTerm, err error) {
	defer fault.Wrap(&err, "store.TermByID(%s)", id)
	t := new(TaxonomyTerm)
	err = q.db.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	return t, notFound(err)
}

// TermsByIDs returns the terms with the given ids.
func (q Queries) TermsByIDs(ctx context.Context, ids []uuid.UUID) (_ []TaxonomyTerm, err error) {
	defer fault.Wrap(&err, "store.TermsByIDs(%d)", len(ids))
	var out []TaxonomyTerm
	err = q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// NeedTerms returns the built-in needs vocabulary, ordered by code.
func (q Queries) NeedTerms(ctx context.Context) (_ []TaxonomyTerm, err error) {
	defer fault.Wrap(&err, "store.NeedTerms()")
	var out []TaxonomyTerm
	err = q.db.NewSelect().Model(&out).Where("taxonomy_id = ?", NeedsTaxonomyID).Order("code").Scan(ctx)
	return out, err
}

// TaxonomiesAt returns up to limit taxonomies from offset in name order.
func (q Queries) TaxonomiesAt(ctx context.Context, offset, limit int) (_ []Taxonomy, err error) {
	defer fault.Wrap(&err, "store.TaxonomiesAt(%d, %d)", offset, limit)
	var out []Taxonomy
	err = orderByName(q.db.NewSelect().Model(&out), "x").Offset(int64(offset)).Limit(int64(limit)).Scan(ctx)
	return out, err
}

// AllTermsAt returns up to limit terms of every taxonomy (or one) from
// offset in name order, and how many there are.
func (q Queries) AllTermsAt(ctx context.Context, taxonomyID *uuid.UUID, offset, limit int) (_ []TaxonomyTerm, _ int, err error) {
	defer fault.Wrap(&err, "store.AllTermsAt(%d, %d)", offset, limit)
	var out []TaxonomyTerm
	sq := q.db.NewSelect().Model(&out)
	if taxonomyID != nil {
		sq = sq.Where("t.taxonomy_id = ?", *taxonomyID)
	}
	total, err := sq.Count(ctx)
	if err != nil {
		return nil, 0, err
	}
	err = orderByName(sq, "t").Offset(int64(offset)).Limit(int64(limit)).Scan(ctx)
	return out, int(total), err
}
