package directory

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/store"
)

// Delivery modes, access routes and weekdays as stored.
const (
	DeliveryInPerson  = "in_person"
	DeliveryOnline    = "online"
	DeliveryTelephone = "telephone"

	AccessSelfReferral         = "self_referral"
	AccessLinkWorkerReferral   = "link_worker_referral"
	AccessGPReferral           = "gp_referral"
	AccessProfessionalReferral = "professional_referral"
)

var (
	statuses      = []string{store.StatusActive, store.StatusInactive, store.StatusDefunct, store.StatusTemporarilyClosed}
	deliveryModes = []string{DeliveryInPerson, DeliveryOnline, DeliveryTelephone}
	accessRoutes  = []string{AccessSelfReferral, AccessLinkWorkerReferral, AccessGPReferral, AccessProfessionalReferral}
	// Weekdays are RRULE BYDAY codes, Monday first.
	Weekdays    = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	frequencies = []string{"WEEKLY", "MONTHLY"}
)

// Most parts one service may have. The GraphQL API's cost of a service's
// lists assumes these, so they are the API's contract too.
const (
	MaxServiceLocations = 50
	// MaxSchedules counts a service's schedules, those at its locations
	// included.
	MaxSchedules = 100
	// MaxTerms counts taxonomy terms, the terms of its needs included.
	MaxTerms       = 50
	MaxNeeds       = 20
	MaxCostOptions = 20
	MaxContacts    = 20
	MaxLanguages   = 20
	// MaxAccessibility counts accessibility features of a service or a
	// location.
	MaxAccessibility = 20
)

// Limits on lists and searches.
const (
	// MaxSearchText is the longest text a search may look for.
	MaxSearchText = 200
	// MaxFilterItems is the most values one list of a filter may hold.
	MaxFilterItems = 50
)

// Other limits on a service.
const (
	maxAge = 130
	// MaxCost is the highest price of a cost option, in its currency.
	MaxCost = 100000
)

// OrganisationInput is an organisation as a user edits it.
type OrganisationInput struct {
	Name          string
	Description   string
	Website       string
	Email         string
	Phone         string
	CharityNumber string
	CompanyNumber string
	// Source and SourceID identify a record imported from elsewhere; they
	// are set on creation only.
	Source   string
	SourceID string
}

// ServiceInput is a whole service as a user edits it: an update replaces
// every part (locations, schedules, costs, contacts, terms) with the given
// ones.
type ServiceInput struct {
	Name                   string
	Description            string
	URL                    string
	Email                  string
	Status                 string
	MinimumAge             *int
	MaximumAge             *int
	EligibilityDescription string
	Free                   bool
	CostDescription        string
	Costs                  []CostInput
	DeliveryModes          []string
	AccessRoutes           []string
	AcceptingReferrals     bool
	Spaces                 *int
	Accessibility          []string
	Languages              []string
	NeedCodes              []string
	TermIDs                []uuid.UUID
	Contacts               []ContactInput
	Locations              []ServiceLocationInput
	Schedules              []ScheduleInput
	// Source and SourceID identify a record imported from elsewhere; they
	// are set on creation only.
	Source   string
	SourceID string
}

// ServiceLocationInput places a service at a location: an existing one
// (LocationID), a new one (Location), or an existing one edited in place
// (both).
type ServiceLocationInput struct {
	LocationID  *uuid.UUID
	Location    *LocationInput
	Description string
	Schedules   []ScheduleInput
}

// LocationInput is a place.
type LocationInput struct {
	Name          string
	Description   string
	Address1      string
	Address2      string
	City          string
	Region        string
	Postcode      string
	Country       string
	Latitude      *float64
	Longitude     *float64
	Accessibility []string
}

// ScheduleInput is a recurring session.
type ScheduleInput struct {
	Frequency string
	Interval  int
	Days      []string
	OpensAt   string
	ClosesAt  string
	ValidFrom *time.Time
	ValidTo   *time.Time
	Note      string
}

// CostInput is one price.
type CostInput struct {
	Option            string
	Amount            *float64
	Currency          string
	AmountDescription string
}

// ContactInput is a person or role to contact.
type ContactInput struct {
	Name  string
	Title string
	Email string
	Phone string
}

var (
	timeRE     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9 ()\-.]{6,25}$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
)

func checkName(ps *fault.Problems, field, v string, required bool) {
	if required && v == "" {
		ps.Add(field, "must not be empty")
		return
	}
	bounds.CheckLine(ps, field, v, bounds.Name)
}

func checkText(ps *fault.Problems, field, v string) {
	bounds.CheckProse(ps, field, v, bounds.Description)
}

func checkEmail(ps *fault.Problems, field, v string) {
	if v == "" || !bounds.CheckAddress(ps, field, v, bounds.Email) {
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@"):], ".") {
		ps.Add(field, "%q is not an e-mail address", v)
	}
}

func checkURL(ps *fault.Problems, field, v string) {
	if v == "" || !bounds.CheckAddress(ps, field, v, bounds.URL) {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ps.Add(field, "%q is not a web address (it must start with http:// or https://)", v)
	}
}

func checkPhone(ps *fault.Problems, field, v string) {
	if v == "" || !bounds.CheckAddress(ps, field, v, bounds.Phone) {
		return
	}
	digits := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if !phoneRE.MatchString(v) || digits < 6 {
		ps.Add(field, "%q is not a telephone number", v)
	}
}

func checkOneOf(ps *fault.Problems, field string, vs []string, allowed []string) {
	for i, v := range vs {
		if !slices.Contains(allowed, v) {
			ps.Add(fmt.Sprintf("%s[%d]", field, i), "%q is not one of %s", v, strings.Join(allowed, ", "))
		}
	}
}

// trimAll trims every item and drops empty ones and repeats.
func trimAll(vs []string) []string {
	out := make([]string, 0, len(vs))
	seen := make(map[string]bool, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func (in *OrganisationInput) normalise() {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.Website = strings.TrimSpace(in.Website)
	in.Email = strings.TrimSpace(in.Email)
	in.Phone = strings.TrimSpace(in.Phone)
	in.CharityNumber = strings.TrimSpace(in.CharityNumber)
	in.CompanyNumber = strings.TrimSpace(in.CompanyNumber)
}

func (in *OrganisationInput) validate(prefix string) fault.Problems {
	var ps fault.Problems
	checkName(&ps, prefix+"name", in.Name, true)
	checkText(&ps, prefix+"description", in.Description)
	checkURL(&ps, prefix+"website", in.Website)
	checkEmail(&ps, prefix+"email", in.Email)
	checkPhone(&ps, prefix+"phone", in.Phone)
	bounds.CheckLine(&ps, prefix+"charityNumber", in.CharityNumber, bounds.Code)
	bounds.CheckLine(&ps, prefix+"companyNumber", in.CompanyNumber, bounds.Code)
	return ps
}

func (in *ServiceInput) normalise() {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.URL = strings.TrimSpace(in.URL)
	in.Email = strings.TrimSpace(in.Email)
	if in.Status == "" {
		in.Status = store.StatusActive
	}
	in.EligibilityDescription = strings.TrimSpace(in.EligibilityDescription)
	in.CostDescription = strings.TrimSpace(in.CostDescription)
	in.DeliveryModes = trimAll(in.DeliveryModes)
	in.AccessRoutes = trimAll(in.AccessRoutes)
	in.Accessibility = trimAll(in.Accessibility)
	in.Languages = trimAll(in.Languages)
	in.NeedCodes = trimAll(in.NeedCodes)
	for i := range in.Costs {
		c := &in.Costs[i]
		c.Option = strings.TrimSpace(c.Option)
		c.Currency = strings.ToUpper(strings.TrimSpace(c.Currency))
		if c.Currency == "" {
			c.Currency = "GBP"
		}
	}
	for i := range in.Contacts {
		c := &in.Contacts[i]
		c.Name, c.Title = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title)
		c.Email, c.Phone = strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
	}
	for i := range in.Locations {
		if l := in.Locations[i].Location; l != nil {
			l.normalise()
		}
		normaliseSchedules(in.Locations[i].Schedules)
	}
	normaliseSchedules(in.Schedules)
}

func normaliseSchedules(ss []ScheduleInput) {
	for i := range ss {
		s := &ss[i]
		if s.Frequency == "" {
			s.Frequency = "WEEKLY"
		}
		if s.Interval == 0 {
			s.Interval = 1
		}
		s.Days = trimAll(s.Days)
		s.OpensAt, s.ClosesAt = strings.TrimSpace(s.OpensAt), strings.TrimSpace(s.ClosesAt)
		s.Note = strings.TrimSpace(s.Note)
	}
}

func (l *LocationInput) normalise() {
	l.Name = strings.TrimSpace(l.Name)
	l.Address1, l.Address2 = strings.TrimSpace(l.Address1), strings.TrimSpace(l.Address2)
	l.City, l.Region = strings.TrimSpace(l.City), strings.TrimSpace(l.Region)
	l.Country = strings.ToUpper(strings.TrimSpace(l.Country))
	if l.Country == "" {
		l.Country = "GB"
	}
	if c, _, ok := postcodes.Normalise(l.Postcode); ok {
		l.Postcode = postcodes.Display(c)
	} else {
		l.Postcode = strings.TrimSpace(l.Postcode)
	}
	l.Accessibility = trimAll(l.Accessibility)
}

// validate checks what can be checked without the database. A list longer
// than its limit is the only problem reported: its items are not read.
func (in *ServiceInput) validate(prefix string) fault.Problems {
	if ps := in.checkCounts(prefix); len(ps) > 0 {
		return ps
	}
	var ps fault.Problems
	checkName(&ps, prefix+"name", in.Name, true)
	checkText(&ps, prefix+"description", in.Description)
	checkURL(&ps, prefix+"url", in.URL)
	checkEmail(&ps, prefix+"email", in.Email)
	if !slices.Contains(statuses, in.Status) {
		ps.Add(prefix+"status", "%q is not one of %s", in.Status, strings.Join(statuses, ", "))
	}
	for _, a := range []struct {
		field string
		v     *int
	}{{"eligibility.minimumAge", in.MinimumAge}, {"eligibility.maximumAge", in.MaximumAge}} {
		if a.v != nil && (*a.v < 0 || *a.v > maxAge) {
			ps.Add(prefix+a.field, "must be between 0 and %d", maxAge)
		}
	}
	if in.MinimumAge != nil && in.MaximumAge != nil && *in.MinimumAge > *in.MaximumAge {
		ps.Add(prefix+"eligibility.minimumAge", "must not be greater than the maximum age (%d)", *in.MaximumAge)
	}
	checkText(&ps, prefix+"eligibility.description", in.EligibilityDescription)
	checkText(&ps, prefix+"costDescription", in.CostDescription)
	if in.Spaces != nil && *in.Spaces < 0 {
		ps.Add(prefix+"spaces", "must not be negative")
	}
	checkOneOf(&ps, prefix+"deliveryModes", in.DeliveryModes, deliveryModes)
	checkOneOf(&ps, prefix+"accessRoutes", in.AccessRoutes, accessRoutes)
	bounds.CheckTags(&ps, prefix+"accessibility", in.Accessibility, MaxAccessibility)
	bounds.CheckTags(&ps, prefix+"languages", in.Languages, MaxLanguages)
	bounds.CheckTags(&ps, prefix+"needs", in.NeedCodes, MaxNeeds)
	for i, c := range in.Costs {
		c.validate(&ps, fmt.Sprintf("%scosts[%d].", prefix, i), in.Free)
	}
	for i, c := range in.Contacts {
		f := fmt.Sprintf("%scontacts[%d].", prefix, i)
		if c.Name == "" && c.Title == "" && c.Email == "" && c.Phone == "" {
			ps.Add(f+"name", "a contact needs at least a name, title, e-mail or phone")
		}
		checkName(&ps, f+"name", c.Name, false)
		checkName(&ps, f+"title", c.Title, false)
		checkEmail(&ps, f+"email", c.Email)
		checkPhone(&ps, f+"phone", c.Phone)
	}
	for i, l := range in.Locations {
		f := fmt.Sprintf("%slocations[%d].", prefix, i)
		if l.LocationID == nil && l.Location == nil {
			ps.Add(f+"locationId", "give an existing location's id, a new location, or both to edit one")
		}
		if l.Location != nil {
			ps = append(ps, l.Location.validate(f+"location.")...)
		}
		bounds.CheckProse(&ps, f+"description", l.Description, bounds.Note)
		ps = append(ps, validateSchedules(f+"schedules", l.Schedules)...)
	}
	ps = append(ps, validateSchedules(prefix+"schedules", in.Schedules)...)
	return ps
}

// checkCounts checks the length of every list of a service.
func (in *ServiceInput) checkCounts(prefix string) fault.Problems {
	var ps fault.Problems
	bounds.CheckCount(&ps, prefix+"locations", len(in.Locations), MaxServiceLocations)
	bounds.CheckCount(&ps, prefix+"costs", len(in.Costs), MaxCostOptions)
	bounds.CheckCount(&ps, prefix+"contacts", len(in.Contacts), MaxContacts)
	bounds.CheckCount(&ps, prefix+"needs", len(in.NeedCodes), MaxNeeds)
	bounds.CheckCount(&ps, prefix+"termIds", len(in.TermIDs), MaxTerms)
	if len(in.NeedCodes) <= MaxNeeds && len(in.TermIDs) <= MaxTerms {
		bounds.CheckCount(&ps, prefix+"termIds", len(in.NeedCodes)+len(in.TermIDs), MaxTerms)
	}
	schedules := len(in.Schedules)
	for _, l := range in.Locations {
		schedules += len(l.Schedules)
	}
	if !bounds.CheckCount(&ps, prefix+"schedules", schedules, MaxSchedules) {
		ps[len(ps)-1].Message += ", counting those at its locations"
	}
	return ps
}

func (c *CostInput) validate(ps *fault.Problems, f string, free bool) {
	bounds.CheckLine(ps, f+"option", c.Option, bounds.Line)
	bounds.CheckProse(ps, f+"amountDescription", c.AmountDescription, bounds.Note)
	if a := c.Amount; a != nil {
		switch {
		case math.IsNaN(*a) || *a < 0:
			ps.Add(f+"amount", "must not be negative")
		case *a > MaxCost:
			ps.Add(f+"amount", "must be at most %d", MaxCost)
		case free && *a > 0:
			ps.Add(f+"amount", "a free service cannot have a price above zero")
		}
	}
	if bounds.CheckLine(ps, f+"currency", c.Currency, bounds.Code) && !currencyRE.MatchString(c.Currency) {
		ps.Add(f+"currency", "%q is not a three-letter currency code", c.Currency)
	}
}

func (l *LocationInput) validate(prefix string) fault.Problems {
	var ps fault.Problems
	checkName(&ps, prefix+"name", l.Name, false)
	checkText(&ps, prefix+"description", l.Description)
	bounds.CheckLine(&ps, prefix+"address1", l.Address1, bounds.Line)
	bounds.CheckLine(&ps, prefix+"address2", l.Address2, bounds.Line)
	bounds.CheckLine(&ps, prefix+"city", l.City, bounds.Line)
	bounds.CheckLine(&ps, prefix+"region", l.Region, bounds.Line)
	if l.Name == "" && l.Address1 == "" && l.Postcode == "" {
		ps.Add(prefix+"name", "a location needs a name, an address or a postcode")
	}
	if bounds.CheckAddress(&ps, prefix+"postcode", l.Postcode, bounds.Postcode) && l.Postcode != "" && l.Country == "GB" {
		if _, _, ok := postcodes.Normalise(l.Postcode); !ok {
			ps.Add(prefix+"postcode", "%q is not a UK postcode", l.Postcode)
		}
	}
	if bounds.CheckLine(&ps, prefix+"country", l.Country, bounds.Code) && !countryRE.MatchString(l.Country) {
		ps.Add(prefix+"country", "%q is not a two-letter country code", l.Country)
	}
	bounds.CheckTags(&ps, prefix+"accessibility", l.Accessibility, MaxAccessibility)
	if (l.Latitude == nil) != (l.Longitude == nil) {
		ps.Add(prefix+"latitude", "give both latitude and longitude, or neither")
	}
	if l.Latitude != nil && !(*l.Latitude >= -90 && *l.Latitude <= 90) {
		ps.Add(prefix+"latitude", "must be between -90 and 90")
	}
	if l.Longitude != nil && !(*l.Longitude >= -180 && *l.Longitude <= 180) {
		ps.Add(prefix+"longitude", "must be between -180 and 180")
	}
	return ps
}

func validateSchedules(prefix string, ss []ScheduleInput) fault.Problems {
	var ps fault.Problems
	for i, s := range ss {
		f := fmt.Sprintf("%s[%d].", prefix, i)
		if !slices.Contains(frequencies, s.Frequency) {
			ps.Add(f+"frequency", "%q is not one of %s", s.Frequency, strings.Join(frequencies, ", "))
		}
		if s.Interval < 1 || s.Interval > 52 {
			ps.Add(f+"interval", "must be between 1 and 52")
		}
		if len(s.Days) == 0 {
			ps.Add(f+"days", "name at least one day")
		}
		checkOneOf(&ps, f+"days", s.Days, Weekdays)
		okOpen := s.OpensAt == "" || timeRE.MatchString(s.OpensAt)
		okClose := s.ClosesAt == "" || timeRE.MatchString(s.ClosesAt)
		if !okOpen && bounds.CheckLine(&ps, f+"opensAt", s.OpensAt, len("HH:MM")) {
			ps.Add(f+"opensAt", "%q is not a time of day (HH:MM, 24-hour)", s.OpensAt)
		}
		if !okClose && bounds.CheckLine(&ps, f+"closesAt", s.ClosesAt, len("HH:MM")) {
			ps.Add(f+"closesAt", "%q is not a time of day (HH:MM, 24-hour)", s.ClosesAt)
		}
		if okOpen && okClose && s.OpensAt != "" && s.ClosesAt != "" && s.OpensAt >= s.ClosesAt {
			ps.Add(f+"opensAt", "must be before the closing time (%s)", s.ClosesAt)
		}
		if s.ValidFrom != nil && s.ValidTo != nil && s.ValidFrom.After(*s.ValidTo) {
			ps.Add(f+"validFrom", "must not be after validTo")
		}
		bounds.CheckProse(&ps, f+"note", s.Note, bounds.Note)
	}
	return ps
}
