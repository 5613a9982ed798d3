package directory

import (
	"slices"
	"strings"
	"testing"
)

// TestAudienceInputValidation: an organisation's answer to whom a service
// is for is checked field by field, each problem naming its field.
func TestAudienceInputValidation(t *testing.T) {
	n := func(v int) *int { return &v }
	many := make([]string, MaxAudienceGroups+1)
	for i := range many {
		many[i] = "carer"
	}
	for _, tc := range []struct {
		name  string
		in    AudienceInput
		field string // "" when valid
	}{
		{"everyone", AudienceInput{}, ""},
		{"women over 50 who care", AudienceInput{MinimumAge: n(50), Gender: " Women ", Groups: []string{"carer", " carer"}}, ""},
		{"ages 0 and 130", AudienceInput{MinimumAge: n(0), MaximumAge: n(130)}, ""},
		{"negative age", AudienceInput{MinimumAge: n(-1)}, "input.minimumAge"},
		{"age over 130", AudienceInput{MaximumAge: n(131)}, "input.maximumAge"},
		{"minimum above maximum", AudienceInput{MinimumAge: n(30), MaximumAge: n(18)}, "input.minimumAge"},
		{"a person's gender, not an audience's", AudienceInput{Gender: "woman"}, "input.gender"},
		{"unknown group", AudienceInput{Groups: []string{"veteran", "Dementia"}}, "input.groups[1]"},
		{"a group with a control character", AudienceInput{Groups: []string{"carer\x00"}}, "input.groups[0]"},
		{"too many groups", AudienceInput{Groups: append(many, "x")}, "input.groups"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.normalise()
			ps := in.validate("input.")
			if tc.field == "" {
				if len(ps) > 0 {
					t.Fatalf("refused: %v", ps)
				}
				return
			}
			if len(ps) == 0 || ps[0].Field != tc.field || !strings.Contains(ps.Err().Error(), tc.field) {
				t.Fatalf("problems %v, want one naming %s", ps, tc.field)
			}
		})
	}
	in := AudienceInput{Gender: " Men ", Groups: []string{" carer", "carer", "veteran", ""}}
	in.normalise()
	if in.Gender != "men" || !slices.Equal(in.Groups, []string{"carer", "veteran"}) {
		t.Errorf("normalised to %q %q", in.Gender, in.Groups)
	}
}
