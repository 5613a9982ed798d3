package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// SourceKey is what an import needs to know of a stored record that came
// from a source: its id, the hash of the record as last imported, and
// whether it is archived.
type SourceKey struct {
	ID       uuid.UUID `bun:"id,type:uuid"`
	SourceID string    `bun:"source_id"`
	Hash     string    `bun:"source_hash"`
	Archived bool      `bun:"archived"`
}

// SourceKeys returns the records of one table (organisations, locations or
// services) that came from source, by source id.
func (q Queries) SourceKeys(ctx context.Context, table, source string) (_ map[string]SourceKey, err error) {
	defer fault.Wrap(&err, "store.SourceKeys(%q, %q)", table, source)
	archived := "archived_at IS NOT NULL"
	if table == "locations" {
		archived = "false"
	}
	var rows []SourceKey
	err = q.db.NewSelect().TableExpr(table).
		ColumnExpr("id, source_id, source_hash").ColumnExpr(archived+" AS archived").
		Where("source = ? AND source_id <> ''", source).Scan(ctx, &rows)
	out := make(map[string]SourceKey, len(rows))
	for _, r := range rows {
		out[r.SourceID] = r
	}
	return out, err
}

// chunked runs fn over slices of at most n items.
func chunked[T any](items []T, n int, fn func([]T) error) error {
	for len(items) > 0 {
		k := min(n, len(items))
		if err := fn(items[:k]); err != nil {
			return err
		}
		items = items[k:]
	}
	return nil
}

const insertChunk = 1000

// InsertOrganisations adds organisations in bulk.
func (q Queries) InsertOrganisations(ctx context.Context, os []Organisation) (err error) {
	defer fault.Wrap(&err, "store.InsertOrganisations(%d)", len(os))
	return chunked(os, insertChunk, func(c []Organisation) error {
		_, err := q.db.NewInsert().Model(&c).ExcludeColumn("created_at", "updated_at", "version").Exec(ctx)
		return err
	})
}

// ReplaceImportedOrganisation overwrites an imported organisation with a
// newer import of it, bumping its version and listing it again.
func (q Queries) ReplaceImportedOrganisation(ctx context.Context, o *Organisation) (err error) {
	defer fault.Wrap(&err, "store.ReplaceImportedOrganisation(%s)", o.ID)
	_, err = q.db.NewUpdate().Model(o).
		Column("name", "description", "description_source", "website", "email", "phone", "charity_number", "company_number", "source_hash").
		Set("archived_at = NULL").Set("version = version + 1").Set("updated_at = now()").
		WherePK().Exec(ctx)
	return err
}

// InsertLocations adds locations in bulk.
func (q Queries) InsertLocations(ctx context.Context, ls []Location) (err error) {
	defer fault.Wrap(&err, "store.InsertLocations(%d)", len(ls))
	return chunked(ls, insertChunk, func(c []Location) error {
		_, err := q.db.NewInsert().Model(&c).ExcludeColumn("created_at", "updated_at", "version").Exec(ctx)
		return err
	})
}

// ReplaceImportedLocation overwrites an imported location.
func (q Queries) ReplaceImportedLocation(ctx context.Context, l *Location) (err error) {
	defer fault.Wrap(&err, "store.ReplaceImportedLocation(%s)", l.ID)
	_, err = q.db.NewUpdate().Model(l).
		Column("organisation_id", "name", "description", "description_source", "address_1", "address_2", "city", "region", "postcode",
			"country", "latitude", "longitude", "accessibility", "source_hash").
		Set("version = version + 1").Set("updated_at = now()").WherePK().Exec(ctx)
	return err
}

// InsertServices adds services in bulk.
func (q Queries) InsertServices(ctx context.Context, ss []Service) (err error) {
	defer fault.Wrap(&err, "store.InsertServices(%d)", len(ss))
	return chunked(ss, insertChunk, func(c []Service) error {
		_, err := q.db.NewInsert().Model(&c).ExcludeColumn("created_at", "updated_at", "version").Exec(ctx)
		return err
	})
}

// ReplaceImportedService overwrites an imported service's details. An
// audience the organisation confirmed here is kept unless the dataset
// brings one of its own.
func (q Queries) ReplaceImportedService(ctx context.Context, s *Service) (err error) {
	defer fault.Wrap(&err, "store.ReplaceImportedService(%s)", s.ID)
	cols := append([]string{"organisation_id", "assured_date", "assurer", "source_hash", "description_source",
		"eligibility_description_source"}, serviceEditable...)
	if s.Audience != nil {
		cols = append(cols, "audience")
	}
	_, err = q.db.NewUpdate().Model(s).Column(cols...).
		Set("archived_at = NULL").Set("version = version + 1").Set("updated_at = now()").
		WherePK().Exec(ctx)
	return err
}

// BulkServiceParts are the parts of many services.
type BulkServiceParts struct {
	Locations []ServiceAtLocation
	Schedules []Schedule
	Costs     []CostOption
	Contacts  []Contact
	Terms     [][2]uuid.UUID // service id, term id
}

// DeleteServiceParts removes every part of the given services.
func (q Queries) DeleteServiceParts(ctx context.Context, serviceIDs []uuid.UUID) (err error) {
	defer fault.Wrap(&err, "store.DeleteServiceParts(%d)", len(serviceIDs))
	if len(serviceIDs) == 0 {
		return nil
	}
	for _, table := range []string{"schedules", "service_at_locations", "cost_options", "contacts", "service_terms"} {
		if _, err := q.db.NewDelete().Table(table).Where("service_id IN (?)", bun.List(serviceIDs)).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// InsertServiceParts adds parts in bulk.
func (q Queries) InsertServiceParts(ctx context.Context, p BulkServiceParts) (err error) {
	defer fault.Wrap(&err, "store.InsertServiceParts()")
	insert := func(n int, model func(lo, hi int) any) error {
		for lo := 0; lo < n; lo += insertChunk {
			hi := min(lo+insertChunk, n)
			if _, err := q.db.NewInsert().Model(model(lo, hi)).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	if err := insert(len(p.Locations), func(lo, hi int) any { s := p.Locations[lo:hi]; return &s }); err != nil {
		return err
	}
	if err := insert(len(p.Schedules), func(lo, hi int) any { s := p.Schedules[lo:hi]; return &s }); err != nil {
		return err
	}
	if err := insert(len(p.Costs), func(lo, hi int) any { s := p.Costs[lo:hi]; return &s }); err != nil {
		return err
	}
	if err := insert(len(p.Contacts), func(lo, hi int) any { s := p.Contacts[lo:hi]; return &s }); err != nil {
		return err
	}
	links := make([]serviceTermLink, len(p.Terms))
	for i, t := range p.Terms {
		links[i] = serviceTermLink{ServiceID: t[0], TermID: t[1]}
	}
	return insert(len(links), func(lo, hi int) any { s := links[lo:hi]; return &s })
}

// ArchiveMissing archives the unarchived records of one table (services or
// organisations) from source whose source ids are not in keep, returning
// their ids.
func (q Queries) ArchiveMissing(ctx context.Context, table, source string, keep []string) (_ []uuid.UUID, err error) {
	defer fault.Wrap(&err, "store.ArchiveMissing(%q, %q, %d)", table, source, len(keep))
	var ids []uuid.UUID
	qq := q.db.NewUpdate().Table(table).
		Set("archived_at = now()").Set("version = version + 1").Set("updated_at = now()").
		Where("source = ? AND source_id <> '' AND archived_at IS NULL", source)
	if len(keep) > 0 {
		qq = qq.Where("source_id NOT IN (?)", bun.List(keep))
	}
	err = qq.Returning("id").Scan(ctx, &ids)
	return ids, err
}

// AllTaxonomies lists every taxonomy.
func (q Queries) AllTaxonomies(ctx context.Context) (_ []Taxonomy, err error) {
	defer fault.Wrap(&err, "store.AllTaxonomies()")
	var out []Taxonomy
	err = q.db.NewSelect().Model(&out).Scan(ctx)
	return out, err
}

// InsertTaxonomy adds a taxonomy.
func (q Queries) InsertTaxonomy(ctx context.Context, t *Taxonomy) (err error) {
	defer fault.Wrap(&err, "store.InsertTaxonomy(%s)", t.ID)
	_, err = q.db.NewInsert().Model(t).ExcludeColumn("created_at").Exec(ctx)
	return err
}

// UpdateTaxonomy overwrites a taxonomy's description, URI and version.
func (q Queries) UpdateTaxonomy(ctx context.Context, t *Taxonomy) (err error) {
	defer fault.Wrap(&err, "store.UpdateTaxonomy(%s)", t.ID)
	_, err = q.db.NewUpdate().Model(t).Column("description", "uri", "version").WherePK().Exec(ctx)
	return err
}

// TermsOfTaxonomies lists the terms of the given taxonomies.
func (q Queries) TermsOfTaxonomies(ctx context.Context, ids []uuid.UUID) (_ []TaxonomyTerm, err error) {
	defer fault.Wrap(&err, "store.TermsOfTaxonomies(%d)", len(ids))
	var out []TaxonomyTerm
	if len(ids) == 0 {
		return out, nil
	}
	err = q.db.NewSelect().Model(&out).Where("taxonomy_id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// InsertTerms adds terms in bulk; parents must come before their children.
func (q Queries) InsertTerms(ctx context.Context, ts []TaxonomyTerm) (err error) {
	defer fault.Wrap(&err, "store.InsertTerms(%d)", len(ts))
	return chunked(ts, insertChunk, func(c []TaxonomyTerm) error {
		_, err := q.db.NewInsert().Model(&c).ExcludeColumn("created_at").Exec(ctx)
		return err
	})
}

// UpdateTerm overwrites a term's name, description, parent and source id.
func (q Queries) UpdateTerm(ctx context.Context, t *TaxonomyTerm) (err error) {
	defer fault.Wrap(&err, "store.UpdateTerm(%s)", t.ID)
	_, err = q.db.NewUpdate().Model(t).Column("name", "description", "parent_id", "source_id").WherePK().Exec(ctx)
	return err
}
