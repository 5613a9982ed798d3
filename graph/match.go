package graph

import (
	"sort"

	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
)

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toMatchProfile(in model.MatchProfileInput) (matching.Profile, error) {
	p := matching.Profile{Profile: matcher.Profile{Needs: in.Needs, Goals: in.Goals, Interests: in.Interests,
		Age: in.Age, MaxDistanceKm: in.MaxDistanceKm, AcceptsRemote: in.AcceptsRemote, FreeOnly: deref(in.FreeOnly),
		Languages: in.Languages, Accessibility: in.Accessibility,
		Gender: casework.MatcherGender(deref(in.Gender)), Circumstances: in.Circumstances}}
	var ps fault.Problems
	casework.CheckCircumstances(&ps, "profile.circumstances", in.Circumstances)
	if err := ps.Err(); err != nil {
		return p, err
	}
	if l := in.Location; l != nil {
		if l.Latitude != nil || l.Longitude != nil {
			if l.Latitude == nil || l.Longitude == nil {
				return p, invalid("profile.location", "give both latitude and longitude")
			}
			p.Location = &matcher.Point{Latitude: *l.Latitude, Longitude: *l.Longitude}
		}
		if l.Postcode != nil {
			p.Postcode = *l.Postcode // matching refuses a postcode beside coordinates
		}
	}
	for _, a := range in.Availability {
		p.Availability = append(p.Availability, matcher.Availability{Day: weekdayToStore[a.Day], From: deref(a.From), To: deref(a.To)})
	}
	return p, nil
}

func facetsOf(f matcher.Facets) *model.ServiceFacets {
	out := &model.ServiceFacets{Total: f.Total, Free: f.Free, Needs: []model.NeedCount{}, Terms: []model.TermCount{},
		DeliveryModes: []model.DeliveryModeCount{}}
	for code, n := range f.Needs {
		out.Needs = append(out.Needs, model.NeedCount{Code: code, Label: f.NeedLabels[code], Count: n})
	}
	sort.Slice(out.Needs, func(i, j int) bool {
		return out.Needs[i].Count > out.Needs[j].Count || out.Needs[i].Count == out.Needs[j].Count && out.Needs[i].Code < out.Needs[j].Code
	})
	for id, n := range f.Terms {
		if u, err := parseUUID(id); err == nil {
			out.Terms = append(out.Terms, model.TermCount{TermID: globalID(kindTerm, u), Label: f.TermLabels[id], Count: n})
		}
	}
	sort.Slice(out.Terms, func(i, j int) bool {
		return out.Terms[i].Count > out.Terms[j].Count || out.Terms[i].Count == out.Terms[j].Count && out.Terms[i].Label < out.Terms[j].Label
	})
	if len(out.Terms) > 50 {
		out.Terms = out.Terms[:50]
	}
	for mode, n := range f.DeliveryModes {
		if m, ok := deliveryFromStore[mode]; ok {
			out.DeliveryModes = append(out.DeliveryModes, model.DeliveryModeCount{Mode: m, Count: n})
		}
	}
	sort.Slice(out.DeliveryModes, func(i, j int) bool { return out.DeliveryModes[i].Count > out.DeliveryModes[j].Count })
	return out
}

// invalid is one invalid field.
func invalid(field, msg string) error { return fault.InvalidField(field, "%s", msg) }
