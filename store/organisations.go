package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// OrganisationFilter narrows a list of organisations.
type OrganisationFilter struct {
	Text            string
	IncludeArchived bool
}

func (f OrganisationFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if !f.IncludeArchived {
		q = q.Where("o.archived_at IS NULL")
	}
	if f.Text != "" {
		q = q.Where("o.name ILIKE ? OR o.description ILIKE ?", likePattern(f.Text), likePattern(f.Text))
	}
	return q
}

// OrganisationByID returns one organisation.
func (q Queries) OrganisationByID(ctx context.Context, id uuid.UUID) (_ *Organisation, err error) {
	defer fault.Wrap(&err, "store.OrganisationByID(%s)", id)
	o := new(Organisation)
	err = q.db.NewSelect().Model(o).Where("id = ?", id).Scan(ctx)
	return o, notFound(err)
}

// OrganisationsByIDs returns the organisations with the given ids, in no
// particular order; missing ids are left out.
func (q Queries) OrganisationsByIDs(ctx context.Context, ids []uuid.UUID) (_ []Organisation, err error) {
	defer fault.Wrap(&err, "store.OrganisationsByIDs(%d)", len(ids))
	var out []Organisation
	err = q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// CursorKey is the organisation's position in OrganisationsPage (ByName).
func (o *Organisation) CursorKey() CursorKey { return nameKey(o.Name, o.ID) }

// OrganisationsPage returns up to limit organisations after the key, in
// ByName order.
func (q Queries) OrganisationsPage(ctx context.Context, f OrganisationFilter, after *CursorKey, limit int) (_ []Organisation, err error) {
	defer fault.Wrap(&err, "store.OrganisationsPage(%d)", limit)
	var out []Organisation
	sq := q.db.NewSelect().Model(&out)
	sq = orderByName(afterName(f.apply(sq), "o", after), "o").Limit(int64(limit))
	err = sq.Scan(ctx)
	return out, err
}

// CountOrganisations counts the organisations that match f.
func (q Queries) CountOrganisations(ctx context.Context, f OrganisationFilter) (_ int, err error) {
	defer fault.Wrap(&err, "store.CountOrganisations()")
	return count(ctx, f.apply(q.db.NewSelect().Model((*Organisation)(nil))))
}

// InsertOrganisation adds an organisation, filling its timestamps and version.
func (q Queries) InsertOrganisation(ctx context.Context, o *Organisation) (err error) {
	defer fault.Wrap(&err, "store.InsertOrganisation(%s)", o.ID)
	_, err = q.db.NewInsert().Model(o).
		ExcludeColumn("created_at", "updated_at", "version").
		Returning("*").Exec(ctx)
	return err
}

// UpdateOrganisation writes o's editable fields if the stored version is
// still expected, bumping the version.
func (q Queries) UpdateOrganisation(ctx context.Context, o *Organisation, expected int) (err error) {
	defer fault.Wrap(&err, "store.UpdateOrganisation(%s, %d)", o.ID, expected)
	res, err := q.db.NewUpdate().Model(o).
		Column("name", "description", "website", "email", "phone", "charity_number", "company_number").
		Set(keepSource("description"), o.Description).
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", o.ID, expected).
		Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "organisations", o.ID)
}

// ArchiveOrganisation marks an organisation archived if its version is
// still expected.
func (q Queries) ArchiveOrganisation(ctx context.Context, id uuid.UUID, expected int) (_ *Organisation, err error) {
	defer fault.Wrap(&err, "store.ArchiveOrganisation(%s, %d)", id, expected)
	o := &Organisation{ID: id}
	res, err := q.db.NewUpdate().Model(o).
		Set("archived_at = coalesce(archived_at, now())").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", id, expected).
		Returning("*").Exec(ctx)
	return o, versioned(ctx, q, res, err, "organisations", id)
}

// versioned turns the result of a versioned update into ErrNotFound or
// ErrVersionMismatch when nothing was updated.
func versioned(ctx context.Context, q Queries, res sql.Result, err error, table string, id uuid.UUID) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// RETURNING matched no row: fall through to find out why.
	case err != nil:
		return err
	default:
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
	}
	exists, err := q.db.NewSelect().Table(table).Where("id = ?", id).Exists(ctx)
	if err != nil {
		return err
	}
	if !exists {
		return ErrNotFound
	}
	return ErrVersionMismatch
}

// CountOrganisationsFromSource counts the organisations imported from a
// source, archived or not.
func (q Queries) CountOrganisationsFromSource(ctx context.Context, source string) (_ int, err error) {
	defer fault.Wrap(&err, "store.CountOrganisationsFromSource(%q)", source)
	return count(ctx, q.db.NewSelect().Model((*Organisation)(nil)).Where("source = ?", source))
}

// OrganisationsAt returns up to limit organisations from offset in name
// order.
func (q Queries) OrganisationsAt(ctx context.Context, f OrganisationFilter, offset, limit int) (_ []Organisation, err error) {
	defer fault.Wrap(&err, "store.OrganisationsAt(%d, %d)", offset, limit)
	var out []Organisation
	err = orderByName(f.apply(q.db.NewSelect().Model(&out)), "o").Offset(int64(offset)).Limit(int64(limit)).Scan(ctx)
	return out, err
}
