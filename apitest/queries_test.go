package apitest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/signpost/signpost/store"
)

type page struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   struct {
			ID, Name string
		}
	}
	PageInfo struct {
		HasNextPage     bool
		HasPreviousPage bool
		StartCursor     *string
		EndCursor       *string
	}
}

// walk pages through services with the given page size and filter.
func (e *env) walk(size int, filter map[string]any) ([]string, []string, int) {
	e.t.Helper()
	var ids, names []string
	var after any
	total := -1
	for pages := 0; ; pages++ {
		if pages > 1000 {
			e.t.Fatal("pagination does not end")
		}
		var out struct{ Services page }
		e.ok(`query($first: Int, $after: String, $filter: ServiceFilter) {
			services(first: $first, after: $after, filter: $filter) {
				totalCount edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
			map[string]any{"first": size, "after": after, "filter": filter}, &out)
		p := out.Services
		if total >= 0 && p.TotalCount != total {
			e.t.Fatalf("totalCount changed between pages: %d then %d", total, p.TotalCount)
		}
		total = p.TotalCount
		if (after != nil) != p.PageInfo.HasPreviousPage {
			e.t.Fatalf("hasPreviousPage = %v on page %d", p.PageInfo.HasPreviousPage, pages)
		}
		for _, ed := range p.Edges {
			ids = append(ids, ed.Node.ID)
			names = append(names, ed.Node.Name)
		}
		if len(p.Edges) > 0 && *p.PageInfo.EndCursor != p.Edges[len(p.Edges)-1].Cursor {
			e.t.Fatal("endCursor is not the last edge's cursor")
		}
		if !p.PageInfo.HasNextPage {
			break
		}
		if len(p.Edges) != size {
			e.t.Fatalf("a page before the last has %d items, want %d", len(p.Edges), size)
		}
		after = *p.PageInfo.EndCursor
	}
	return ids, names, total
}

func TestPaginationHasNoDuplicatesNoGapsAndStableOrder(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	all, allNames, total := e.walk(100, nil)
	if total != 155 || len(all) != total {
		t.Fatalf("walked %d of totalCount %d, want 155", len(all), total)
	}
	if !sort.SliceIsSorted(allNames, func(i, j int) bool { return strings.ToLower(allNames[i]) < strings.ToLower(allNames[j]) }) {
		t.Fatal("services are not in name order")
	}
	for _, size := range []int{1, 7, 20, 99} {
		ids, _, _ := e.walk(size, nil)
		if fmt.Sprint(ids) != fmt.Sprint(all) {
			t.Fatalf("page size %d gives a different sequence (%d items) than page size 100 (%d items)", size, len(ids), len(all))
		}
	}
	// Same with a filter, and the two lists agree on membership.
	filter := map[string]any{"needs": []any{"loneliness"}}
	ids, _, n := e.walk(6, filter)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("duplicate %s", id)
		}
		seen[id] = true
	}
	if len(ids) != n || n == 0 {
		t.Fatalf("filtered walk gave %d of %d", len(ids), n)
	}

	// A row inserted before the cursor neither shifts nor repeats the rest.
	var first struct{ Services page }
	e.ok(`{ services(first: 10) { edges { cursor node { id name } } pageInfo { endCursor } } }`, nil, &first)
	o := e.newOrg("Aardvark Org")
	in := validService()
	in["name"] = "AAA First By Name"
	e.ok(createService, map[string]any{"org": o.ID, "in": in}, nil)
	var next struct{ Services page }
	e.ok(`query($after: String) { services(first: 10, after: $after) { edges { node { id } } } }`,
		map[string]any{"after": *first.Services.PageInfo.EndCursor}, &next)
	for i, ed := range next.Services.Edges {
		if ed.Node.ID != all[10+i] {
			t.Fatalf("after an insert before the cursor, item %d is %s, want %s", i, ed.Node.ID, all[10+i])
		}
	}
}

func TestPageArgumentsAreChecked(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, q := range []string{`{ services(first: 0) { totalCount } }`, `{ services(first: 101) { totalCount } }`, `{ organisations(first: -1) { totalCount } }`} {
		if err := e.fails(q, nil, "BAD_USER_INPUT"); err.Extensions["field"] != "first" {
			t.Errorf("%s: field = %v", q, err.Extensions["field"])
		}
	}
	if err := e.fails(`{ services(after: "not-a-cursor") { totalCount } }`, nil, "BAD_USER_INPUT"); err.Extensions["field"] != "after" {
		t.Errorf("bad cursor field = %v", err.Extensions["field"])
	}
	if err := e.fails(`{ services(filter: {needs: ["flying"]}) { totalCount } }`, nil, "BAD_USER_INPUT"); err.Extensions["field"] != "filter.needs[0]" {
		t.Errorf("bad need field = %v", err.Extensions["field"])
	}
}

// filteredService is a service as the filter tests read it.
type filteredService struct {
	Name, Status  string
	Free          bool
	DeliveryModes []string
	Needs         []struct{ Code string }
	Organisation  struct{ ID, Name string }
}

// filterServices runs the services query with filter f and fails when it
// matches nothing in the demo town.
func filterServices(t *testing.T, e *env, f map[string]any) (total int, services []filteredService) {
	t.Helper()
	const q = `query($f: ServiceFilter) { services(first: 100, filter: $f) { totalCount edges { node {
		name free deliveryModes status needs { code } organisation { id name } } } } }`
	var r struct {
		Services struct {
			TotalCount int
			Edges      []struct{ Node filteredService }
		}
	}
	e.ok(q, map[string]any{"f": f}, &r)
	if r.Services.TotalCount == 0 {
		t.Fatalf("filter %v matched nothing in the demo town", f)
	}
	for _, ed := range r.Services.Edges {
		services = append(services, ed.Node)
	}
	return r.Services.TotalCount, services
}

func TestServiceFilters(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	all, _ := filterServices(t, e, nil)
	_, debt := filterServices(t, e, map[string]any{"needs": []any{"debt", "bereavement"}})
	org := debt[0].Organisation

	for _, c := range []struct {
		name   string
		filter map[string]any
		holds  func(filteredService) bool
	}{
		{"freeOnly", map[string]any{"freeOnly": true}, func(s filteredService) bool { return s.Free }},
		{"deliveryModes", map[string]any{"deliveryModes": []any{"TELEPHONE"}},
			func(s filteredService) bool { return strings.Contains(fmt.Sprint(s.DeliveryModes), "TELEPHONE") }},
		{"needs", map[string]any{"needs": []any{"debt", "bereavement"}}, func(s filteredService) bool {
			n := fmt.Sprint(s.Needs)
			return strings.Contains(n, "debt") || strings.Contains(n, "bereavement")
		}},
		{"organisationId", map[string]any{"organisationId": org.ID},
			func(s filteredService) bool { return s.Organisation.ID == org.ID }},
	} {
		e.step(t, c.name, func(t *testing.T) {
			_, services := filterServices(t, e, c.filter)
			for _, s := range services {
				if !c.holds(s) {
					t.Errorf("%v returned %q (%+v)", c.filter, s.Name, s)
				}
			}
		})
	}
	e.step(t, "text is stemmed", func(t *testing.T) {
		// English stemming: "singing" finds "Singing for Lung Health" and the choir ("sing").
		total, services := filterServices(t, e, map[string]any{"text": "singing"})
		if total < 2 || total > 10 {
			t.Errorf("text 'singing' matched %d services", total)
		}
		for _, s := range services {
			t.Logf("text match: %s", s.Name)
		}
	})
	e.step(t, "status", func(t *testing.T) {
		if active, _ := filterServices(t, e, map[string]any{"status": []any{"ACTIVE"}}); active != all {
			t.Errorf("ACTIVE = %d of %d (all demo services are active)", active, all)
		}
		var none struct{ Services struct{ TotalCount int } }
		e.ok(`{ services(filter: {status: [DEFUNCT]}) { totalCount } }`, nil, &none)
		if none.Services.TotalCount != 0 {
			t.Errorf("DEFUNCT = %d", none.Services.TotalCount)
		}
	})
	e.step(t, "a need's term id filters as the need does", func(t *testing.T) {
		var needs struct {
			Needs []struct {
				Code string
				Term struct{ ID string }
			}
		}
		e.ok(`{ needs { code term { id } } }`, nil, &needs)
		if len(needs.Needs) != 20 {
			t.Fatalf("needs = %d, want 20", len(needs.Needs))
		}
		var termID string
		for _, n := range needs.Needs {
			if n.Code == "carers" {
				termID = n.Term.ID
			}
		}
		byTerm, _ := filterServices(t, e, map[string]any{"termIds": []any{termID}})
		byNeed, _ := filterServices(t, e, map[string]any{"needs": []any{"carers"}})
		if byTerm != byNeed {
			t.Errorf("term filter %d ≠ need filter %d", byTerm, byNeed)
		}
	})
}

func TestDemoCoversEveryNeed(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	var out struct{ Needs []struct{ Code string } }
	e.ok(`{ needs { code } }`, nil, &out)
	for _, n := range out.Needs {
		var r struct{ Services struct{ TotalCount int } }
		e.ok(`query($n: String!) { services(filter: {needs: [$n]}) { totalCount } }`, map[string]any{"n": n.Code}, &r)
		if r.Services.TotalCount < 3 {
			t.Errorf("need %s has %d demo services, want at least 3", n.Code, r.Services.TotalCount)
		}
	}
	var orgs struct{ Organisations struct{ TotalCount int } }
	e.ok(`{ organisations { totalCount } }`, nil, &orgs)
	if orgs.Organisations.TotalCount < 60 {
		t.Errorf("demo has %d organisations, want at least 60", orgs.Organisations.TotalCount)
	}
}

const pageQuery = `query($first: Int) { services(first: $first) { totalCount edges { node {
	id name organisation { id name }
	locations { location { id name postcode latitude longitude } }
	schedules { days opensAt closesAt location { name } }
	terms { code name taxonomy { name } }
	needs { code }
	costs { amount }
	contacts { name }
} } } }`

func TestPageOfServicesUsesAConstantNumberOfStatements(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	counts := map[int]int64{}
	for _, n := range []int{1, 10, 100} {
		before := e.queries.n.Load()
		var out struct{ Services page }
		e.ok(pageQuery, map[string]any{"first": n}, &out)
		if len(out.Services.Edges) != n {
			t.Fatalf("got %d services, want %d", len(out.Services.Edges), n)
		}
		counts[n] = e.queries.n.Load() - before
	}
	t.Logf("statements per page: %v", counts)
	if counts[1] != counts[100] || counts[10] != counts[100] {
		t.Fatalf("statement count grows with page size: %v", counts)
	}
	// session + account (who is asking), then page + count + organisations + locations + schedules +
	// schedule locations + terms + taxonomies + costs + contacts
	if counts[100] > 12 {
		t.Fatalf("a page runs %d statements, want at most 12", counts[100])
	}
}

func TestTaxonomiesAndTerms(t *testing.T) {
	e := newEnv(t, envOptions{})
	var out struct {
		Taxonomies struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Name string
					BuiltIn  bool
					Terms    page
				}
			}
		}
	}
	e.ok(`{ taxonomies { totalCount edges { node { id name builtIn terms(first: 5) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } } } } }`, nil, &out)
	if out.Taxonomies.TotalCount != 1 || !out.Taxonomies.Edges[0].Node.BuiltIn {
		t.Fatalf("taxonomies = %+v", out.Taxonomies)
	}
	terms := out.Taxonomies.Edges[0].Node.Terms
	if terms.TotalCount != 20 || len(terms.Edges) != 5 || !terms.PageInfo.HasNextPage {
		t.Fatalf("terms page = %+v", terms)
	}
	var tn struct {
		Node struct {
			Name     string
			Taxonomy struct{ Name string }
			Parent   *struct{ Name string }
		}
	}
	e.ok(`query($id: ID!) { node(id: $id) { ... on TaxonomyTerm { name taxonomy { name } parent { name } } } }`,
		map[string]any{"id": terms.Edges[0].Node.ID}, &tn)
	if tn.Node.Taxonomy.Name != "signpost-needs" || tn.Node.Parent != nil {
		t.Fatalf("term node = %+v", tn)
	}
}

func TestIntrospectionAndSuggestionsCanBeTurnedOff(t *testing.T) {
	on := newEnv(t, envOptions{})
	on.ok(`{ __schema { queryType { name } } }`, nil, nil)
	off := newEnv(t, envOptions{introspectionOff: true})
	r := off.do(`{ __schema { queryType { name } } }`, nil)
	if len(r.Errors) == 0 {
		t.Fatal("introspection answered while turned off")
	}
	r = off.do(`{ servics { totalCount } }`, nil)
	if len(r.Errors) == 0 || strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Fatalf("suggestions shown with introspection off: %+v", r.Errors)
	}
	r = on.do(`{ servics { totalCount } }`, nil)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Fatalf("no suggestion with introspection on: %+v", r.Errors)
	}
}

func TestLimits(t *testing.T) {
	e := newEnv(t, envOptions{})
	// Complexity: 100 organisations × 100 services × their locations is refused before running.
	r := e.do(`{ organisations(first: 100) { edges { node { services(first: 100) { edges { node { id name locations { location { name } } } } } } } } }`, nil)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "complexity") {
		t.Fatalf("over-complex query not refused: %+v", r.Errors)
	}
	// Parser token limit.
	big := "{ " + strings.Repeat("services { totalCount } ", 4000) + "}"
	r = e.do(big, nil)
	if len(r.Errors) == 0 {
		t.Fatal("query over the token limit was answered")
	}
	// Body size.
	huge := bytes.Repeat([]byte(" "), 2<<20)
	resp, err := http.Post(e.url+"/graphql", "application/json", bytes.NewReader(huge))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB body: status %d, want 413", resp.StatusCode)
	}
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	e := newEnv(t, envOptions{})
	if code, body := e.get("/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	if code, _ := e.get("/readyz"); code != 200 {
		t.Fatalf("/readyz = %d on a migrated database", code)
	}
	e.ok(`query ListServices { services { totalCount } }`, nil, nil)
	code, body := e.get("/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`signpost_graphql_operations_total{operation="ListServices",outcome="ok",type="query"} 1`,
		`signpost_graphql_operation_duration_seconds_count{operation="ListServices",type="query"} 1`,
		`signpost_http_requests_total{code="200",method="POST",route="/graphql"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if code, body := e.get("/"); code != 200 || !strings.Contains(body, "graphiql") {
		t.Errorf("GraphiQL page = %d", code)
	}
	// Not ready once a migration is unapplied. (Rolling back needs the audit
	// trail's owner, which the application's role is not: forget the latest
	// instead.)
	if _, err := e.st.DB.ExecContext(context.Background(),
		"DELETE FROM bun_migrations WHERE name = (SELECT max(name) FROM bun_migrations)"); err != nil {
		t.Fatal(err)
	}
	if code, _ := e.get("/readyz"); code != 503 {
		t.Fatalf("/readyz = %d with migrations pending, want 503", code)
	}
}

func TestInternalErrorsAreHidden(t *testing.T) {
	e := newEnv(t, envOptions{})
	// Break the database under the server: the client must see a generic
	// message, not SQL.
	if _, err := e.st.DB.ExecContext(context.Background(), "ALTER TABLE services RENAME TO services_gone"); err != nil {
		t.Fatal(err)
	}
	err := e.fails(`{ services { totalCount } }`, nil, "INTERNAL")
	if err.Message != "internal error" {
		t.Fatalf("internal error message = %q", err.Message)
	}
	_ = store.ErrNotFound
}

func TestNearFilter(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	const q = `query($near: NearInput!) { services(first: 100, filter: {near: $near}) { totalCount
		edges { node { name locations { location { latitude longitude } } } } } }`
	var near, wide, point struct{ Services page }
	e.ok(q, map[string]any{"near": map[string]any{"postcode": "ne46 3rb", "distanceKm": 0.3}}, &near)
	e.ok(q, map[string]any{"near": map[string]any{"postcode": "NE46 3RB", "distanceKm": 3}}, &wide)
	e.ok(q, map[string]any{"near": map[string]any{"latitude": 54.97413, "longitude": -2.10296, "distanceKm": 0.3}}, &point)
	if near.Services.TotalCount == 0 || wide.Services.TotalCount <= near.Services.TotalCount || point.Services.TotalCount != near.Services.TotalCount {
		t.Fatalf("300 m: %d, 3 km: %d, 300 m by coordinates: %d", near.Services.TotalCount, wide.Services.TotalCount, point.Services.TotalCount)
	}
	for _, c := range []struct {
		near  map[string]any
		field string
	}{
		{map[string]any{"postcode": "not a postcode", "distanceKm": 1}, "filter.near.postcode"},
		{map[string]any{"postcode": "ZZ99 9ZZ", "distanceKm": 1}, "filter.near.postcode"},
		{map[string]any{"distanceKm": 1}, "filter.near.postcode"},
		{map[string]any{"postcode": "NE46 3RB", "distanceKm": 0}, "filter.near.distanceKm"},
		{map[string]any{"latitude": 54.9, "distanceKm": 1}, "filter.near.latitude"},
		{map[string]any{"latitude": 95.0, "longitude": 0.0, "distanceKm": 1}, "filter.near.latitude"},
	} {
		err := e.fails(q, map[string]any{"near": c.near}, "BAD_USER_INPUT")
		if err.Extensions["field"] != c.field {
			t.Errorf("%v: field %v, want %s (%s)", c.near, err.Extensions["field"], c.field, err.Message)
		}
	}
}
