package directory

import (
	"math"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/bounds"
)

func validServiceInput() ServiceInput {
	amount := 3.5
	lat, lon := 54.97, -2.10
	return ServiceInput{Name: "Tuesday Lunch Club", Description: "A hot lunch.\n\nAnd good company.",
		URL: "https://example.org/lunch", Email: "pat@example.org", Free: false,
		Costs:     []CostInput{{Option: "lunch", Amount: &amount, AmountDescription: "£3.50"}},
		Languages: []string{"English"}, NeedCodes: []string{"loneliness"},
		Contacts: []ContactInput{{Name: "Pat Smith", Email: "pat@example.org", Phone: "01434 600101"}},
		Locations: []ServiceLocationInput{{Description: "Main hall", Location: &LocationInput{Name: "Community Centre",
			Address1: "12 Market Street", Postcode: "NE46 1BG", Latitude: &lat, Longitude: &lon},
			Schedules: []ScheduleInput{{Days: []string{"TU"}, OpensAt: "12:00", ClosesAt: "14:00"}}}},
	}
}

// TestServiceInputBounds: every text and list of a service is bounded, and a
// value out of bounds is refused naming its field.
func TestServiceInputBounds(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "item " + strings.Repeat("i", i%7) + string(rune('a'+i%26)) + strings.Repeat("z", i/26)
		}
		return out
	}
	amount := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name  string
		edit  func(*ServiceInput)
		field string // "" when valid
	}{
		{"valid", func(*ServiceInput) {}, ""},
		{"name at its limit", func(in *ServiceInput) { in.Name = long(bounds.Name) }, ""},
		{"long name", func(in *ServiceInput) { in.Name = long(100000) }, "input.name"},
		{"NUL in name", func(in *ServiceInput) { in.Name = "Lunch\x00Club" }, "input.name"},
		{"invalid UTF-8 in name", func(in *ServiceInput) { in.Name = "Lunch \xff" }, "input.name"},
		{"name on two lines", func(in *ServiceInput) { in.Name = "Lunch\nClub" }, "input.name"},
		{"long description", func(in *ServiceInput) { in.Description = long(bounds.Description + 1) }, "input.description"},
		{"escape in description", func(in *ServiceInput) { in.Description = "\x1b[2J" }, "input.description"},
		{"long URL", func(in *ServiceInput) { in.URL = "https://example.org/" + long(bounds.URL) }, "input.url"},
		{"long e-mail", func(in *ServiceInput) { in.Email = long(250) + "@example.org" }, "input.email"},
		{"zero-width e-mail", func(in *ServiceInput) { in.Email = "pat\u200b@example.org" }, "input.email"},
		{"right-to-left e-mail", func(in *ServiceInput) { in.Email = "pat@\u202eelpmaxe.org" }, "input.email"},
		{"long eligibility", func(in *ServiceInput) { in.EligibilityDescription = long(bounds.Description + 1) }, "input.eligibility.description"},
		{"long cost description", func(in *ServiceInput) { in.CostDescription = long(bounds.Description + 1) }, "input.costDescription"},
		{"cost of 1e308", func(in *ServiceInput) { in.Costs[0].Amount = amount(1e308) }, "input.costs[0].amount"},
		{"infinite cost", func(in *ServiceInput) { in.Costs[0].Amount = amount(math.Inf(1)) }, "input.costs[0].amount"},
		{"NaN cost", func(in *ServiceInput) { in.Costs[0].Amount = amount(math.NaN()) }, "input.costs[0].amount"},
		{"negative cost", func(in *ServiceInput) { in.Costs[0].Amount = amount(-1) }, "input.costs[0].amount"},
		{"cost at its limit", func(in *ServiceInput) { in.Costs[0].Amount = amount(MaxCost) }, ""},
		{"long cost option", func(in *ServiceInput) { in.Costs[0].Option = long(bounds.Line + 1) }, "input.costs[0].option"},
		{"long amount description", func(in *ServiceInput) { in.Costs[0].AmountDescription = long(bounds.Note + 1) }, "input.costs[0].amountDescription"},
		{"long currency", func(in *ServiceInput) { in.Costs[0].Currency = long(1000) }, "input.costs[0].currency"},
		{"long contact name", func(in *ServiceInput) { in.Contacts[0].Name = long(bounds.Name + 1) }, "input.contacts[0].name"},
		{"long contact title", func(in *ServiceInput) { in.Contacts[0].Title = long(bounds.Name + 1) }, "input.contacts[0].title"},
		{"long contact phone", func(in *ServiceInput) { in.Contacts[0].Phone = "0" + long(bounds.Phone) }, "input.contacts[0].phone"},
		{"hidden contact e-mail", func(in *ServiceInput) { in.Contacts[0].Email = "\ufeffpat@example.org" }, "input.contacts[0].email"},
		{"long language", func(in *ServiceInput) { in.Languages = []string{long(bounds.Tag + 1)} }, "input.languages[0]"},
		{"NUL in accessibility", func(in *ServiceInput) { in.Accessibility = []string{"ramp", "lo\x00op"} }, "input.accessibility[1]"},
		{"long location name", func(in *ServiceInput) { in.Locations[0].Location.Name = long(bounds.Name + 1) }, "input.locations[0].location.name"},
		{"long address", func(in *ServiceInput) { in.Locations[0].Location.Address1 = long(100000) }, "input.locations[0].location.address1"},
		{"long second line", func(in *ServiceInput) { in.Locations[0].Location.Address2 = long(bounds.Line + 1) }, "input.locations[0].location.address2"},
		{"long city", func(in *ServiceInput) { in.Locations[0].Location.City = long(bounds.Line + 1) }, "input.locations[0].location.city"},
		{"long region", func(in *ServiceInput) { in.Locations[0].Location.Region = long(bounds.Line + 1) }, "input.locations[0].location.region"},
		{"long postcode", func(in *ServiceInput) { in.Locations[0].Location.Postcode = long(bounds.Postcode + 1) }, "input.locations[0].location.postcode"},
		{"long foreign postcode", func(in *ServiceInput) {
			in.Locations[0].Location.Country, in.Locations[0].Location.Postcode = "FR", long(bounds.Postcode+1)
		}, "input.locations[0].location.postcode"},
		{"country not a code", func(in *ServiceInput) { in.Locations[0].Location.Country = "Narnia" }, "input.locations[0].location.country"},
		{"long location description", func(in *ServiceInput) { in.Locations[0].Location.Description = long(bounds.Description + 1) }, "input.locations[0].location.description"},
		{"long description at location", func(in *ServiceInput) { in.Locations[0].Description = long(bounds.Note + 1) }, "input.locations[0].description"},
		{"long schedule note", func(in *ServiceInput) { in.Locations[0].Schedules[0].Note = long(bounds.Note + 1) }, "input.locations[0].schedules[0].note"},
		{"long opening time", func(in *ServiceInput) { in.Locations[0].Schedules[0].OpensAt = long(100000) }, "input.locations[0].schedules[0].opensAt"},
		{"51 locations", func(in *ServiceInput) {
			in.Locations = make([]ServiceLocationInput, MaxServiceLocations+1)
		}, "input.locations"},
		{"101 schedules", func(in *ServiceInput) {
			in.Schedules = make([]ScheduleInput, MaxSchedules)
		}, "input.schedules"},
		{"5000 schedules", func(in *ServiceInput) { in.Schedules = make([]ScheduleInput, 5000) }, "input.schedules"},
		{"21 cost options", func(in *ServiceInput) { in.Costs = make([]CostInput, MaxCostOptions+1) }, "input.costs"},
		{"21 contacts", func(in *ServiceInput) { in.Contacts = make([]ContactInput, MaxContacts+1) }, "input.contacts"},
		{"21 needs", func(in *ServiceInput) { in.NeedCodes = many(MaxNeeds + 1) }, "input.needs"},
		{"51 terms", func(in *ServiceInput) { in.TermIDs = make([]uuid.UUID, MaxTerms+1) }, "input.termIds"},
		{"50 terms and a need", func(in *ServiceInput) { in.TermIDs = make([]uuid.UUID, MaxTerms) }, "input.termIds"},
		{"21 languages", func(in *ServiceInput) { in.Languages = many(MaxLanguages + 1) }, "input.languages"},
		{"21 accessibility features", func(in *ServiceInput) { in.Accessibility = many(MaxAccessibility + 1) }, "input.accessibility"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := validServiceInput()
			c.edit(&in)
			in.normalise()
			ps := in.validate("input.")
			switch {
			case c.field == "" && len(ps) > 0:
				t.Errorf("refused: %v", ps)
			case c.field != "" && (len(ps) == 0 || ps[0].Field != c.field):
				t.Errorf("got %v, want a problem with %s first", ps, c.field)
			case len(ps) > 0 && len(ps[0].Message) > 300:
				t.Errorf("the message quotes the bad value: %.100s…", ps[0].Message)
			}
		})
	}
}

func TestOrganisationInputBounds(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    OrganisationInput
		field string
	}{
		{"valid", OrganisationInput{Name: "Ashbridge Carers", Website: "https://example.org", Email: "hi@example.org", Phone: "01434 600100", CharityNumber: "1234567"}, ""},
		{"long name", OrganisationInput{Name: strings.Repeat("x", bounds.Name+1)}, "input.name"},
		{"NUL in name", OrganisationInput{Name: "Ash\x00bridge"}, "input.name"},
		{"long description", OrganisationInput{Name: "A", Description: strings.Repeat("x", bounds.Description+1)}, "input.description"},
		{"long website", OrganisationInput{Name: "A", Website: "https://example.org/" + strings.Repeat("x", bounds.URL)}, "input.website"},
		{"bidi in e-mail", OrganisationInput{Name: "A", Email: "hi@\u2066example.org"}, "input.email"},
		{"long phone", OrganisationInput{Name: "A", Phone: strings.Repeat("1", bounds.Phone+1)}, "input.phone"},
		{"long charity number", OrganisationInput{Name: "A", CharityNumber: strings.Repeat("1", bounds.Code+1)}, "input.charityNumber"},
		{"control in company number", OrganisationInput{Name: "A", CompanyNumber: "12\x0734"}, "input.companyNumber"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.normalise()
			ps := in.validate("input.")
			if c.field == "" && len(ps) > 0 || c.field != "" && (len(ps) == 0 || ps[0].Field != c.field) {
				t.Errorf("got %v, want %q", ps, c.field)
			}
		})
	}
}
