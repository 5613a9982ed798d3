package directory

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// Locations belong to an organisation: the one whose editor created them
// with a service. A service may list its own organisation's locations,
// and its editors may change them in place. Another organisation's
// location reads as not there, even to an administrator editing the
// service: its text is that organisation's to keep. Two exceptions:
//
//   - A shared location (no organisation: a venue such as a community
//     centre many groups use, or one imported without an owner) may be
//     listed by any service; only an administrator may change it.
//   - A service may keep listing a location it already lists (an import
//     may have placed it at another organisation's venue), but not change
//     it.
//
// A change to a location reaches every service held there: each is
// re-indexed in the same transaction.

// locationUse is what a service may do with an existing location.
type locationUse struct{ list, edit bool }

func useOf(ctx context.Context, loc *store.Location, org uuid.UUID, listed bool) locationUse {
	switch {
	case loc.OrganisationID == nil:
		return locationUse{list: true, edit: access.IdentityFrom(ctx).Role == access.RoleAdmin}
	case *loc.OrganisationID == org:
		return locationUse{list: true, edit: true}
	default:
		return locationUse{list: listed}
	}
}

// checkLocations checks the existing locations a service input names:
// each exists, may be used by a service of org, is named once, and may be
// changed when the input changes it.
func checkLocations(ctx context.Context, q store.Queries, serviceID, org uuid.UUID, in []ServiceLocationInput) (map[uuid.UUID]*store.Location, fault.Problems, error) {
	found := map[uuid.UUID]*store.Location{}
	var ids []uuid.UUID
	for _, l := range in {
		if l.LocationID != nil {
			ids = append(ids, *l.LocationID)
		}
	}
	if len(ids) == 0 {
		return found, nil, nil
	}
	locs, err := q.LocationsByIDs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	for i := range locs {
		found[locs[i].ID] = &locs[i]
	}
	listed, err := q.LocationIDsOfService(ctx, serviceID)
	if err != nil {
		return nil, nil, err
	}
	var ps fault.Problems
	seen := map[uuid.UUID]bool{}
	for i, l := range in {
		if l.LocationID == nil {
			continue
		}
		f := fmt.Sprintf("input.locations[%d].locationId", i)
		loc := found[*l.LocationID]
		var use locationUse
		if loc != nil {
			use = useOf(ctx, loc, org, containsID(listed, loc.ID))
		}
		switch {
		case !use.list:
			ps.Add(f, "no location has this id")
		case seen[*l.LocationID]:
			ps.Add(f, "the service lists this location twice")
		case l.Location != nil && !use.edit:
			ps.Add(fmt.Sprintf("input.locations[%d].location", i),
				"this location is not your organisation's to change: list it by locationId alone, or give a new location")
		}
		seen[*l.LocationID] = true
	}
	return found, ps, nil
}

// updateLocation changes a location in place and re-indexes every service
// held there.
func updateLocation(ctx context.Context, q store.Queries, loc *store.Location, in LocationInput) error {
	applyLocation(loc, in)
	if err := q.UpdateLocation(ctx, loc); err != nil {
		return err
	}
	ids, err := q.ServiceIDsAtLocation(ctx, loc.ID)
	if err != nil {
		return err
	}
	return q.AddToOutbox(ctx, store.EntityService, ids...)
}

// CreateSharedLocation adds a location that belongs to no organisation: a
// venue any service may list and only administrators change. Curating
// shared venues is part of curating the directory, as creating
// organisations is.
func (d *Directory) CreateSharedLocation(ctx context.Context, in LocationInput) (*store.Location, error) {
	if err := d.policy.Authorize(ctx, access.CreateOrganisation, access.Resource{Kind: "location"}); err != nil {
		return nil, err
	}
	in.normalise()
	if err := in.validate("input.").Err(); err != nil {
		return nil, err
	}
	loc := &store.Location{ID: newID()}
	applyLocation(loc, in)
	if err := d.q.InsertLocation(ctx, loc); err != nil {
		return nil, err
	}
	return loc, nil
}
