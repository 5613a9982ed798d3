package matcher

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }
func boolp(b bool) *bool        { return &b }
func day(s string) *time.Time   { t, _ := time.Parse("2006-01-02", s); return &t }

var ashbridge = Point{54.9700, -2.1000}

// town is a small directory: names say what each service is for.
func town() []Document {
	near := []Location{{Name: "Community Centre", Postcode: "NE46 1BG", Latitude: 54.9685, Longitude: -2.1010}}
	far := []Location{{Name: "City Hall", Postcode: "NE1 1AA", Latitude: 54.9677, Longitude: -1.6158}} // ~31 km east
	base := func(id, name, desc string) Document {
		return Document{ID: id, Name: name, Description: desc, OrganisationID: "org-" + id, OrganisationName: "Org " + id,
			Status: "active", AcceptingRefs: true, DeliveryModes: []string{"in_person"}, Locations: near,
			Sessions: []Session{{Days: []string{"TU"}, Opens: "10:00", Closes: "12:00", Location: "Community Centre"}}}
	}
	docs := []Document{
		base("lunch", "Tuesday Lunch Club", "A hot lunch and good company for older people who live alone."),
		base("befriend", "Telephone Befriending", "A volunteer rings you every week for a chat."),
		base("walk", "Riverside Health Walk", "A gentle walk along the river."),
		base("debt", "Debt Advice Clinic", "Help with arrears, bailiffs and creditors."),
		base("choir", "Community Choir", "Sing together, no auditions."),
		base("tagged", "Tuesday Group", "A friendly group."),
		base("airs", "Neighbourhood Pantry", "Open to all."),
	}
	docs[1].DeliveryModes = []string{"telephone"}
	docs[1].Locations = nil
	docs[2].Free = true
	docs[2].AssuredDate = day("2026-11-01")
	docs[3].Locations = far
	docs[4].MinimumAge, docs[4].MaximumAge = intp(16), intp(99)
	docs[4].CostText = "£4 per session"
	docs[5].Terms = []Term{{ID: "t1", Taxonomy: "signpost-needs", Code: "carers", Label: "Carers"}}
	docs[6].Terms = []Term{{ID: "t2", Taxonomy: "Open211 Miami - AIRS", Code: "BD-1800.2000", Label: "Food Pantries"}}
	return docs
}

func newIndex(t *testing.T, docs []Document) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Apply(context.Background(), docs, nil); err != nil {
		t.Fatal(err)
	}
	return ix
}

func rank(t *testing.T, ix *Index, p Profile) []Match {
	t.Helper()
	ms, err := ix.Rank(context.Background(), p, Options{Limit: 10, Now: *day("2026-11-21")})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func ids(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ServiceID
	}
	return out
}

func has(ms []Match, id string) bool { return contains(ids(ms), id) }

func TestNeedUnderstanding(t *testing.T) {
	ix := newIndex(t, town())
	cases := []struct {
		need string
		want []string
		not  []string
	}{
		{"loneliness", []string{"lunch", "befriend"}, []string{"debt", "walk"}},
		{"debt", []string{"debt"}, []string{"lunch"}},
		{"physical-activity", []string{"walk"}, []string{"debt"}},
		{"arts-and-creativity", []string{"choir"}, []string{"walk"}},
		{"carers", []string{"tagged"}, nil},      // tagged with the need
		{"food", []string{"airs", "lunch"}, nil}, // AIRS BD code, and "lunch"
	}
	for _, c := range cases {
		ms := rank(t, ix, Profile{Needs: []string{c.need}})
		for _, id := range c.want {
			if !has(ms, id) {
				t.Errorf("%s: %s missing from %v", c.need, id, ids(ms))
			}
		}
		for _, id := range c.not {
			if has(ms, id) {
				t.Errorf("%s: %s should not match (%v)", c.need, id, ids(ms))
			}
		}
	}
}

func TestHardFilters(t *testing.T) {
	docs := town()
	docs = append(docs, Document{ID: "closed", Name: "Closed Lunch Club", Status: "inactive", AcceptingRefs: true},
		Document{ID: "full", Name: "Full Lunch Club", Status: "active", AcceptingRefs: false},
		Document{ID: "polish", Name: "Polish Lunch Club", Status: "active", AcceptingRefs: true, Languages: []string{"Polish"}},
		Document{ID: "steps", Name: "Upstairs Lunch Club", Status: "active", AcceptingRefs: true, Accessibility: []string{"First floor, no lift"}},
		Document{ID: "ramp", Name: "Ramped Lunch Club", Status: "active", AcceptingRefs: true, Accessibility: []string{"Wheelchair accessible"}})
	ix := newIndex(t, docs)
	lonely := []string{"loneliness"}
	all := rank(t, ix, Profile{Needs: lonely})
	for _, id := range []string{"closed", "full"} {
		if has(all, id) {
			t.Errorf("%s passed the status/referrals filter", id)
		}
	}
	if !has(all, "polish") || !has(all, "steps") {
		t.Fatalf("unrestricted profile lost services: %v", ids(all))
	}
	if ms := rank(t, ix, Profile{Needs: lonely, Languages: []string{"en"}}); has(ms, "polish") || !has(ms, "lunch") {
		t.Errorf("language filter: %v", ids(ms))
	}
	if ms := rank(t, ix, Profile{Needs: lonely, Languages: []string{"pl"}}); !has(ms, "polish") {
		t.Errorf("pl should match Polish: %v", ids(ms))
	}
	if ms := rank(t, ix, Profile{Needs: lonely, Accessibility: []string{"wheelchair access"}}); has(ms, "steps") || !has(ms, "ramp") || !has(ms, "lunch") {
		t.Errorf("accessibility filter: %v", ids(ms))
	}
	arts := []string{"arts-and-creativity"}
	if ms := rank(t, ix, Profile{Needs: arts, Age: intp(12)}); has(ms, "choir") {
		t.Error("a 12-year-old matched a 16+ choir")
	}
	if ms := rank(t, ix, Profile{Needs: arts, Age: intp(40)}); !has(ms, "choir") {
		t.Error("a 40-year-old did not match the choir")
	}
	if ms := rank(t, ix, Profile{Needs: arts, FreeOnly: true}); has(ms, "choir") {
		t.Error("free only matched a paid choir")
	}
	// Distance: the debt clinic is ~31 km away.
	here := ashbridge
	if ms := rank(t, ix, Profile{Needs: []string{"debt"}, Location: &here, MaxDistanceKm: floatp(10)}); has(ms, "debt") {
		t.Error("a service 31 km away passed a 10 km limit")
	}
	if ms := rank(t, ix, Profile{Needs: []string{"debt"}, Location: &here, MaxDistanceKm: floatp(50)}); !has(ms, "debt") {
		t.Error("a service 31 km away failed a 50 km limit")
	}
	// Remote services pass distance limits unless the client wants no remote.
	if ms := rank(t, ix, Profile{Needs: lonely, Location: &here, MaxDistanceKm: floatp(1)}); !has(ms, "befriend") {
		t.Error("telephone befriending dropped by distance")
	}
	if ms := rank(t, ix, Profile{Needs: lonely, AcceptsRemote: boolp(false)}); has(ms, "befriend") {
		t.Error("a telephone-only service matched a client who wants no remote services")
	}
}

func TestDiversificationCoversEveryNeed(t *testing.T) {
	var docs []Document
	// Many strong loneliness services, one weaker debt service.
	for i := 0; i < 12; i++ {
		docs = append(docs, Document{ID: "lonely" + string(rune('a'+i)), Name: "Befriending and lunch club " + string(rune('A'+i)),
			Description: "Friendship, companionship, coffee morning and social group for lonely people.", Status: "active",
			AcceptingRefs: true, OrganisationID: "o" + string(rune('a'+i))})
	}
	// Its name says debt: one word in a description would not be enough
	// to cover the need (see TestWeakEvidenceCoversNoNeed).
	docs = append(docs, Document{ID: "debt", Name: "Debt help", Description: "Advice on money.", Status: "active",
		AcceptingRefs: true, OrganisationID: "odebt"})
	ix := newIndex(t, docs)
	ms := rank(t, ix, Profile{Needs: []string{"loneliness", "debt"}})
	pos := -1
	for i, m := range ms {
		if m.ServiceID == "debt" {
			pos = i
		}
	}
	if pos < 0 || pos > 1 {
		t.Fatalf("the only debt service is at position %d of %v; the top should cover both needs", pos, ids(ms))
	}
	// Without diversification it would sit below all the loneliness ones.
	flat := DefaultWeights
	flat.Diversity, flat.SameOrganisation = 0, 0
	plain, _ := ix.Rank(context.Background(), Profile{Needs: []string{"loneliness", "debt"}}, Options{Limit: 13, Weights: &flat})
	if plain[len(plain)-1].ServiceID != "debt" {
		t.Fatalf("test premise: without diversity debt should rank last, got %v", ids(plain))
	}
}

func TestReasonsAndSessions(t *testing.T) {
	ix := newIndex(t, town())
	here := ashbridge
	ms := rank(t, ix, Profile{Needs: []string{"physical-activity"}, Goals: []string{"I'd like to walk by the river"},
		Location: &here, Availability: []Availability{{Day: "TU", From: "09:00", To: "13:00"}}})
	if len(ms) == 0 || ms[0].ServiceID != "walk" {
		t.Fatalf("ranking: %v", ids(ms))
	}
	m := ms[0]
	kinds := map[ReasonKind]string{}
	for _, r := range m.Reasons {
		kinds[r.Kind] = r.Text
	}
	for _, want := range []struct {
		kind ReasonKind
		text string
	}{
		{ReasonNeed, "Helps with being more active: it mentions “walking”."},
		{ReasonGoal, "“walk” and “river”"},
		{ReasonDistance, "m away at Community Centre (NE46 1BG)"},
		{ReasonSession, "Meets Tuesdays 10:00–12:00 at Community Centre, when the client is free"},
		{ReasonCost, "Free."},
		{ReasonVerified, "Listing checked on 1 November 2026."},
	} {
		if !strings.Contains(kinds[want.kind], want.text) {
			t.Errorf("%s reason = %q, want it to contain %q", want.kind, kinds[want.kind], want.text)
		}
	}
	if m.DistanceKm == nil || *m.DistanceKm > 1 || m.Session == nil || m.Session.Opens != "10:00" {
		t.Errorf("match details: distance %v, session %+v", m.DistanceKm, m.Session)
	}
	// A session outside the client's time does not count as fitting.
	ms = rank(t, ix, Profile{Needs: []string{"physical-activity"}, Availability: []Availability{{Day: "TU", From: "14:00", To: "17:00"}}})
	if ms[0].Signals["schedule"] != 0 {
		t.Errorf("an afternoon client fits a morning session: %v", ms[0].Signals)
	}
}

func TestBadProfiles(t *testing.T) {
	ix := newIndex(t, town())
	cases := []struct {
		p     Profile
		field string
	}{
		{Profile{}, "needs"},
		{Profile{Needs: []string{"flying"}}, "needs[0]"},
		{Profile{Needs: []string{"debt"}, Age: intp(-1)}, "age"},
		{Profile{Needs: []string{"debt"}, Location: &Point{91, 0}}, "location"},
		{Profile{Needs: []string{"debt"}, MaxDistanceKm: floatp(5)}, "maxDistanceKm"},
		{Profile{Needs: []string{"debt"}, Availability: []Availability{{Day: "XX"}}}, "availability[0].day"},
		{Profile{Needs: []string{"debt"}, Availability: []Availability{{Day: "MO", From: "14:00", To: "09:00"}}}, "availability[0].from"},
	}
	for _, c := range cases {
		_, err := ix.Rank(context.Background(), c.p, Options{})
		es, ok := err.(ProfileErrors)
		if !ok || es[0].Field != c.field {
			t.Errorf("%+v: err %v, want field %s", c.p, err, c.field)
		}
	}
}

func TestIndexPersistsAndRecovers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil || !ix.Fresh() {
		t.Fatalf("new index: fresh=%v err=%v", ix.Fresh(), err)
	}
	ix.Apply(context.Background(), town(), []string{})
	ix.SetMeta("position", "42")
	ix.Close()

	ix, err = Open(dir)
	if err != nil || ix.Fresh() || ix.Len() != len(town()) {
		t.Fatalf("reopened: fresh=%v len=%d err=%v", ix.Fresh(), ix.Len(), err)
	}
	if v, _ := ix.Meta("position"); v != "42" {
		t.Fatalf("meta = %q", v)
	}
	if ms := rank(t, ix, Profile{Needs: []string{"loneliness"}}); !has(ms, "lunch") {
		t.Fatalf("reopened index ranks %v", ids(ms))
	}
	// Deleting removes from memory and from Bleve.
	ix.Apply(context.Background(), nil, []string{"lunch"})
	if ms := rank(t, ix, Profile{Needs: []string{"loneliness"}}); has(ms, "lunch") {
		t.Fatal("deleted service still ranked")
	}
	ix.bl.SetInternal([]byte(metaMappingVersion), []byte("0"))
	ix.Close()

	// Another mapping version: replaced by a fresh index.
	ix, err = Open(dir)
	if err != nil || !ix.Fresh() || ix.Len() != 0 {
		t.Fatalf("stale mapping: fresh=%v len=%d err=%v", ix.Fresh(), ix.Len(), err)
	}
	ix.Close()

	// A corrupt directory: replaced too, not fatal.
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o644)
	ix, err = Open(dir)
	if err != nil || !ix.Fresh() {
		t.Fatalf("corrupt index: fresh=%v err=%v", ix != nil && ix.Fresh(), err)
	}
	ix.Close()
}

// A ranking for a request that has ended stops instead of running on.
func TestRankStopsWhenTheRequestEnds(t *testing.T) {
	ix := newIndex(t, town())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, p := range []Profile{{Needs: []string{"loneliness"}}, {Goals: []string{"singing"}}} {
		if _, err := ix.Rank(ctx, p, Options{Limit: 10}); !errors.Is(err, context.Canceled) {
			t.Errorf("%+v: ranking after the request ended: err %v", p, err)
		}
	}
}

// TestWeakEvidenceCoversNoNeed: one passing word in a description, or a
// venue word in a name, still weighs in the ranking but does not make a
// service one that helps with a need: no NEED reason, not covered.
func TestWeakEvidenceCoversNoNeed(t *testing.T) {
	doc := func(id, name, desc string) Document {
		return Document{ID: id, Name: name, Description: desc, Status: "active", AcceptingRefs: true, OrganisationID: "o" + id}
	}
	ix := newIndex(t, []Document{
		// Miami 211 and North Lincolnshire wording.
		doc("library", "Brigg Library", "Borrow books, use the computers or pop in for a chat with our friendly staff."),
		doc("senior", "Westchester Senior Center", "Provides meals, transportation and recreation."),
		doc("coffee", "Coffee Morning", "Drop in for a chat and a cuppa with other people from the village."),
	})
	ms := rank(t, ix, Profile{Needs: []string{"loneliness"}})
	for _, id := range []string{"library", "senior"} {
		m := match(ms, id)
		if m == nil {
			t.Fatalf("%s not shown: its passing word still weighs in the ranking (%v)", id, ids(ms))
		}
		if len(m.NeedsCovered) > 0 || reasonOf(m, ReasonNeed) != "" {
			t.Errorf("%s: covered %v, need reason %q", id, m.NeedsCovered, reasonOf(m, ReasonNeed))
		}
	}
	m := match(ms, "coffee")
	if m == nil || !slices.Equal(m.NeedsCovered, []string{"loneliness"}) {
		t.Fatalf("the coffee morning does not cover loneliness: %+v", m)
	}
	if r := reasonOf(m, ReasonNeed); r != "Helps with loneliness and isolation: it mentions “coffee morning” and “chat”." {
		t.Errorf("need reason %q", r)
	}
}
