package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// LocationByID returns one location.
func (q Queries) LocationByID(ctx context.Context, id uuid.UUID) (_ *Location, err error) {
	defer fault.Wrap(&err, "store.LocationByID(%s)", id)
	l := new(Location)
	err = q.db.NewSelect().Model(l).Where("id = ?", id).Scan(ctx)
	return l, notFound(err)
}

// LocationsByIDs returns the locations with the given ids.
func (q Queries) LocationsByIDs(ctx context.Context, ids []uuid.UUID) (_ []Location, err error) {
	defer fault.Wrap(&err, "store.LocationsByIDs(%d)", len(ids))
	var out []Location
	err = q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// InsertLocation adds a location.
func (q Queries) InsertLocation(ctx context.Context, l *Location) (err error) {
	defer fault.Wrap(&err, "store.InsertLocation(%s)", l.ID)
	_, err = q.db.NewInsert().Model(l).
		ExcludeColumn("created_at", "updated_at", "version").
		Returning("*").Exec(ctx)
	return err
}

// UpdateLocation overwrites a location's editable fields and bumps its
// version. Locations are edited through the service that lists them, whose
// own version guards the edit.
func (q Queries) UpdateLocation(ctx context.Context, l *Location) (err error) {
	defer fault.Wrap(&err, "store.UpdateLocation(%s)", l.ID)
	_, err = q.db.NewUpdate().Model(l).
		Column("name", "description", "address_1", "address_2", "city", "region", "postcode",
			"country", "latitude", "longitude", "accessibility").
		Set(keepSource("description"), l.Description).
		Set("version = version + 1").Set("updated_at = now()").
		WherePK().Returning("*").Exec(ctx)
	return notFound(err)
}

// ServiceIDsAtLocation lists the services held at a location.
func (q Queries) ServiceIDsAtLocation(ctx context.Context, location uuid.UUID) (_ []uuid.UUID, err error) {
	defer fault.Wrap(&err, "store.ServiceIDsAtLocation(%s)", location)
	var out []uuid.UUID
	err = q.db.NewSelect().Table("service_at_locations").Column("service_id").
		Where("location_id = ?", location).Order("service_id").Scan(ctx, &out)
	return out, err
}

// LocationIDsOfService lists the locations a service is held at.
func (q Queries) LocationIDsOfService(ctx context.Context, service uuid.UUID) (_ []uuid.UUID, err error) {
	defer fault.Wrap(&err, "store.LocationIDsOfService(%s)", service)
	var out []uuid.UUID
	err = q.db.NewSelect().Table("service_at_locations").Column("location_id").
		Where("service_id = ?", service).Scan(ctx, &out)
	return out, err
}
