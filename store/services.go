package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// ServiceFilter narrows a list of services. Lists within a field match any
// of their values; different fields must all match.
type ServiceFilter struct {
	OrganisationID  *uuid.UUID
	Statuses        []string
	NeedCodes       []string
	TermIDs         []uuid.UUID
	FreeOnly        bool
	DeliveryModes   []string
	Text            string
	IncludeArchived bool
}

func (f ServiceFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if !f.IncludeArchived {
		q = q.Where("s.archived_at IS NULL")
	}
	if f.OrganisationID != nil {
		q = q.Where("s.organisation_id = ?", *f.OrganisationID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("s.status IN (?)", bun.List(f.Statuses))
	}
	if len(f.NeedCodes) > 0 {
		q = q.Where(`EXISTS (SELECT 1 FROM service_terms st JOIN taxonomy_terms t ON t.id = st.term_id
			WHERE st.service_id = s.id AND t.taxonomy_id = ? AND t.code IN (?))`, NeedsTaxonomyID, bun.List(f.NeedCodes))
	}
	if len(f.TermIDs) > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM service_terms st WHERE st.service_id = s.id AND st.term_id IN (?))", bun.List(f.TermIDs))
	}
	if f.FreeOnly {
		q = q.Where("s.free")
	}
	if len(f.DeliveryModes) > 0 {
		q = q.Where("s.delivery_modes && ?", pgdialect.Array(f.DeliveryModes))
	}
	if f.Text != "" {
		q = q.Where("(s.search @@ websearch_to_tsquery('english', ?) OR s.name ILIKE ?)", f.Text, likePattern(f.Text))
	}
	return q
}

// ServiceByID returns one service.
func (q Queries) ServiceByID(ctx context.Context, id uuid.UUID) (*Service, error) {
	s := new(Service)
	err := q.db.NewSelect().Model(s).Where("id = ?", id).Scan(ctx)
	return s, notFound(err)
}

// ServiceForUpdate returns one service, locking its row until the
// transaction ends.
func (q Queries) ServiceForUpdate(ctx context.Context, id uuid.UUID) (*Service, error) {
	s := new(Service)
	err := q.db.NewSelect().Model(s).Where("id = ?", id).For("UPDATE").Scan(ctx)
	return s, notFound(err)
}

// ServicesByIDs returns the services with the given ids; missing ids are
// left out.
func (q Queries) ServicesByIDs(ctx context.Context, ids []uuid.UUID) ([]Service, error) {
	var out []Service
	err := q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// ServicesPage returns up to limit services after the key.
func (q Queries) ServicesPage(ctx context.Context, f ServiceFilter, after *SortKey, limit int) ([]Service, error) {
	var out []Service
	sq := q.db.NewSelect().Model(&out)
	sq = orderByKey(afterKey(f.apply(sq), "s", after), "s").Limit(int64(limit))
	err := sq.Scan(ctx)
	return out, err
}

// CountServices counts the services that match f.
func (q Queries) CountServices(ctx context.Context, f ServiceFilter) (int, error) {
	return count(ctx, f.apply(q.db.NewSelect().Model((*Service)(nil))))
}

// ServiceIDsOfOrganisation lists the ids of an organisation's services.
func (q Queries) ServiceIDsOfOrganisation(ctx context.Context, orgID uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := q.db.NewSelect().Model((*Service)(nil)).Column("id").Where("organisation_id = ?", orgID).Scan(ctx, &ids)
	return ids, err
}

// InsertService adds a service, filling its timestamps and version.
func (q Queries) InsertService(ctx context.Context, s *Service) error {
	_, err := q.db.NewInsert().Model(s).
		ExcludeColumn("created_at", "updated_at", "version").
		Returning("*").Exec(ctx)
	return err
}

var serviceEditable = []string{
	"name", "description", "url", "email", "status", "minimum_age", "maximum_age",
	"eligibility_description", "free", "cost_description", "delivery_modes", "access_routes",
	"accepting_referrals", "spaces", "accessibility", "languages",
}

// UpdateService writes s's editable fields if the stored version is still
// expected, bumping the version.
func (q Queries) UpdateService(ctx context.Context, s *Service, expected int) error {
	res, err := q.db.NewUpdate().Model(s).Column(serviceEditable...).
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", s.ID, expected).
		Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "services", s.ID)
}

// ArchiveService marks a service archived if its version is still expected.
func (q Queries) ArchiveService(ctx context.Context, id uuid.UUID, expected int) (*Service, error) {
	s := &Service{ID: id}
	res, err := q.db.NewUpdate().Model(s).
		Set("archived_at = coalesce(archived_at, now())").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", id, expected).
		Returning("*").Exec(ctx)
	return s, versioned(ctx, q, res, err, "services", id)
}

// ArchiveServicesOfOrganisation archives every unarchived service of an
// organisation and returns their ids.
func (q Queries) ArchiveServicesOfOrganisation(ctx context.Context, orgID uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := q.db.NewUpdate().Model((*Service)(nil)).
		Set("archived_at = now()").Set("version = version + 1").Set("updated_at = now()").
		Where("organisation_id = ? AND archived_at IS NULL", orgID).
		Returning("id").Scan(ctx, &ids)
	return ids, err
}

// VerifyService records when and by whom a listing was last checked.
func (q Queries) VerifyService(ctx context.Context, s *Service, expected int) error {
	res, err := q.db.NewUpdate().Model(s).Column("assured_date", "assurer").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", s.ID, expected).
		Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "services", s.ID)
}
