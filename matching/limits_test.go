package matching_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/pgtest"
)

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// Every part of a profile is bounded; the error names the part.
func TestProfileBounds(t *testing.T) {
	m := newMatching(t, pgtest.NewStore(t))
	long := strings.Repeat("singing ", 38) // 304 characters
	cases := []struct {
		name  string
		p     matcher.Profile
		pc    string
		field string
		msg   string
	}{
		{"too many goals", matcher.Profile{Goals: repeat("walking", matching.MaxGoals+1)}, "", "profile.goals", "at most 10 items"},
		{"a long goal", matcher.Profile{Goals: []string{"walking", "choir", "cards", long}}, "", "profile.goals[3]", "at most 300 characters"},
		{"100,000 words of goals", matcher.Profile{Goals: []string{strings.Repeat("word ", 100000)}}, "", "profile.goals[0]", "at most 300 characters"},
		{"too many interests", matcher.Profile{Interests: repeat("cards", matching.MaxInterests+1)}, "", "profile.interests", "at most 10 items"},
		{"a goal with a terminal escape", matcher.Profile{Goals: []string{"walking\x1b[2J"}}, "", "profile.goals[0]", "control characters"},
		{"a postcode with a zero-width space", matcher.Profile{Needs: []string{"debt"}}, "NE46\u200b1BG", "profile.location.postcode", "invisible"},
		{"a long interest", matcher.Profile{Interests: []string{long}}, "", "profile.interests[0]", "at most 300 characters"},
		{"too many needs", matcher.Profile{Needs: repeat("debt", matching.MaxNeeds+1)}, "", "profile.needs", "at most 20 items"},
		{"a long need", matcher.Profile{Needs: []string{strings.Repeat("x", 101)}}, "", "profile.needs[0]", "at most 100 characters"},
		{"too many slots", matcher.Profile{Needs: []string{"debt"}, Availability: make([]matcher.Availability, matching.MaxAvailability+1)}, "", "profile.availability", "at most 28 slots"},
		{"too many languages", matcher.Profile{Needs: []string{"debt"}, Languages: repeat("Polish", 11)}, "", "profile.languages", "at most 10 items"},
		{"a long language", matcher.Profile{Needs: []string{"debt"}, Languages: []string{strings.Repeat("x", 101)}}, "", "profile.languages[0]", "at most 100 characters"},
		{"too many accessibility needs", matcher.Profile{Needs: []string{"debt"}, Accessibility: repeat("ramp", 11)}, "", "profile.accessibility", "at most 10 items"},
		{"too far", matcher.Profile{Needs: []string{"debt"}, Location: townCentre, MaxDistanceKm: floatp(201)}, "", "profile.maxDistanceKm", "at most 200"},
		{"NaN distance", matcher.Profile{Needs: []string{"debt"}, Location: townCentre, MaxDistanceKm: floatp(math.NaN())}, "", "profile.maxDistanceKm", "at most 200"},
		{"infinite coordinates", matcher.Profile{Needs: []string{"debt"}, Location: &matcher.Point{Latitude: math.Inf(1)}}, "", "profile.location", "numbers"},
		{"a long postcode", matcher.Profile{Needs: []string{"debt"}}, strings.Repeat("NE46 ", 100), "profile.location.postcode", "at most 16 characters"},
		{"too many circumstances", matcher.Profile{Needs: []string{"debt"}, Circumstances: repeat("carer", matching.MaxCircumstances+1)}, "", "profile.circumstances", "at most 32 items"},
		{"a long circumstance", matcher.Profile{Needs: []string{"debt"}, Circumstances: []string{strings.Repeat("x", 101)}}, "", "profile.circumstances[0]", "at most 100 characters"},
		{"an age over 130", matcher.Profile{Needs: []string{"debt"}, Age: intp(131)}, "", "profile.age", "between 0 and 130"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Match(context.Background(), matching.Profile{Profile: c.p, Postcode: c.pc}, 10)
			var inv *fault.Invalid
			if !errors.As(err, &inv) {
				t.Fatalf("err %v, want invalid %s", err, c.field)
			}
			if got := inv.Problems[0]; got.Field != c.field || !strings.Contains(got.Message, c.msg) {
				t.Fatalf("problem %s: %s, want %s: …%s…", got.Field, got.Message, c.field, c.msg)
			}
		})
	}
	// At the bounds, a profile is ranked.
	at := matcher.Profile{Needs: repeat("debt", matching.MaxNeeds), Goals: repeat(long[:300], matching.MaxGoals),
		Interests: repeat(long[:300], matching.MaxInterests), Languages: repeat("English", matching.MaxLanguages),
		Availability: repeat28(), Location: townCentre, MaxDistanceKm: floatp(matching.MaxDistanceKm)}
	if _, err := m.Match(context.Background(), matching.Profile{Profile: at}, matching.MaxResults); err != nil {
		t.Fatalf("a profile at every bound: %v", err)
	}
}

func repeat28() []matcher.Availability {
	out := make([]matcher.Availability, matching.MaxAvailability)
	for i := range out {
		out[i] = matcher.Availability{Day: "MO"}
	}
	return out
}

// A client's record may hold more than one ranking weighs: suggestions fit
// it to the bounds rather than fail.
func TestFitBringsARecordWithinTheBounds(t *testing.T) {
	m := newMatching(t, pgtest.NewStore(t))
	record := matcher.Profile{Needs: []string{"loneliness"}, Goals: repeat(strings.Repeat("go to the singing group ", 40), 50),
		Interests: repeat("cards", 30), Languages: repeat("English", 20), Accessibility: repeat("step-free access", 20),
		Availability: make([]matcher.Availability, 40), Location: townCentre, MaxDistanceKm: floatp(500)}
	for i := range record.Availability {
		record.Availability[i] = matcher.Availability{Day: "TU"}
	}
	p := matching.Fit(record)
	if len(p.Goals) != matching.MaxGoals || len(p.Goals[0]) > matching.MaxTextLength || strings.HasSuffix(p.Goals[0], " ") ||
		!strings.HasPrefix(record.Goals[0], p.Goals[0]) {
		t.Fatalf("goals fitted to %d, first %q", len(p.Goals), p.Goals[0])
	}
	if _, err := m.Match(context.Background(), p, 10); err != nil {
		t.Fatalf("a fitted record: %v", err)
	}
}
