package apitest

import (
	"context"
	"strings"
	"testing"

	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/shareddata"
)

const matchQuery = `query($p: MatchProfileInput!, $first: Int) {
  matchServices(profile: $p, first: $first) {
    score distanceKm nearestLocation needsCovered
    session { days opensAt closesAt location monthly note }
    reasons { kind text }
    service { id name sourceId organisation { name } locations { location { postcode } } }
  }
}`

type match struct {
	Score           float64
	DistanceKm      *float64
	NearestLocation *string
	NeedsCovered    []string
	Session         *struct {
		Days              []string
		OpensAt, ClosesAt *string
		Location          string
	}
	Reasons []struct{ Kind, Text string }
	Service struct {
		ID, Name, SourceID string
	}
}

func (e *env) match(p map[string]any, first int) []match {
	e.t.Helper()
	var out struct{ MatchServices []match }
	e.ok(matchQuery, map[string]any{"p": p, "first": first}, &out)
	return out.MatchServices
}

func TestMatchServicesOnTheDemoTown(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ms := e.match(map[string]any{
		"needs": []any{"loneliness", "debt"}, "goals": []any{"meet people and sing"}, "age": 72,
		"location": map[string]any{"postcode": "NE46 1BG"}, "maxDistanceKm": 5,
		"availability": []any{map[string]any{"day": "TUESDAY", "from": "09:00", "to": "15:00"}},
	}, 8)
	if len(ms) != 8 {
		t.Fatalf("got %d matches, want 8", len(ms))
	}
	covered := map[string]bool{}
	for i, m := range ms {
		if i < 3 {
			for _, n := range m.NeedsCovered {
				covered[n] = true
			}
		}
		if i > 0 && m.Score > ms[i-1].Score+0.2 {
			t.Errorf("scores are far out of order: %v then %v", ms[i-1].Score, m.Score)
		}
		if len(m.Reasons) == 0 || m.Service.Name == "" {
			t.Errorf("match %d has no reasons or service: %+v", i, m)
		}
	}
	if !covered["loneliness"] || !covered["debt"] {
		t.Errorf("the top 3 cover %v; want both needs", covered)
	}
	// Reasons a link worker can repeat, and the fitting session.
	var sawDistance, sawSession bool
	for _, m := range ms {
		for _, r := range m.Reasons {
			switch r.Kind {
			case "DISTANCE":
				sawDistance = sawDistance || strings.Contains(r.Text, "away at") || strings.Contains(r.Text, "Right by")
			case "SESSION":
				sawSession = sawSession || strings.Contains(r.Text, "when the client is free")
			}
		}
		if m.DistanceKm != nil && *m.DistanceKm > 5 {
			t.Errorf("%s is %.1f km away, beyond the 5 km limit", m.Service.Name, *m.DistanceKm)
		}
	}
	if !sawDistance || !sawSession {
		t.Errorf("no distance or fitting-session reasons: %+v", ms)
	}
}

func TestMatchServicesSeesChangesThroughTheOutbox(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	o := e.newOrg("Ashbridge Origami Society")
	in := validService()
	in["name"], in["description"], in["needs"] = "Origami Afternoons", "Fold paper cranes together.", []any{"arts-and-creativity"}
	in["eligibility"] = map[string]any{}
	var created struct{ CreateService struct{ ID string } }
	e.ok(createService, map[string]any{"org": o.ID, "in": in}, &created)
	e.synced()
	found := false
	for _, m := range e.match(map[string]any{"interests": []any{"origami"}}, 5) {
		found = found || m.Service.ID == created.CreateService.ID
	}
	if !found {
		t.Fatal("a new service is not matched after the index caught up")
	}
}

func TestMatchServicesBadInput(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	cases := []struct {
		p     map[string]any
		first int
		field string
	}{
		{map[string]any{}, 5, "profile.needs"},
		{map[string]any{"needs": []any{"loneliness", "time-travel"}}, 5, "profile.needs[1]"},
		{map[string]any{"needs": []any{"debt"}, "age": 200}, 5, "profile.age"},
		{map[string]any{"needs": []any{"debt"}, "location": map[string]any{"latitude": 95.0, "longitude": 0.0}}, 5, "profile.location"},
		{map[string]any{"needs": []any{"debt"}, "location": map[string]any{"latitude": 54.9}}, 5, "profile.location"},
		{map[string]any{"needs": []any{"debt"}, "location": map[string]any{"postcode": "NOT A POSTCODE"}}, 5, "profile.location.postcode"},
		{map[string]any{"needs": []any{"debt"}, "location": map[string]any{"postcode": "ZZ99 9ZZ"}}, 5, "profile.location.postcode"},
		{map[string]any{"needs": []any{"debt"}, "maxDistanceKm": 5}, 5, "profile.maxDistanceKm"},
		{map[string]any{"needs": []any{"debt"}, "availability": []any{map[string]any{"day": "MONDAY", "from": "17:00", "to": "09:00"}}}, 5, "profile.availability[0].from"},
		{map[string]any{"needs": []any{"debt"}}, 0, "first"},
		{map[string]any{"needs": []any{"debt"}}, 51, "first"},
	}
	for _, c := range cases {
		err := e.fails(matchQuery, map[string]any{"p": c.p, "first": c.first}, "BAD_USER_INPUT")
		if err.Extensions["field"] != c.field {
			t.Errorf("%v: field %v, want %s (%s)", c.p, err.Extensions["field"], c.field, err.Message)
		}
	}
}

func TestMatchServicesOnImported211Data(t *testing.T) {
	e := newEnv(t, envOptions{})
	ds, _, err := openreferral.Read(shareddata.Path(t, "hsds-miami-211", "datapackage.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openreferral.Import(context.Background(), e.st, ds, openreferral.Options{Source: "miami"}); err != nil {
		t.Fatal(err)
	}
	e.synced()
	ms := e.match(map[string]any{"needs": []any{"food"}, "goals": []any{"soup kitchen"},
		"location": map[string]any{"latitude": 25.7743, "longitude": -80.1937}, "maxDistanceKm": 15}, 10)
	if len(ms) < 5 {
		t.Fatalf("only %d matches for food in Miami", len(ms))
	}
	for _, m := range ms {
		if m.Service.SourceID == "" {
			t.Errorf("%s has no sourceId", m.Service.Name)
		}
		if len(m.NeedsCovered) == 0 || m.NeedsCovered[0] != "food" {
			t.Errorf("%s does not cover food: %v", m.Service.Name, m.NeedsCovered)
		}
	}
}

func TestServicesKeywordSearchAndFacets(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	const q = `query($f: ServiceFilter) { services(first: 50, filter: $f) { totalCount edges { node { name } }
		facets { total free needs { code label count } terms { termId label count } deliveryModes { mode count } } } }`
	var out struct {
		Services struct {
			TotalCount int
			Edges      []struct{ Node struct{ Name string } }
			Facets     struct {
				Total, Free int
				Needs       []struct {
					Code, Label string
					Count       int
				}
				Terms []struct {
					TermID, Label string
					Count         int
				}
				DeliveryModes []struct {
					Mode  string
					Count int
				}
			}
		}
	}
	e.ok(q, map[string]any{"f": map[string]any{"text": "singing"}}, &out)
	s := out.Services
	if s.TotalCount < 2 || s.Facets.Total != s.TotalCount {
		t.Fatalf("singing: %d services, facets over %d", s.TotalCount, s.Facets.Total)
	}
	for _, ed := range s.Edges {
		if !strings.Contains(strings.ToLower(ed.Node.Name), "sing") && !strings.Contains(strings.ToLower(ed.Node.Name), "choir") {
			t.Errorf("singing found %q", ed.Node.Name)
		}
	}
	arts := 0
	for _, n := range s.Facets.Needs {
		if n.Code == "arts-and-creativity" {
			arts = n.Count
		}
	}
	if arts != s.TotalCount {
		t.Errorf("arts facet %d of %d singing services", arts, s.TotalCount)
	}
	e.ok(q, nil, &out)
	all := out.Services.Facets
	if all.Total != 155 || all.Free == 0 || all.Free >= 155 || len(all.Needs) != 20 || len(all.DeliveryModes) != 3 || len(all.Terms) == 0 {
		t.Fatalf("facets over the whole directory: %+v", all)
	}
	// A need is labelled in the facets as the needs query labels it.
	var vocabulary struct {
		Needs []struct{ Code, Label string }
	}
	e.ok(`{ needs { code label } }`, nil, &vocabulary)
	labels := map[string]string{}
	for _, n := range vocabulary.Needs {
		labels[n.Code] = n.Label
	}
	for _, n := range all.Needs {
		if n.Label == "" || n.Label != labels[n.Code] {
			t.Errorf("facet %s is labelled %q, the needs query says %q", n.Code, n.Label, labels[n.Code])
		}
	}
	// Facets follow the other filters too.
	e.ok(q, map[string]any{"f": map[string]any{"freeOnly": true}}, &out)
	if out.Services.Facets.Free != out.Services.TotalCount || out.Services.Facets.Total != out.Services.TotalCount {
		t.Fatalf("freeOnly facets: %+v of %d", out.Services.Facets, out.Services.TotalCount)
	}
}
