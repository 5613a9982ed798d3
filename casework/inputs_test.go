package casework

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// TestClientInputBounds: every text and list of a client is bounded, and a
// value out of bounds is refused naming its field.
func TestClientInputBounds(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	words := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "word " + strings.Repeat("w", i)
		}
		return out
	}
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		edit  func(*ClientInput)
		field string // "" when valid
	}{
		{"valid", func(*ClientInput) {}, ""},
		{"name at its limit", func(in *ClientInput) { in.FirstName = long(bounds.Name) }, ""},
		{"long first name", func(in *ClientInput) { in.FirstName = long(100000) }, "input.firstName"},
		{"long last name", func(in *ClientInput) { in.LastName = long(bounds.Name + 1) }, "input.lastName"},
		{"NUL in a name", func(in *ClientInput) { in.LastName = "Ok\x00afor" }, "input.lastName"},
		{"invalid UTF-8 in a name", func(in *ClientInput) { in.FirstName = "Ruth\xc3" }, "input.firstName"},
		{"long postcode", func(in *ClientInput) { in.Postcode = long(bounds.Postcode + 1) }, "input.postcode"},
		{"NUL in postcode", func(in *ClientInput) { in.Postcode = "NE46\x001BG" }, "input.postcode"},
		{"long NHS number", func(in *ClientInput) { in.NHSNumber = long(bounds.Code + 1) }, "input.nhsNumber"},
		{"long e-mail", func(in *ClientInput) { in.Email = long(250) + "@example.org" }, "input.email"},
		{"zero-width e-mail", func(in *ClientInput) { in.Email = "ruth\u200c@example.org" }, "input.email"},
		{"right-to-left e-mail", func(in *ClientInput) { in.Email = "ruth@\u202eelpmaxe.org" }, "input.email"},
		{"long phone", func(in *ClientInput) { in.Phone = "0" + long(bounds.Phone) }, "input.phone"},
		{"long referral detail", func(in *ClientInput) { in.ReferralDetail = long(bounds.Line + 1) }, "input.referralDetail"},
		{"21 needs", func(in *ClientInput) { in.Needs = make([]NeedInput, MaxNeeds+1) }, "input.needs"},
		{"29 free times", func(in *ClientInput) { in.Availability = make([]store.Availability, MaxAvailability+1) }, "input.availability"},
		{"21 languages", func(in *ClientInput) { in.Languages = words(MaxTags + 1) }, "input.languages"},
		{"21 accessibility needs", func(in *ClientInput) { in.Accessibility = words(MaxTags + 1) }, "input.accessibility"},
		{"100,000 interests", func(in *ClientInput) { in.Interests = words(100000) }, "input.interests"},
		{"long interest", func(in *ClientInput) { in.Interests = []string{"singing", long(bounds.Tag + 1)} }, "input.interests[1]"},
		{"control in a language", func(in *ClientInput) { in.Languages = []string{"Pol\x1bski"} }, "input.languages[0]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := ClientInput{TeamID: uuid.New(), FirstName: "Ruth", LastName: "Okafor", Phone: "07700 900123",
				ReferralSource: "SELF", ConsentHold: true, Interests: []string{"singing"}}
			c.edit(&in)
			in.normalise()
			ps := in.validate("input.", now)
			switch {
			case c.field == "" && len(ps) > 0:
				t.Errorf("refused: %v", ps)
			case c.field != "" && (len(ps) == 0 || ps[0].Field != c.field):
				t.Errorf("got %v, want a problem with %s first", ps, c.field)
			}
		})
	}
}

func TestSessionInputBounds(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		in    SessionInput
		field string
	}{
		{"valid", SessionInput{Date: day, Kind: "VIDEO", Notes: "Talked about the choir.\nWill try Tuesday."}, ""},
		{"long notes", SessionInput{Date: day, Kind: "VIDEO", Notes: strings.Repeat("x", bounds.Prose+1)}, "input.notes"},
		{"NUL in notes", SessionInput{Date: day, Kind: "VIDEO", Notes: "a\x00b"}, "input.notes"},
		{"long extension reason", SessionInput{Date: day, Kind: "VIDEO", ExtensionReason: strings.Repeat("x", bounds.Note+1)}, "input.extensionReason"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ps fault.Problems
			in := c.in
			in.check(&ps)
			if c.field == "" && len(ps) > 0 || c.field != "" && (len(ps) == 0 || ps[0].Field != c.field) {
				t.Errorf("got %v, want %q", ps, c.field)
			}
		})
	}
}
