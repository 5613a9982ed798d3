package matching

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
)

// Bounds on a profile: what one ranking may be asked to weigh. A ranking's
// work and memory grow with the words it is given (the text query, the
// reasons for every match), so a profile over any bound is refused before
// anything runs.
const (
	MaxNeeds         = 20  // the built-in vocabulary has 20
	MaxGoals         = 10  // goals in the client's words
	MaxInterests     = 10  // interests in the client's words
	MaxTextLength    = 300 // characters in one goal or interest
	MaxAvailability  = 28  // slots: four a day
	MaxLanguages     = 10
	MaxAccessibility = 10
	MaxTermLength    = 100 // characters in a need code, language or accessibility need
	MaxDistanceKm    = 200
	MaxPostcode      = 16 // characters in a postcode
	// MaxCircumstances: a person cannot be in more groups than the
	// vocabulary holds.
	MaxCircumstances = 32
)

// checkBounds returns every bound the profile breaks, naming the field
// under "profile.". Counts are checked before items, so a list of a
// million items costs one problem.
func checkBounds(p Profile) fault.Problems {
	var ps fault.Problems
	// The client's words are lines of text under the project's own rules
	// (lengths, no control characters, valid UTF-8).
	texts := func(field string, items []string, most, length int) {
		if !bounds.CheckCount(&ps, "profile."+field, len(items), most) {
			return
		}
		for i, s := range items {
			bounds.CheckLine(&ps, fmt.Sprintf("profile.%s[%d]", field, i), s, length)
		}
	}
	texts("needs", p.Needs, MaxNeeds, MaxTermLength)
	texts("goals", p.Goals, MaxGoals, MaxTextLength)
	texts("interests", p.Interests, MaxInterests, MaxTextLength)
	texts("languages", p.Languages, MaxLanguages, MaxTermLength)
	texts("accessibility", p.Accessibility, MaxAccessibility, MaxTermLength)
	texts("circumstances", p.Circumstances, MaxCircumstances, MaxTermLength)
	if len(p.Availability) > MaxAvailability {
		ps.Add("profile.availability", "at most %d slots", MaxAvailability)
	}
	if d := p.MaxDistanceKm; d != nil && !(*d > 0 && *d <= MaxDistanceKm) { // NaN fails too
		ps.Add("profile.maxDistanceKm", "must be above 0 and at most %d", MaxDistanceKm)
	}
	if l := p.Location; l != nil && !(finite(l.Latitude) && finite(l.Longitude)) {
		ps.Add("profile.location", "coordinates must be numbers")
	}
	bounds.CheckAddress(&ps, "profile.location.postcode", p.Postcode, MaxPostcode)
	return ps
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Fit brings a profile built from a record (a client's, which may hold
// fifty goals) within the bounds: the first items of each list, texts cut
// at a word boundary. A caller's own profile is refused instead, so that
// nothing they typed is silently dropped.
func Fit(p matcher.Profile) Profile {
	p.Needs = first(p.Needs, MaxNeeds, MaxTermLength)
	p.Goals = first(p.Goals, MaxGoals, MaxTextLength)
	p.Interests = first(p.Interests, MaxInterests, MaxTextLength)
	p.Languages = first(p.Languages, MaxLanguages, MaxTermLength)
	p.Accessibility = first(p.Accessibility, MaxAccessibility, MaxTermLength)
	p.Circumstances = first(p.Circumstances, MaxCircumstances, MaxTermLength)
	if len(p.Availability) > MaxAvailability {
		p.Availability = p.Availability[:MaxAvailability]
	}
	if d := p.MaxDistanceKm; d != nil && *d > MaxDistanceKm {
		most := float64(MaxDistanceKm)
		p.MaxDistanceKm = &most
	}
	return Profile{Profile: p}
}

func first(items []string, most, length int) []string {
	if len(items) > most {
		items = items[:most]
	}
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = cut(s, length)
	}
	return out
}

// cut shortens s to at most n characters, at a space when there is one.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > 0 {
		return string(r)[:i]
	}
	return string(r)
}
