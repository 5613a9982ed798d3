package apitest

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/shareddata"
)

type feedPage struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	FirstPage  bool              `json:"first_page"`
	LastPage   bool              `json:"last_page"`
	Empty      bool              `json:"empty"`
	Contents   []json.RawMessage `json:"contents"`
}

// feed GETs a feed path and decodes it, requiring the status.
func (e *env) feed(path string, status int, dst any) http.Header {
	e.t.Helper()
	resp, err := http.Get(e.url + "/openreferral" + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != status {
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		e.t.Fatalf("GET %s: status %d, want %d (%v)", path, resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		e.t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if dst != nil {
		if err := json.NewDecoder(resp.Body).Decode(dst); err != nil {
			e.t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.Header
}

func (e *env) feedServices(query string) []openreferral.ORService {
	e.t.Helper()
	var page struct {
		TotalItems int                      `json:"total_items"`
		Contents   []openreferral.ORService `json:"contents"`
	}
	e.feed("/services?per_page=100&"+query, 200, &page)
	if page.TotalItems > 100 {
		e.t.Fatalf("%s matched %d services; narrow the test query", query, page.TotalItems)
	}
	return page.Contents
}

func (e *env) fullService(id string) openreferral.ORService {
	e.t.Helper()
	var s openreferral.ORService
	e.feed("/services/"+id, 200, &s)
	return s
}

func TestFeedRootAndOpenAPI(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	var root map[string]string
	h := e.feed("/", 200, &root)
	if root["version"] != "3.0" || root["profile"] == "" || !strings.HasSuffix(root["openapi_url"], "/openreferral/openapi.json") {
		t.Fatalf("root = %v", root)
	}
	if h.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatal("no Access-Control-Allow-Origin: *")
	}
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	e.feed("/openapi.json", 200, &doc)
	// Every documented path is served.
	sample := e.feedServices("search=choir")[0]
	full := e.fullService(sample.ID)
	var taxes, terms, sals feedPage
	e.feed("/taxonomies", 200, &taxes)
	e.feed("/taxonomy_terms", 200, &terms)
	e.feed("/service_at_locations", 200, &sals)
	idOf := func(raw json.RawMessage) string {
		var x struct{ ID string }
		json.Unmarshal(raw, &x)
		return x.ID
	}
	ids := map[string]string{"services": sample.ID, "organizations": full.Organization.ID, "taxonomies": idOf(taxes.Contents[0]),
		"taxonomy_terms": idOf(terms.Contents[0]), "service_at_locations": idOf(sals.Contents[0])}
	if len(doc.Paths) != 11 {
		t.Errorf("openapi.json documents %d paths, want 11", len(doc.Paths))
	}
	for p := range doc.Paths {
		endpoint := strings.Split(strings.TrimPrefix(p, "/"), "/")[0]
		path := strings.Replace(p, "{id}", ids[endpoint], 1)
		e.feed(path, 200, nil)
	}
}

func TestFeedPagingEnvelope(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	seen := map[string]bool{}
	for _, tc := range []struct {
		page, size        int
		first, last, none bool
	}{{1, 20, true, false, false}, {4, 20, false, false, false}, {8, 15, false, true, false}, {9, 0, false, true, true}} {
		var p feedPage
		e.feed("/services?per_page=20&page="+itoa(tc.page), 200, &p)
		if p.TotalItems != 155 || p.TotalPages != 8 || p.PageNumber != tc.page || p.Size != tc.size ||
			p.FirstPage != tc.first || p.LastPage != tc.last || p.Empty != tc.none || len(p.Contents) != tc.size {
			t.Errorf("page %d: %+v", tc.page, struct {
				T, P, N, S int
				F, L, E    bool
			}{p.TotalItems, p.TotalPages, p.PageNumber, p.Size, p.FirstPage, p.LastPage, p.Empty})
		}
		if p.Contents == nil {
			t.Errorf("page %d: contents is null, want []", tc.page)
		}
	}
	for page := 1; page <= 8; page++ {
		var p feedPage
		e.feed("/services?per_page=20&page="+itoa(page), 200, &p)
		for _, c := range p.Contents {
			var s struct{ ID string }
			json.Unmarshal(c, &s)
			if seen[s.ID] {
				t.Fatalf("service %s on two pages", s.ID)
			}
			seen[s.ID] = true
		}
	}
	if len(seen) != 155 {
		t.Fatalf("pages hold %d services, want 155", len(seen))
	}
	var def feedPage
	e.feed("/services", 200, &def)
	if def.Size != openreferral.DefaultPerPage {
		t.Errorf("default page size = %d", def.Size)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func hasDay(s openreferral.ORService, day string, ok func(openreferral.ORSchedule) bool) bool {
	for _, sc := range s.Schedules {
		if (day == "" || strings.Contains(sc.Byday, day)) && ok(sc) {
			return true
		}
	}
	return false
}

func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	r := math.Pi / 180
	a := math.Pow(math.Sin((lat2-lat1)*r/2), 2) + math.Cos(lat1*r)*math.Cos(lat2*r)*math.Pow(math.Sin((lon2-lon1)*r/2), 2)
	return 2 * 6371008.8 * math.Asin(math.Sqrt(a))
}

// feedServicesHolding asks the feed for services with query q and fails
// unless it finds some and every one holds check (why says what failing it
// means).
func feedServicesHolding(t *testing.T, e *env, q string, check func(openreferral.ORService) bool, why string) []openreferral.ORService {
	t.Helper()
	got := e.feedServices(q)
	if len(got) == 0 {
		t.Fatalf("%s matched nothing", q)
	}
	for _, s := range got {
		if !check(e.fullService(s.ID)) {
			t.Errorf("%s returned %q, which %s", q, s.Name, why)
		}
	}
	return got
}

// needsTaxonomy is the feed's needs vocabulary and its carers term.
func needsTaxonomy(t *testing.T, e *env) (needs openreferral.ORTaxonomy, carers openreferral.ORTerm) {
	t.Helper()
	var taxes struct{ Contents []openreferral.ORTaxonomy }
	e.feed("/taxonomies", 200, &taxes)
	e.feed("/taxonomies/"+taxes.Contents[0].ID, 200, &needs)
	if len(needs.TaxonomyTerms) != 20 {
		t.Fatalf("needs taxonomy has %d terms", len(needs.TaxonomyTerms))
	}
	for _, term := range needs.TaxonomyTerms {
		if term.Code == "carers" {
			carers = term
		}
	}
	return needs, carers
}

func TestFeedServiceParameters(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	needs, carers := needsTaxonomy(t, e)
	hasTerm := func(s openreferral.ORService, id string) bool {
		for _, a := range s.Attributes {
			if a.TaxonomyTermID == id {
				return true
			}
		}
		return false
	}
	org := e.feedServices("search=choir")[0].Organization.ID
	anySchedule := func(openreferral.ORSchedule) bool { return true }
	for _, c := range []struct {
		query string
		check func(openreferral.ORService) bool
		why   string
	}{
		{"search=singing", func(s openreferral.ORService) bool {
			return strings.Contains(strings.ToLower(s.Name+s.Description), "sing")
		}, "does not mention singing"},
		{"taxonomy_term_id=" + carers.ID, func(s openreferral.ORService) bool { return hasTerm(s, carers.ID) }, "is not tagged carers"},
		{"organization_id=" + org, func(s openreferral.ORService) bool { return s.Organization.ID == org }, "belongs to another organisation"},
		{"minimum_age=60", func(s openreferral.ORService) bool { return s.MinimumAge != nil && *s.MinimumAge >= 60 }, "takes people under 60"},
		{"maximum_age=17", func(s openreferral.ORService) bool { return s.MaximumAge != nil && *s.MaximumAge <= 17 }, "takes adults"},
		{"day=Saturday", func(s openreferral.ORService) bool { return hasDay(s, "SA", anySchedule) }, "has no Saturday session"},
		{"day=SU", func(s openreferral.ORService) bool { return hasDay(s, "SU", anySchedule) }, "has no Sunday session"},
		{"start_time=18:00", func(s openreferral.ORService) bool {
			return hasDay(s, "", func(sc openreferral.ORSchedule) bool { return sc.OpensAt >= "18:00" })
		}, "has no session starting from 18:00"},
		{"day=MO&end_time=12:00", func(s openreferral.ORService) bool {
			return hasDay(s, "MO", func(sc openreferral.ORSchedule) bool { return sc.ClosesAt != "" && sc.ClosesAt <= "12:00" })
		}, "has no Monday morning session"},
	} {
		e.step(t, c.query, func(t *testing.T) { feedServicesHolding(t, e, c.query, c.check, c.why) })
	}
	e.step(t, "taxonomy_id and modified_after count every service", func(t *testing.T) {
		var byTax feedPage
		e.feed("/services?taxonomy_id="+needs.ID, 200, &byTax)
		if byTax.TotalItems != 155 {
			t.Errorf("taxonomy_id=needs: %d services, want all 155", byTax.TotalItems)
		}
		var recent, future feedPage
		e.feed("/services?modified_after=2000-01-01", 200, &recent)
		e.feed("/services?modified_after=2999-01-01T00:00:00Z", 200, &future)
		if recent.TotalItems != 155 || future.TotalItems != 0 {
			t.Errorf("modified_after: %d since 2000, %d since 2999", recent.TotalItems, future.TotalItems)
		}
	})
	e.step(t, "proximity", func(t *testing.T) { feedProximity(t, e) })
}

func feedProximity(t *testing.T, e *env) {
	// Proximity from the bandstand's postcode (NE46 3RB, 54.97413,-2.10296).
	near := feedServicesHolding(t, e, "postcode="+url.QueryEscape("NE46 3RB")+"&proximity=300", func(s openreferral.ORService) bool {
		for _, sal := range s.ServiceAtLocations {
			l := sal.Location
			if l.Latitude != nil && haversine(54.97413, -2.10296, *l.Latitude, *l.Longitude) <= 300 {
				return true
			}
		}
		return false
	}, "has no location within 300 m")
	var wide feedPage
	e.feed("/services?postcode=ne463rb&proximity=3000", 200, &wide)
	if wide.TotalItems <= len(near) {
		t.Errorf("3 km finds %d services, 300 m finds %d", wide.TotalItems, len(near))
	}
	// A district alone works, via the centre of its postcodes.
	var district feedPage
	e.feed("/services?postcode=NE46&proximity=5000", 200, &district)
	if district.TotalItems == 0 {
		t.Error("postcode=NE46 found nothing")
	}
}

func TestFeedBadParameters(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	cases := []struct{ query, field string }{
		{"per_page=0", "per_page"}, {"per_page=101", "per_page"}, {"page=-1", "page"}, {"page=two", "page"},
		{"day=Funday", "day"}, {"start_time=25:00", "start_time"}, {"end_time=noonish", "end_time"},
		{"minimum_age=-3", "minimum_age"}, {"maximum_age=old", "maximum_age"},
		{"taxonomy_term_id=xyz", "taxonomy_term_id"}, {"taxonomy_id=123", "taxonomy_id"}, {"organization_id=abc", "organization_id"},
		{"modified_after=yesterday", "modified_after"}, {"postcode=NOT-A-POSTCODE", "postcode"},
		{"postcode=" + url.QueryEscape("ZZ99 9ZZ"), "postcode"}, {"postcode=NE463RB&proximity=-5", "proximity"},
		{"proximity=100", "proximity"},
	}
	for _, tc := range cases {
		var body map[string]any
		e.feed("/services?"+tc.query, 400, &body)
		if body["field"] != tc.field || body["message"] == "" {
			t.Errorf("%s: %v", tc.query, body)
		}
	}
	for _, p := range []string{"/taxonomies?page=0", "/taxonomy_terms?per_page=1000", "/service_at_locations?day=Funday", "/organizations?page=x"} {
		e.feed(p, 400, nil)
	}
	for _, ep := range []string{"services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"} {
		e.feed("/"+ep+"/not-a-uuid", 400, nil)
		e.feed("/"+ep+"/00000000-0000-4000-8000-000000000000", 404, nil)
	}
	e.feed("/nowhere", 404, nil)
	resp, err := http.Post(e.url+"/openreferral/services", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("POST: %d, want 405", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodOptions, e.url+"/openreferral/services", nil)
	req.Header.Set("Origin", "https://partner.example.org")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("OPTIONS: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestFeedSingleRecords(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	s := e.feedServices("search=choir")[0]
	full := e.fullService(s.ID)
	if len(full.Schedules) == 0 || len(full.ServiceAtLocations) == 0 || len(full.Attributes) == 0 || full.Organization == nil {
		t.Fatalf("service is not fully nested: %+v", full)
	}
	schema := func(name string) *jsonschema.Schema {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		abs, _ := filepath.Abs(shareddata.Path(t, "oruk-uk-profile-schema", name))
		sch, err := c.Compile(abs)
		if err != nil {
			t.Fatal(err)
		}
		return sch
	}
	raw, _ := json.Marshal(full)
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err := schema("service.json").Validate(inst); err != nil {
		t.Fatalf("/services/{id} fails the ORUK schema: %v", err)
	}
	var org openreferral.OROrganization
	e.feed("/organizations/"+full.Organization.ID, 200, &org)
	if org.Name == "" || len(org.Services) == 0 {
		t.Fatalf("organization = %+v", org)
	}
	var orgs feedPage
	e.feed("/organizations?per_page=10", 200, &orgs)
	if orgs.TotalItems < 60 || orgs.Size != 10 {
		t.Fatalf("organizations page: total %d size %d", orgs.TotalItems, orgs.Size)
	}
	var term openreferral.ORTerm
	e.feed("/taxonomy_terms/"+full.Attributes[0].TaxonomyTermID, 200, &term)
	if term.Name == "" || term.Taxonomy == "" {
		t.Fatalf("term = %+v", term)
	}
	var terms feedPage
	e.feed("/taxonomy_terms?per_page=5&taxonomy_id="+term.TaxonomyID, 200, &terms)
	if terms.TotalItems != 20 || terms.TotalPages != 4 {
		t.Fatalf("terms of the needs taxonomy: %d in %d pages", terms.TotalItems, terms.TotalPages)
	}
	var sal openreferral.ORServiceAtLocation
	e.feed("/service_at_locations/"+full.ServiceAtLocations[0].ID, 200, &sal)
	if sal.Location == nil || sal.Service == nil || sal.Service.ID != full.ID || len(sal.Service.Schedules) == 0 {
		t.Fatalf("service_at_location = %+v", sal)
	}
	var sals feedPage
	e.feed("/service_at_locations?search=choir", 200, &sals)
	if sals.TotalItems == 0 {
		t.Fatal("no service_at_locations for the choir")
	}

	// Archived services leave the feed.
	var gql struct{ Node struct{ Version int } }
	gid := globalServiceID(full.ID)
	e.ok(`query($id: ID!) { node(id: $id) { ... on Service { version } } }`, map[string]any{"id": gid}, &gql)
	e.ok(`mutation($id: ID!, $v: Int!) { archiveService(id: $id, version: $v) { id } }`, map[string]any{"id": gid, "v": gql.Node.Version}, nil)
	e.feed("/services/"+full.ID, 404, nil)
	for _, x := range e.feedServices("search=choir") {
		if x.ID == full.ID {
			t.Fatal("an archived service is still listed")
		}
	}
}
