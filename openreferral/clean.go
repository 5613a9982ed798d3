package openreferral

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/store"
)

// Signpost's own facets travel in Open Referral as attributes whose terms
// belong to these taxonomies. On import they set the service's fields
// rather than becoming terms.
const (
	taxDeliveryModes = "signpost-delivery-modes"
	taxAccessRoutes  = "signpost-access-routes"
	taxAccessibility = "signpost-service-accessibility"
	taxReferrals     = "signpost-referrals"
	taxNeeds         = "signpost-needs"

	termNotAccepting = "not-accepting-referrals"
	termSpaces       = "spaces"
)

func isFacetTaxonomy(name string) bool {
	switch name {
	case taxDeliveryModes, taxAccessRoutes, taxAccessibility, taxReferrals, taxAudience:
		return true
	}
	return false
}

func (ds *Dataset) linkTerm(s *Service, t *Term, value string) {
	switch t.Taxonomy {
	case taxDeliveryModes:
		s.DeliveryModes = appendUnique(s.DeliveryModes, t.Code)
	case taxAccessRoutes:
		s.AccessRoutes = appendUnique(s.AccessRoutes, t.Code)
	case taxAccessibility:
		s.Accessibility = appendUnique(s.Accessibility, t.Name)
	case taxAudience:
		ds.linkAudience(s, t, value)
	case taxReferrals:
		switch t.Code {
		case termNotAccepting:
			s.AcceptingReferrals = false
		case termSpaces:
			if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && n >= 0 {
				s.Spaces = &n
			}
		}
	default:
		ref := TermRef{Taxonomy: t.Taxonomy, Code: t.Code}
		for _, r := range s.Terms {
			if r == ref {
				return
			}
		}
		s.Terms = append(s.Terms, ref)
	}
}

func addTaxonomiesOfTerms(ds *Dataset) {
	have := map[string]bool{}
	for _, t := range ds.Taxonomies {
		have[t.Name] = true
	}
	for _, t := range ds.Terms {
		if !have[t.Taxonomy] {
			have[t.Taxonomy] = true
			ds.Taxonomies = append(ds.Taxonomies, &Taxonomy{Name: t.Taxonomy})
		}
	}
}

func applyIdentifier(o *Organisation, scheme, typ, value string) {
	value = strings.TrimSpace(value)
	s, t := strings.ToUpper(scheme), strings.ToLower(typ)
	switch {
	case value == "":
	case s == "GB-CHC" || s == "GB-SC" || s == "GB-NIC" || strings.Contains(t, "charity"):
		o.CharityNumber = value
	case s == "GB-COH" || strings.Contains(t, "company"):
		o.CompanyNumber = value
	}
}

// keep decides whether a record with an id and a name can be imported.
func (ds *Dataset) keep(o Origin, kind, id, name string, duplicate bool) bool {
	switch {
	case id == "":
		ds.skip(o, kind+" without an id", "the %s %q has no id", kind, name)
	case duplicate:
		ds.skip(o, "duplicate id", "%s %q appears twice; the first is kept", kind, id)
	case strings.TrimSpace(name) == "":
		ds.skip(o, kind+" without a name", "%s %q has no name", kind, id)
	default:
		return true
	}
	return false
}

func (ds *Dataset) cleanURL(o Origin, kind, field, v string) string {
	u, err := cleanURL(v)
	if err != nil {
		ds.warn(o, "bad web address", field, "%v; dropped", err)
	}
	return u
}

func (ds *Dataset) cleanEmail(o Origin, kind, field, v string) string {
	e, err := cleanEmail(v)
	if err != nil {
		ds.warn(o, "bad e-mail address", field, "%v; dropped", err)
	}
	return e
}

func (ds *Dataset) status(o Origin, v string) string {
	switch s := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(v), "_", " ")); s {
	case "":
		return store.StatusActive
	case store.StatusActive, store.StatusInactive, store.StatusDefunct, store.StatusTemporarilyClosed:
		return s
	default:
		ds.warn(o, "unknown status", "status", "%q is not active, inactive, defunct or temporarily closed; taken as active", v)
		return store.StatusActive
	}
}

func (ds *Dataset) setAges(s *Service, min, max string) {
	lo, err := parseAge(min)
	if err != nil {
		ds.warn(s.Origin, "bad age", "minimum_age", "%v; dropped", err)
	}
	hi, err := parseAge(max)
	if err != nil {
		ds.warn(s.Origin, "bad age", "maximum_age", "%v; dropped", err)
	}
	if lo != nil && s.MinimumAge == nil {
		s.MinimumAge = lo
	}
	if hi != nil && s.MaximumAge == nil {
		s.MaximumAge = hi
	}
	if s.MinimumAge != nil && s.MaximumAge != nil && *s.MinimumAge > *s.MaximumAge {
		ds.warn(s.Origin, "minimum age above maximum age", "minimum_age", "%d is above the maximum %d; both dropped", *s.MinimumAge, *s.MaximumAge)
		s.MinimumAge, s.MaximumAge = nil, nil
	}
}

func (ds *Dataset) setCoordinates(l *Location, lat, lon string) {
	la, err1 := parseFloat(lat)
	lo, err2 := parseFloat(lon)
	if err1 != nil || err2 != nil {
		ds.warn(l.Origin, "bad coordinates", "latitude", "%q, %q are not coordinates; dropped", lat, lon)
		return
	}
	ds.setPoint(l, la, lo)
}

func (ds *Dataset) setPoint(l *Location, la, lo *float64) {
	switch {
	case la == nil && lo == nil:
	case la == nil || lo == nil:
		ds.warn(l.Origin, "bad coordinates", "latitude", "only one of latitude and longitude is given; dropped")
	case *la < -90 || *la > 90 || *lo < -180 || *lo > 180:
		ds.warn(l.Origin, "bad coordinates", "latitude", "%v, %v is outside the globe; dropped", *la, *lo)
	case *la == 0 && *lo == 0:
		ds.warn(l.Origin, "bad coordinates", "latitude", "0, 0 is not a real place; dropped")
	default:
		l.Latitude, l.Longitude = la, lo
	}
}

var countryAliases = map[string]string{"UK": "GB", "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB",
	"SCOTLAND": "GB", "WALES": "GB", "NORTHERN IRELAND": "GB", "USA": "US", "UNITED STATES": "US"}

func (ds *Dataset) setAddress(l *Location, line1, line2, city, region, postcode, country string) {
	l.Address1, l.Address2, l.City, l.Region = line1, line2, city, region
	c := strings.ToUpper(strings.TrimSpace(country))
	if a, ok := countryAliases[c]; ok {
		c = a
	}
	compact, _, isUK := postcodes.Normalise(postcode)
	switch {
	case postcode == "":
	case isUK && (c == "" || c == "GB"):
		postcode, c = postcodes.Display(compact), "GB"
	case c == "GB":
		ds.warn(l.Origin, "bad postcode", "postal_code", "%q is not a UK postcode; dropped", postcode)
		postcode = ""
	}
	l.Postcode, l.Country = strings.TrimSpace(postcode), c
}

// getter returns the first non-empty value among the named fields.
type getter func(names ...string) string

// schedule reads one schedule of any HSDS version.
func (ds *Dataset) schedule(o Origin, get getter) (Schedule, bool) {
	s := Schedule{Freq: strings.ToUpper(get("freq")), Interval: 1,
		Description: cleanText(joinNonEmpty("; ", get("description", "original_text"), get("notes")))}
	if v := get("interval"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 52 {
			ds.warn(o, "bad schedule", "interval", "%q is not an interval; 1 assumed", v)
		} else {
			s.Interval = n
		}
	}
	switch s.Freq {
	case "", "WEEKLY":
		s.Freq = "WEEKLY"
	case "MONTHLY":
	case "DAILY":
		s.Freq = "WEEKLY"
		s.ByDay = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	default:
		ds.skip(o, "unsupported schedule", "freq %q is not WEEKLY, MONTHLY or DAILY", s.Freq)
		return s, false
	}
	days := get("byday", "weekday")
	var ordinals []string
	for _, d := range strings.Split(days, ",") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		// Monthly rules may prefix a day with its occurrence: 1TU, -1FR.
		if n := strings.IndexFunc(d, func(r rune) bool { return r >= 'A' && r <= 'z' }); n > 0 {
			ordinals = append(ordinals, d)
			d = d[n:]
		}
		code, ok := parseWeekday(d)
		if !ok {
			ds.skip(o, "unsupported schedule", "%q is not a day of the week", d)
			return s, false
		}
		s.ByDay = appendUnique(s.ByDay, code)
	}
	if len(ordinals) > 0 {
		s.Description = joinNonEmpty("; ", s.Description, "days of the month: "+strings.Join(ordinals, ","))
	}
	var err error
	if v := get("opens_at"); v != "" {
		if s.OpensAt, err = parseClock(v); err != nil {
			ds.warn(o, "bad time", "opens_at", "%v; dropped", err)
		}
	}
	if v := get("closes_at"); v != "" {
		if s.ClosesAt, err = parseClock(v); err != nil {
			ds.warn(o, "bad time", "closes_at", "%v; dropped", err)
		}
	}
	if s.OpensAt != "" && s.ClosesAt != "" && s.OpensAt >= s.ClosesAt {
		ds.warn(o, "bad time", "closes_at", "closes at %s, not after it opens at %s; the times are kept in the note", s.ClosesAt, s.OpensAt)
		s.Description = joinNonEmpty("; ", s.Description, fmt.Sprintf("%s to %s", s.OpensAt, s.ClosesAt))
		s.OpensAt, s.ClosesAt = "", ""
	}
	for _, f := range []struct {
		col string
		dst *string
	}{{"valid_from", &s.ValidFrom}, {"valid_to", &s.ValidTo}} {
		if v := get(f.col); v != "" {
			if *f.dst, err = parseDate(v); err != nil {
				ds.warn(o, "bad date", f.col, "%v; dropped", err)
			}
		}
	}
	if s.ValidFrom != "" && s.ValidTo != "" && s.ValidFrom > s.ValidTo {
		ds.warn(o, "bad date", "valid_to", "valid_to %s is before valid_from %s; both dropped", s.ValidTo, s.ValidFrom)
		s.ValidFrom, s.ValidTo = "", ""
	}
	if len(s.ByDay) == 0 && s.OpensAt == "" && s.Description == "" {
		ds.skip(o, "empty schedule", "the schedule has no days, times or description")
		return s, false
	}
	return s, true
}

// checkReferences repairs services whose organisation is missing: when the
// organisation's locations name it, it is recreated from them (real exports
// drop organisations that their locations still describe); otherwise the
// service is skipped. Locations of unknown organisations are unlinked.
func (ds *Dataset) checkReferences(orgs map[string]*Organisation, locs map[string]*Location) {
	namedByLocation := map[string]string{}
	for _, l := range ds.Locations {
		if l.OrgSourceID != "" && orgs[l.OrgSourceID] == nil && namedByLocation[l.OrgSourceID] == "" && l.Name != "" {
			namedByLocation[l.OrgSourceID] = l.Name
		}
	}
	kept := ds.Services[:0]
	for _, s := range ds.Services {
		if orgs[s.OrgSourceID] == nil {
			name := namedByLocation[s.OrgSourceID]
			if s.OrgSourceID == "" || name == "" {
				ds.skip(s.Origin, "service of an unknown organisation", "organization_id %q is not in organizations", s.OrgSourceID)
				continue
			}
			o := &Organisation{SourceID: s.OrgSourceID, Name: name, Origin: s.Origin}
			orgs[o.SourceID] = o
			ds.Organisations = append(ds.Organisations, o)
			ds.warn(s.Origin, "organisation missing from the organisations table", "organization_id",
				"organisation %q is not in organizations; created from its locations' name %q", s.OrgSourceID, name)
		}
		kept = append(kept, s)
	}
	ds.Services = kept
	for _, l := range ds.Locations {
		if l.OrgSourceID != "" && orgs[l.OrgSourceID] == nil {
			l.OrgSourceID = ""
		}
	}
}

// applyCosts sets a service's prices. Signpost marks a free service with a
// cost option "Free" of 0, which is taken off again here; other data is
// free when nothing is charged and its fees text says so.
func applyCosts(s *Service, costs []Cost) {
	s.Costs, s.Free = nil, false
	paid := false
	for _, c := range costs {
		if strings.EqualFold(c.Option, "free") && (c.Amount == nil || *c.Amount == 0) && c.AmountDescription == "" {
			s.Free = true
			continue
		}
		if c.Amount != nil && *c.Amount > 0 {
			paid = true
		}
		s.Costs = append(s.Costs, c)
	}
	if !s.Free && !paid && feesAreFree(s.CostDescription) {
		s.Free = true
	}
}
