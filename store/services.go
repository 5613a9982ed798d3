package store

import (
	"context"
	"math"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
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

	// TaxonomyID keeps services with any term of this taxonomy.
	TaxonomyID *uuid.UUID
	// ModifiedSince keeps services changed at or after this time.
	ModifiedSince *time.Time
	// MinimumAgeAtLeast keeps services whose minimum age is at least this.
	MinimumAgeAtLeast *int
	// MaximumAgeAtMost keeps services whose maximum age is at most this.
	MaximumAgeAtMost *int
	// Session keeps services with one session matching every given part.
	Session *SessionFilter
	// Near keeps services with a location within a distance of a point.
	Near *Near
	// OnlyIDs, when true, keeps only the services in IDs (none if empty):
	// the result of a search in the matching index.
	OnlyIDs bool
	IDs     []uuid.UUID
}

// SessionFilter matches one schedule of a service.
type SessionFilter struct {
	Day        string // RRULE code, MO…SU; empty for any
	OpensFrom  string // HH:MM: opens at or after
	ClosesByAt string // HH:MM: closes at or before
}

// Near is a circle on the map.
type Near struct {
	Latitude, Longitude float64
	Metres              float64
}

// earthRadius is the mean radius of the Earth in metres.
const earthRadius = 6371008.8

// distanceSQL is the great-circle distance in metres from (?, ?) to l.
const distanceSQL = `2 * 6371008.8 * asin(sqrt(power(sin(radians(l.latitude - ?) / 2), 2) +
	cos(radians(?)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ?) / 2), 2)))`

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
	if f.OnlyIDs {
		if len(f.IDs) == 0 {
			q = q.Where("false")
		} else {
			q = q.Where("s.id IN (?)", bun.List(f.IDs))
		}
	}
	if f.TaxonomyID != nil {
		q = q.Where(`EXISTS (SELECT 1 FROM service_terms st JOIN taxonomy_terms t ON t.id = st.term_id
			WHERE st.service_id = s.id AND t.taxonomy_id = ?)`, *f.TaxonomyID)
	}
	if f.ModifiedSince != nil {
		q = q.Where("s.updated_at >= ?", *f.ModifiedSince)
	}
	if f.MinimumAgeAtLeast != nil {
		q = q.Where("s.minimum_age >= ?", *f.MinimumAgeAtLeast)
	}
	if f.MaximumAgeAtMost != nil {
		q = q.Where("s.maximum_age <= ?", *f.MaximumAgeAtMost)
	}
	if sf := f.Session; sf != nil {
		cond := "sc.service_id = s.id"
		var args []any
		if sf.Day != "" {
			cond += " AND ? = ANY(sc.byday)"
			args = append(args, sf.Day)
		}
		if sf.OpensFrom != "" {
			cond += " AND sc.opens_at >= ?::time"
			args = append(args, sf.OpensFrom)
		}
		if sf.ClosesByAt != "" {
			cond += " AND sc.closes_at <= ?::time"
			args = append(args, sf.ClosesByAt)
		}
		q = q.Where("EXISTS (SELECT 1 FROM schedules sc WHERE "+cond+")", args...)
	}
	if n := f.Near; n != nil {
		// A bounding box lets the planner skip far rows before the exact test.
		dLat := n.Metres / earthRadius * 180 / math.Pi
		dLon := dLat / math.Max(math.Cos(n.Latitude*math.Pi/180), 0.01)
		q = q.Where(`EXISTS (SELECT 1 FROM service_at_locations sal JOIN locations l ON l.id = sal.location_id
			WHERE sal.service_id = s.id AND l.latitude BETWEEN ? AND ? AND l.longitude BETWEEN ? AND ?
			AND `+distanceSQL+` <= ?)`,
			n.Latitude-dLat, n.Latitude+dLat, n.Longitude-dLon, n.Longitude+dLon,
			n.Latitude, n.Latitude, n.Longitude, n.Metres)
	}
	return q
}

// ServicesAt returns up to limit services from offset in name order: the
// page-numbered listing of the Open Referral feed.
func (q Queries) ServicesAt(ctx context.Context, f ServiceFilter, offset, limit int) (_ []Service, err error) {
	defer fault.Wrap(&err, "store.ServicesAt(%d, %d)", offset, limit)
	var out []Service
	err = orderByName(f.apply(q.db.NewSelect().Model(&out)), "s").Offset(int64(offset)).Limit(int64(limit)).Scan(ctx)
	return out, err
}

// ServiceAtLocationRow is a service at a location with both ids.
type ServiceAtLocationRow struct {
	ID         uuid.UUID `bun:"id,type:uuid"`
	ServiceID  uuid.UUID `bun:"service_id,type:uuid"`
	LocationID uuid.UUID `bun:"location_id,type:uuid"`
}

// ServiceAtLocationsAt pages through the service-at-locations of the
// services that match f, in service name order.
func (q Queries) ServiceAtLocationsAt(ctx context.Context, f ServiceFilter, offset, limit int) (_ []ServiceAtLocationRow, _ int, err error) {
	defer fault.Wrap(&err, "store.ServiceAtLocationsAt(%d, %d)", offset, limit)
	var ids []uuid.UUID
	if err := f.apply(q.db.NewSelect().Model((*Service)(nil)).Column("s.id")).Scan(ctx, &ids); err != nil {
		return nil, 0, err
	}
	if len(ids) == 0 {
		return nil, 0, nil
	}
	var total int
	if err := q.db.NewSelect().TableExpr("service_at_locations").ColumnExpr("count(*)").
		Where("service_id IN (?)", bun.List(ids)).Scan(ctx, &total); err != nil {
		return nil, 0, err
	}
	var rows []ServiceAtLocationRow
	err = q.db.NewRaw(`SELECT sal.id, sal.service_id, sal.location_id FROM service_at_locations sal
		JOIN services s ON s.id = sal.service_id WHERE sal.service_id IN (?)
		ORDER BY lower(s.name), s.id, sal.position, sal.id OFFSET ? LIMIT ?`, bun.List(ids), offset, limit).Scan(ctx, &rows)
	return rows, total, err
}

// ServiceAtLocationByID returns one service-at-location.
func (q Queries) ServiceAtLocationByID(ctx context.Context, id uuid.UUID) (_ *ServiceAtLocationRow, err error) {
	defer fault.Wrap(&err, "store.ServiceAtLocationByID(%s)", id)
	row := new(ServiceAtLocationRow)
	err = q.db.NewRaw("SELECT id, service_id, location_id FROM service_at_locations WHERE id = ?", id).Scan(ctx, row)
	return row, notFound(err)
}

// ServiceByID returns one service.
func (q Queries) ServiceByID(ctx context.Context, id uuid.UUID) (_ *Service, err error) {
	defer fault.Wrap(&err, "store.ServiceByID(%s)", id)
	s := new(Service)
	err = q.db.NewSelect().Model(s).Where("id = ?", id).Scan(ctx)
	return s, notFound(err)
}

// ServiceForUpdate returns one service, locking its row until the
// transaction ends.
func (q Queries) ServiceForUpdate(ctx context.Context, id uuid.UUID) (_ *Service, err error) {
	defer fault.Wrap(&err, "store.ServiceForUpdate(%s)", id)
	s := new(Service)
	err = q.db.NewSelect().Model(s).Where("id = ?", id).For("UPDATE").Scan(ctx)
	return s, notFound(err)
}

// ServicesByIDs returns the services with the given ids; missing ids are
// left out.
func (q Queries) ServicesByIDs(ctx context.Context, ids []uuid.UUID) (_ []Service, err error) {
	defer fault.Wrap(&err, "store.ServicesByIDs(%d)", len(ids))
	var out []Service
	err = q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// CursorKey is the service's position in ServicesPage (ByName).
func (s *Service) CursorKey() CursorKey { return nameKey(s.Name, s.ID) }

// ServicesPage returns up to limit services after the key, in ByName order.
func (q Queries) ServicesPage(ctx context.Context, f ServiceFilter, after *CursorKey, limit int) (_ []Service, err error) {
	defer fault.Wrap(&err, "store.ServicesPage(%d)", limit)
	var out []Service
	sq := q.db.NewSelect().Model(&out)
	sq = orderByName(afterName(f.apply(sq), "s", after), "s").Limit(int64(limit))
	err = sq.Scan(ctx)
	return out, err
}

// CountServices counts the services that match f.
func (q Queries) CountServices(ctx context.Context, f ServiceFilter) (_ int, err error) {
	defer fault.Wrap(&err, "store.CountServices()")
	return count(ctx, f.apply(q.db.NewSelect().Model((*Service)(nil))))
}

// ServiceIDsOfOrganisation lists the ids of an organisation's services.
func (q Queries) ServiceIDsOfOrganisation(ctx context.Context, orgID uuid.UUID) (_ []uuid.UUID, err error) {
	defer fault.Wrap(&err, "store.ServiceIDsOfOrganisation(%s)", orgID)
	var ids []uuid.UUID
	err = q.db.NewSelect().Model((*Service)(nil)).Column("id").Where("organisation_id = ?", orgID).Scan(ctx, &ids)
	return ids, err
}

// InsertService adds a service, filling its timestamps and version.
func (q Queries) InsertService(ctx context.Context, s *Service) (err error) {
	defer fault.Wrap(&err, "store.InsertService(%s)", s.ID)
	_, err = q.db.NewInsert().Model(s).
		ExcludeColumn("created_at", "updated_at", "version").
		Returning("*").Exec(ctx)
	return err
}

var serviceEditable = []string{
	"name", "description", "url", "email", "status", "minimum_age", "maximum_age",
	"eligibility_description", "free", "cost_description", "delivery_modes", "access_routes",
	"accepting_referrals", "spaces", "accessibility", "languages",
}

// keepSource is the SET clause that keeps a text's imported original
// while the text itself is unchanged and clears it when an edit changes
// the text: the edited text is the new truth. On the right of SET the
// column names the stored (old) value.
// The new text is its argument.
func keepSource(column string) string {
	return column + "_source = CASE WHEN " + column + " = ? THEN " + column + "_source ELSE '' END"
}

// UpdateService writes s's editable fields if the stored version is still
// expected, bumping the version.
func (q Queries) UpdateService(ctx context.Context, s *Service, expected int) (err error) {
	defer fault.Wrap(&err, "store.UpdateService(%s, %d)", s.ID, expected)
	res, err := q.db.NewUpdate().Model(s).Column(serviceEditable...).
		Set(keepSource("description"), s.Description).
		Set(keepSource("eligibility_description"), s.EligibilityDescription).
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", s.ID, expected).
		Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "services", s.ID)
}

// ArchiveService marks a service archived if its version is still expected.
func (q Queries) ArchiveService(ctx context.Context, id uuid.UUID, expected int) (_ *Service, err error) {
	defer fault.Wrap(&err, "store.ArchiveService(%s, %d)", id, expected)
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
func (q Queries) ArchiveServicesOfOrganisation(ctx context.Context, orgID uuid.UUID) (_ []uuid.UUID, err error) {
	defer fault.Wrap(&err, "store.ArchiveServicesOfOrganisation(%s)", orgID)
	var ids []uuid.UUID
	err = q.db.NewUpdate().Model((*Service)(nil)).
		Set("archived_at = now()").Set("version = version + 1").Set("updated_at = now()").
		Where("organisation_id = ? AND archived_at IS NULL", orgID).
		Returning("id").Scan(ctx, &ids)
	return ids, err
}

// VerifyService records when and by whom a listing was last checked.
func (q Queries) VerifyService(ctx context.Context, s *Service, expected int) (err error) {
	defer fault.Wrap(&err, "store.VerifyService(%s, %d)", s.ID, expected)
	res, err := q.db.NewUpdate().Model(s).Column("assured_date", "assurer").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", s.ID, expected).
		Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "services", s.ID)
}

// SetServiceAudience stores the organisation's answer to whom a service is
// for (nil goes back to the derived audience) if the stored version is
// still expected, bumping the version.
func (q Queries) SetServiceAudience(ctx context.Context, s *Service, expected int) (err error) {
	defer fault.Wrap(&err, "store.SetServiceAudience(%s, %d)", s.ID, expected)
	res, err := q.db.NewUpdate().Model(s).Column("audience").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", s.ID, expected).
		Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "services", s.ID)
}

// ServiceIDs returns the ids of up to limit services that match f.
func (q Queries) ServiceIDs(ctx context.Context, f ServiceFilter, limit int) (_ []uuid.UUID, err error) {
	defer fault.Wrap(&err, "store.ServiceIDs(%d)", limit)
	var ids []uuid.UUID
	err = f.apply(q.db.NewSelect().Model((*Service)(nil)).Column("s.id")).Limit(int64(limit)).Scan(ctx, &ids)
	return ids, err
}
