package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// CreateOrganisation adds an organisation.
func (d *Directory) CreateOrganisation(ctx context.Context, in OrganisationInput) (*store.Organisation, error) {
	if err := d.policy.Authorize(ctx, access.CreateOrganisation, access.Resource{Kind: "organisation"}); err != nil {
		return nil, err
	}
	in.normalise()
	if err := in.validate("input.").Err(); err != nil {
		return nil, err
	}
	o := &store.Organisation{ID: newID(), Source: in.Source, SourceID: in.SourceID}
	applyOrganisation(o, in)
	err := d.q.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if err := q.InsertOrganisation(ctx, o); err != nil {
			return err
		}
		return q.AddToOutbox(ctx, store.EntityOrganisation, o.ID)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func applyOrganisation(o *store.Organisation, in OrganisationInput) {
	o.Name, o.Description, o.Website = in.Name, in.Description, in.Website
	o.Email, o.Phone = in.Email, in.Phone
	o.CharityNumber, o.CompanyNumber = in.CharityNumber, in.CompanyNumber
}

// UpdateOrganisation replaces an organisation's details if version is still
// current; otherwise it fails with fault.Conflict and changes nothing.
func (d *Directory) UpdateOrganisation(ctx context.Context, id uuid.UUID, version int, in OrganisationInput) (*store.Organisation, error) {
	if err := d.policy.Authorize(ctx, access.EditOrganisation, access.Resource{Kind: "organisation", ID: id, OrganisationID: id}); err != nil {
		return nil, err
	}
	in.normalise()
	if err := in.validate("input.").Err(); err != nil {
		return nil, err
	}
	o := &store.Organisation{ID: id}
	applyOrganisation(o, in)
	err := d.q.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if err := q.UpdateOrganisation(ctx, o, version); err != nil {
			return store.Fault(err, "organisation", id)
		}
		return q.AddToOutbox(ctx, store.EntityOrganisation, id)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// ArchiveOrganisation archives an organisation and all its services.
func (d *Directory) ArchiveOrganisation(ctx context.Context, id uuid.UUID, version int) (*store.Organisation, error) {
	if err := d.policy.Authorize(ctx, access.ArchiveOrganisation, access.Resource{Kind: "organisation", ID: id, OrganisationID: id}); err != nil {
		return nil, err
	}
	var o *store.Organisation
	err := d.q.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if o, err = q.ArchiveOrganisation(ctx, id, version); err != nil {
			return store.Fault(err, "organisation", id)
		}
		ids, err := q.ArchiveServicesOfOrganisation(ctx, id)
		if err != nil {
			return err
		}
		if err := q.AddToOutbox(ctx, store.EntityService, ids...); err != nil {
			return err
		}
		return q.AddToOutbox(ctx, store.EntityOrganisation, id)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// CreateService adds a service to an organisation, with its locations,
// schedules, terms, eligibility and costs, in one transaction.
func (d *Directory) CreateService(ctx context.Context, orgID uuid.UUID, in ServiceInput) (*store.Service, error) {
	if err := d.policy.Authorize(ctx, access.CreateService, access.Resource{Kind: "service", OrganisationID: orgID}); err != nil {
		return nil, err
	}
	in.normalise()
	s := &store.Service{ID: newID(), OrganisationID: orgID}
	err := d.q.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		ps := in.validate("input.")
		org, err := q.OrganisationByID(ctx, orgID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			ps.Add("organisationId", "no organisation has this id")
		case err != nil:
			return err
		case org.ArchivedAt != nil:
			ps.Add("organisationId", "the organisation %q is archived", org.Name)
		}
		parts, dbProblems, err := d.resolveParts(ctx, q, s.ID, orgID, in)
		if err != nil {
			return err
		}
		if err := append(ps, dbProblems...).Err(); err != nil {
			return err
		}
		applyService(s, in)
		s.Source, s.SourceID = in.Source, in.SourceID
		if err := q.InsertService(ctx, s); err != nil {
			return err
		}
		if err := d.writeParts(ctx, q, s.ID, orgID, in, parts); err != nil {
			return err
		}
		return q.AddToOutbox(ctx, store.EntityService, s.ID)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateService replaces a whole service (details and parts) if version is
// still current; otherwise it fails with fault.Conflict and changes nothing.
func (d *Directory) UpdateService(ctx context.Context, id uuid.UUID, version int, in ServiceInput) (*store.Service, error) {
	in.normalise()
	var s *store.Service
	err := d.q.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		cur, err := q.ServiceForUpdate(ctx, id)
		if err != nil {
			return store.Fault(err, "service", id)
		}
		if err := d.policy.Authorize(ctx, access.EditService, access.Resource{Kind: "service", ID: id, OrganisationID: cur.OrganisationID}); err != nil {
			return err
		}
		if cur.Version != version {
			return store.Fault(store.ErrVersionMismatch, "service", id)
		}
		ps := in.validate("input.")
		parts, dbProblems, err := d.resolveParts(ctx, q, id, cur.OrganisationID, in)
		if err != nil {
			return err
		}
		if err := append(ps, dbProblems...).Err(); err != nil {
			return err
		}
		s = cur
		applyService(s, in)
		if err := q.UpdateService(ctx, s, version); err != nil {
			return store.Fault(err, "service", id)
		}
		if err := d.writeParts(ctx, q, id, cur.OrganisationID, in, parts); err != nil {
			return err
		}
		return q.AddToOutbox(ctx, store.EntityService, id)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ArchiveService takes a service out of the directory's lists and matching.
func (d *Directory) ArchiveService(ctx context.Context, id uuid.UUID, version int) (*store.Service, error) {
	return d.lockedServiceWrite(ctx, id, version, access.ArchiveService, func(ctx context.Context, q store.Queries, s *store.Service) (*store.Service, error) {
		return q.ArchiveService(ctx, id, version)
	})
}

// VerifyService records that a listing was checked as correct on a date
// (today when nil) by an assurer, given by e-mail address as Open Referral
// records it.
func (d *Directory) VerifyService(ctx context.Context, id uuid.UUID, version int, date *time.Time, assurer string) (*store.Service, error) {
	assurer = strings.TrimSpace(assurer)
	var ps fault.Problems
	if assurer == "" {
		ps.Add("assurer", "must not be empty")
	}
	checkEmail(&ps, "assurer", assurer)
	today := d.now().UTC().Truncate(24 * time.Hour)
	if date == nil {
		date = &today
	} else if date.After(today.Add(24 * time.Hour)) {
		ps.Add("assuredDate", "must not be in the future")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return d.lockedServiceWrite(ctx, id, version, access.VerifyService, func(ctx context.Context, q store.Queries, s *store.Service) (*store.Service, error) {
		s.AssuredDate, s.Assurer = date, assurer
		return s, q.VerifyService(ctx, s, version)
	})
}

func (d *Directory) lockedServiceWrite(ctx context.Context, id uuid.UUID, version int, action access.Action,
	write func(context.Context, store.Queries, *store.Service) (*store.Service, error)) (*store.Service, error) {
	return d.lockedServiceWriteWhy(ctx, id, version, action, "", write)
}

// lockedServiceWriteWhy is lockedServiceWrite with words for the audit
// trail saying what the write does.
func (d *Directory) lockedServiceWriteWhy(ctx context.Context, id uuid.UUID, version int, action access.Action, why string,
	write func(context.Context, store.Queries, *store.Service) (*store.Service, error)) (*store.Service, error) {
	var out *store.Service
	err := d.q.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		cur, err := q.ServiceForUpdate(ctx, id)
		if err != nil {
			return store.Fault(err, "service", id)
		}
		if err := d.policy.Authorize(ctx, action, access.Resource{Kind: "service", ID: id, OrganisationID: cur.OrganisationID, Reason: why}); err != nil {
			return err
		}
		if out, err = write(ctx, q, cur); err != nil {
			return store.Fault(err, "service", id)
		}
		return q.AddToOutbox(ctx, store.EntityService, id)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func applyService(s *store.Service, in ServiceInput) {
	s.Name, s.Description, s.URL, s.Email, s.Status = in.Name, in.Description, in.URL, in.Email, in.Status
	s.MinimumAge, s.MaximumAge, s.EligibilityDescription = in.MinimumAge, in.MaximumAge, in.EligibilityDescription
	s.Free, s.CostDescription = in.Free, in.CostDescription
	s.DeliveryModes, s.AccessRoutes = nonNil(in.DeliveryModes), nonNil(in.AccessRoutes)
	s.AcceptingReferrals, s.Spaces = in.AcceptingReferrals, in.Spaces
	s.Accessibility, s.Languages = nonNil(in.Accessibility), nonNil(in.Languages)
}

func nonNil(vs []string) []string {
	if vs == nil {
		return []string{}
	}
	return vs
}

// resolvedParts is what resolveParts looked up in the database.
type resolvedParts struct {
	termIDs   []uuid.UUID
	locations map[uuid.UUID]*store.Location
}

// resolveParts checks the references in a service input against the
// database: need codes, taxonomy terms and existing locations (which the
// service must be allowed to use; see checkLocations).
func (d *Directory) resolveParts(ctx context.Context, q store.Queries, serviceID, orgID uuid.UUID, in ServiceInput) (resolvedParts, fault.Problems, error) {
	var ps fault.Problems
	r := resolvedParts{locations: map[uuid.UUID]*store.Location{}}
	if len(in.NeedCodes) > 0 {
		needs, err := q.NeedTerms(ctx)
		if err != nil {
			return r, nil, err
		}
		byCode := map[string]uuid.UUID{}
		for _, t := range needs {
			byCode[t.Code] = t.ID
		}
		for i, c := range in.NeedCodes {
			if id, ok := byCode[c]; ok {
				r.termIDs = append(r.termIDs, id)
			} else {
				ps.Add(fmt.Sprintf("input.needs[%d]", i), "%q is not a known need code", c)
			}
		}
	}
	if len(in.TermIDs) > 0 {
		terms, err := q.TermsByIDs(ctx, in.TermIDs)
		if err != nil {
			return r, nil, err
		}
		found := map[uuid.UUID]bool{}
		for _, t := range terms {
			found[t.ID] = true
		}
		for i, id := range in.TermIDs {
			if !found[id] {
				ps.Add(fmt.Sprintf("input.termIds[%d]", i), "no taxonomy term has this id")
			} else if !containsID(r.termIDs, id) {
				r.termIDs = append(r.termIDs, id)
			}
		}
	}
	locs, locProblems, err := checkLocations(ctx, q, serviceID, orgID, in.Locations)
	if err != nil {
		return r, nil, err
	}
	r.locations = locs
	ps = append(ps, locProblems...)
	return r, ps, nil
}

func containsID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// writeParts writes new and edited locations and replaces the service's
// parts.
func (d *Directory) writeParts(ctx context.Context, q store.Queries, serviceID, orgID uuid.UUID, in ServiceInput, r resolvedParts) error {
	parts := store.ServiceParts{TermIDs: r.termIDs}
	pos := 0
	addSchedules := func(locID *uuid.UUID, ss []ScheduleInput) {
		for _, s := range ss {
			sc := store.Schedule{ID: newID(), ServiceID: serviceID, LocationID: locID, Freq: s.Frequency,
				Interval: s.Interval, ByDay: s.Days, ValidFrom: s.ValidFrom, ValidTo: s.ValidTo,
				Description: s.Note, Position: pos}
			if s.OpensAt != "" {
				sc.OpensAt = &s.OpensAt
			}
			if s.ClosesAt != "" {
				sc.ClosesAt = &s.ClosesAt
			}
			parts.Schedules = append(parts.Schedules, sc)
			pos++
		}
	}
	for i, li := range in.Locations {
		var loc *store.Location
		switch {
		case li.LocationID != nil && li.Location != nil:
			loc = r.locations[*li.LocationID]
			if err := updateLocation(ctx, q, loc, *li.Location); err != nil {
				return err
			}
		case li.LocationID != nil:
			loc = r.locations[*li.LocationID]
		default:
			org := orgID
			loc = &store.Location{ID: newID(), OrganisationID: &org}
			applyLocation(loc, *li.Location)
			if err := q.InsertLocation(ctx, loc); err != nil {
				return err
			}
		}
		parts.Locations = append(parts.Locations, store.ServiceAtLocation{ID: newID(), ServiceID: serviceID,
			LocationID: loc.ID, Description: strings.TrimSpace(li.Description), Position: i})
		locID := loc.ID
		addSchedules(&locID, li.Schedules)
	}
	addSchedules(nil, in.Schedules)
	for i, c := range in.Costs {
		parts.Costs = append(parts.Costs, store.CostOption{ID: newID(), ServiceID: serviceID, Option: c.Option,
			Amount: c.Amount, Currency: c.Currency, AmountDescription: c.AmountDescription, Position: i})
	}
	for i, c := range in.Contacts {
		sid := serviceID
		parts.Contacts = append(parts.Contacts, store.Contact{ID: newID(), ServiceID: &sid, Name: c.Name,
			Title: c.Title, Email: c.Email, Phone: c.Phone, Position: i})
	}
	return q.ReplaceServiceParts(ctx, serviceID, parts)
}

func applyLocation(l *store.Location, in LocationInput) {
	l.Name, l.Description, l.Address1, l.Address2 = in.Name, in.Description, in.Address1, in.Address2
	l.City, l.Region, l.Postcode, l.Country = in.City, in.Region, in.Postcode, in.Country
	l.Latitude, l.Longitude, l.Accessibility = in.Latitude, in.Longitude, nonNil(in.Accessibility)
}
