package graph

import (
	"strconv"
	"strings"

	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/store"
)

// Enum values map one to one onto stored values.
var (
	statusToStore = map[model.ServiceStatus]string{
		model.ServiceStatusActive:            store.StatusActive,
		model.ServiceStatusInactive:          store.StatusInactive,
		model.ServiceStatusDefunct:           store.StatusDefunct,
		model.ServiceStatusTemporarilyClosed: store.StatusTemporarilyClosed,
	}
	deliveryToStore = map[model.DeliveryMode]string{
		model.DeliveryModeInPerson:  directory.DeliveryInPerson,
		model.DeliveryModeOnline:    directory.DeliveryOnline,
		model.DeliveryModeTelephone: directory.DeliveryTelephone,
	}
	accessToStore = map[model.AccessRoute]string{
		model.AccessRouteSelfReferral:         directory.AccessSelfReferral,
		model.AccessRouteLinkWorkerReferral:   directory.AccessLinkWorkerReferral,
		model.AccessRouteGpReferral:           directory.AccessGPReferral,
		model.AccessRouteProfessionalReferral: directory.AccessProfessionalReferral,
	}
	weekdayToStore = map[model.Weekday]string{
		model.WeekdayMonday: "MO", model.WeekdayTuesday: "TU", model.WeekdayWednesday: "WE",
		model.WeekdayThursday: "TH", model.WeekdayFriday: "FR", model.WeekdaySaturday: "SA",
		model.WeekdaySunday: "SU",
	}
)

func invert[K, V comparable](m map[K]V) map[V]K {
	out := make(map[V]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

var (
	statusFromStore   = invert(statusToStore)
	deliveryFromStore = invert(deliveryToStore)
	accessFromStore   = invert(accessToStore)
	weekdayFromStore  = invert(weekdayToStore)
)

func mapAll[K comparable, V any](ks []K, m map[K]V) []V {
	out := make([]V, 0, len(ks))
	for _, k := range ks {
		if v, ok := m[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

func toOrganisationInput(in model.OrganisationInput) directory.OrganisationInput {
	return directory.OrganisationInput{
		Name: in.Name, Description: deref(in.Description), Website: deref(in.Website),
		Email: deref(in.Email), Phone: deref(in.Phone),
		CharityNumber: deref(in.CharityNumber), CompanyNumber: deref(in.CompanyNumber),
	}
}

func toServiceInput(in model.ServiceInput) (directory.ServiceInput, error) {
	out := directory.ServiceInput{
		Name: in.Name, Description: deref(in.Description), URL: deref(in.URL), Email: deref(in.Email),
		Status: store.StatusActive, Free: deref(in.Free), CostDescription: deref(in.CostDescription),
		DeliveryModes: mapAll(in.DeliveryModes, deliveryToStore), AccessRoutes: mapAll(in.AccessRoutes, accessToStore),
		AcceptingReferrals: in.AcceptingReferrals == nil || *in.AcceptingReferrals, Spaces: in.Spaces,
		Accessibility: in.Accessibility, Languages: in.Languages, NeedCodes: in.Needs,
	}
	if in.Status != nil {
		out.Status = statusToStore[*in.Status]
	}
	if e := in.Eligibility; e != nil {
		out.MinimumAge, out.MaximumAge, out.EligibilityDescription = e.MinimumAge, e.MaximumAge, deref(e.Description)
	}
	for _, c := range in.Costs {
		out.Costs = append(out.Costs, directory.CostInput{Option: deref(c.Option), Amount: c.Amount,
			Currency: deref(c.Currency), AmountDescription: deref(c.AmountDescription)})
	}
	for _, c := range in.Contacts {
		out.Contacts = append(out.Contacts, directory.ContactInput{Name: deref(c.Name), Title: deref(c.Title),
			Email: deref(c.Email), Phone: deref(c.Phone)})
	}
	var ps fault.Problems
	termIDs, err := idsOf("input.termIds", kindTerm, in.TermIds)
	if err != nil {
		ps = append(ps, err.(*fault.Invalid).Problems...)
	}
	out.TermIDs = termIDs
	for i, l := range in.Locations {
		sl := directory.ServiceLocationInput{Description: deref(l.Description), Schedules: toSchedules(l.Schedules)}
		if l.LocationID != nil {
			id, err := idOf("input.locations["+strconv.Itoa(i)+"].locationId", kindLocation, *l.LocationID)
			if err != nil {
				ps = append(ps, err.(*fault.Invalid).Problems...)
			} else {
				sl.LocationID = &id
			}
		}
		if l.Location != nil {
			sl.Location = toPlaceInput(*l.Location)
		}
		out.Locations = append(out.Locations, sl)
	}
	out.Schedules = toSchedules(in.Schedules)
	return out, ps.Err()
}

func toPlaceInput(l model.PlaceInput) *directory.LocationInput {
	return &directory.LocationInput{
		Name: deref(l.Name), Description: deref(l.Description), Address1: deref(l.Address1),
		Address2: deref(l.Address2), City: deref(l.City), Region: deref(l.Region),
		Postcode: deref(l.Postcode), Country: deref(l.Country), Latitude: l.Latitude, Longitude: l.Longitude,
		Accessibility: l.Accessibility,
	}
}

func toSchedules(in []model.ScheduleInput) []directory.ScheduleInput {
	out := make([]directory.ScheduleInput, 0, len(in))
	for _, s := range in {
		si := directory.ScheduleInput{Interval: deref(s.Interval), Days: mapAll(s.Days, weekdayToStore),
			OpensAt: deref(s.OpensAt), ClosesAt: deref(s.ClosesAt), ValidFrom: s.ValidFrom, ValidTo: s.ValidTo,
			Note: deref(s.Note)}
		if s.Frequency != nil {
			si.Frequency = string(*s.Frequency)
		}
		out = append(out, si)
	}
	return out
}

func toServiceQuery(f *model.ServiceFilter) (directory.ServiceQuery, error) {
	if f == nil {
		return directory.ServiceQuery{}, nil
	}
	q := directory.ServiceQuery{}
	if n := f.Near; n != nil {
		q.Near = &directory.Near{Postcode: strings.TrimSpace(deref(n.Postcode)), Latitude: n.Latitude,
			Longitude: n.Longitude, DistanceKm: n.DistanceKm}
	}
	out, err := toServiceFilter(f)
	q.ServiceFilter = out
	return q, err
}

func toServiceFilter(f *model.ServiceFilter) (store.ServiceFilter, error) {
	out := store.ServiceFilter{
		Statuses: mapAll(f.Status, statusToStore), NeedCodes: f.Needs, FreeOnly: deref(f.FreeOnly),
		DeliveryModes: mapAll(f.DeliveryModes, deliveryToStore), Text: strings.TrimSpace(deref(f.Text)),
		IncludeArchived: deref(f.IncludeArchived),
	}
	if f.OrganisationID != nil {
		id, err := idOf("filter.organisationId", kindOrganisation, *f.OrganisationID)
		if err != nil {
			return out, err
		}
		out.OrganisationID = &id
	}
	ids, err := idsOf("filter.termIds", kindTerm, f.TermIds)
	out.TermIDs = ids
	return out, err
}
