package apitest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostile is one kind of document an attacker sends, anonymously.
type hostile struct {
	name  string
	query string
	vars  map[string]any
	code  string // "" when it is answered
	limit string // extensions.limit of a refused document
}

// bigProfile is a 22 KB matching profile: goals far over their bounds.
func bigProfile() map[string]any {
	goals := make([]string, 10)
	for i := range goals {
		goals[i] = strings.Repeat("meet people singing walking ", 80) // 2,240 characters
	}
	return map[string]any{"needs": []string{"loneliness"}, "goals": goals}
}

// fullProfile is a profile at every bound: what one ranking may weigh.
func fullProfile() map[string]any {
	goal := strings.Repeat("singing ", 37) + "choir" // 301 → 300 characters below
	goals := make([]string, 10)
	for i := range goals {
		goals[i] = goal[:300]
	}
	avail := make([]map[string]any, 28)
	for i := range avail {
		avail[i] = map[string]any{"day": []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"}[i%4]}
	}
	return map[string]any{"needs": []string{"loneliness", "debt", "food", "carers", "housing"}, "goals": goals,
		"interests": goals, "availability": avail, "location": map[string]any{"postcode": "NE46 1BG"}, "maxDistanceKm": 200}
}

func aliases(n int, field string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s ", i, field)
	}
	return b.String()
}

func fragmentFanOut(depth int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query { ...F%d }\nfragment F0 on Query { needs { code } }\n", depth)
	for i := 1; i <= depth; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// nestedPages asks for pages of 100 services inside pages of 100 services:
// without saturation its cost wrapped around to a small number.
func nestedPages(levels int) string {
	q := "id"
	for range levels {
		q = "organisation { services(first: 100) { edges { node { " + q + " } } } }"
	}
	return "{ services(first: 100) { edges { node { " + q + " } } } }"
}

// overflowingQuery is an attacker's document: pages of services nested
// eight deep, padded with fields so that the cost without saturation
// (1 + children × first in int64) came to 2^64 + 1, that is 1.
func overflowingQuery() string {
	s := uint64(1)<<58 - 2 // × 64 at the top wraps to 0
	var pads []int
	for s > 100 {
		d := (s - 2) % 100
		pads = append(pads, int(d))
		s = (s-2-d)/100 - 2
	}
	q := strings.Repeat("id ", int(s))
	for i := len(pads) - 1; i >= 0; i-- {
		q = "organisation { services(first: 100) { edges { node { " + q + "} } } } " + strings.Repeat("id ", pads[i])
	}
	return "{ services(first: 64) { edges { node { " + q + "} } } }"
}

func emptyStrings(n int) []string { return make([]string, n) }

func hostileDocuments() []hostile {
	return []hostile{
		{"complexity overflow, the attacker's document", overflowingQuery(), nil, "GRAPHQL_VALIDATION_FAILED", "depth"},
		{"complexity over the limit, within the document limits", nestedPages(4), nil, "COMPLEXITY_LIMIT_EXCEEDED", ""},
		{"fragment fan-out, depth 25", fragmentFanOut(25), nil, "GRAPHQL_VALIDATION_FAILED", "selections"},
		{"14,000 duplicated fields", "{ needs { " + strings.Repeat("code ", 14000) + "} }", nil, "GRAPHQL_VALIDATION_FAILED", "selections"},
		{"deep nesting", strings.Repeat("{ a ", 3000) + strings.Repeat("}", 3000), nil, "GRAPHQL_VALIDATION_FAILED", "depth"},
		{"50 aliased matchServices with 22 KB profiles", "query($p: MatchProfileInput!) { " +
			aliases(50, "matchServices(profile: $p, first: 50) { score reasons { text } service { name } }") + "}",
			map[string]any{"p": bigProfile()}, "GRAPHQL_VALIDATION_FAILED", "rankings"},
		{"one matchServices with a 22 KB profile", "query($p: MatchProfileInput!) { matchServices(profile: $p) { score } }",
			map[string]any{"p": bigProfile()}, "BAD_USER_INPUT", ""},
		{"two matchServices at every bound", "query($p: MatchProfileInput!) { " +
			aliases(2, "matchServices(profile: $p, first: 50) { score reasons { text } service { name organisation { name } } }") + "}",
			map[string]any{"p": fullProfile()}, "", ""},
		{"a page of 100 services with every list", pageQuery, map[string]any{"first": 100}, "", ""},
		{"a list variable of 330,000 values used by 30 fields", "query($l: [String!]) { " +
			aliases(30, "services(filter: {needs: $l}) { totalCount }") + "}",
			map[string]any{"l": emptyStrings(330_000)}, "GRAPHQL_VALIDATION_FAILED", "variableValues"},
		{"a list variable of 1,000 values used by 30 fields", "query($l: [String!]) { " +
			aliases(30, "services(filter: {needs: $l}) { totalCount }") + "}",
			map[string]any{"l": emptyStrings(1000)}, "GRAPHQL_VALIDATION_FAILED", "argumentValues"},
		{"40 aliased logins", "mutation { " + aliases(40, `login(email: "admin@test.example", password: "guess") { id }`) + "}",
			nil, "GRAPHQL_VALIDATION_FAILED", "logins"},
		{"1,300 aliased mutations", "mutation { " + aliases(1300, `revokeApiToken(id: "x") { id }`) + "}",
			nil, "GRAPHQL_VALIDATION_FAILED", "mutations"},
	}
}

// serverAllocated runs one request and returns what it allocated in this
// process (the server runs in it) and the statements it sent.
func (e *env) measured(query string, vars map[string]any) (gqlResponse, uint64, int64, time.Duration) {
	e.t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	statements := e.queries.n.Load()
	start := time.Now()
	r := e.do(query, vars)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return r, after.TotalAlloc - before.TotalAlloc, e.queries.n.Load() - statements, took
}

// One anonymous request of any shape is refused cheaply, before any
// resolver or SQL runs, or answered; none allocates 100 MB.
func TestHostileDocumentsAreRefusedCheaply(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	e.synced()
	e.cookie = ""
	audit := func() int {
		var n int
		if err := e.st.DB.NewSelect().TableExpr("audit_log").ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const mostBytes = 100 << 20
	for _, h := range hostileDocuments() {
		t.Run(h.name, func(t *testing.T) {
			rows := audit()
			r, alloc, statements, took := e.measured(h.query, h.vars)
			t.Logf("%d bytes of document: %.1f MB allocated, %d statements, %v", len(h.query), float64(alloc)/(1<<20), statements, took)
			if alloc > mostBytes {
				t.Errorf("allocated %.0f MB, want under 100 MB", float64(alloc)/(1<<20))
			}
			if h.code == "" {
				if len(r.Errors) > 0 {
					t.Fatalf("refused: %+v", r.Errors[0])
				}
				return
			}
			if len(r.Errors) == 0 {
				t.Fatalf("answered, want %s", h.code)
			}
			got := r.Errors[0]
			if got.Extensions["code"] != h.code || h.limit != "" && got.Extensions["limit"] != h.limit {
				t.Fatalf("error %s %v (%s), want %s %s", got.Extensions["code"], got.Extensions["limit"], got.Message, h.code, h.limit)
			}
			if statements != 0 {
				t.Errorf("a refused document sent %d SQL statements", statements)
			}
			if n := audit(); n != rows {
				t.Errorf("a refused document wrote %d audit rows", n-rows)
			}
		})
	}
}

// BenchmarkHostileDocuments measures the server time of each kind of
// hostile document (make bench; refused ones take well under a
// millisecond to a few milliseconds).
func BenchmarkHostileDocuments(b *testing.B) {
	e := newEnv(b, envOptions{demo: true})
	e.synced()
	e.cookie = ""
	for _, h := range hostileDocuments() {
		b.Run(h.name, func(b *testing.B) {
			for b.Loop() {
				e.do(h.query, h.vars)
			}
		})
	}
}

// With introspection off, asking for the schema is an invalid document
// (not an internal error, which would be logged), and no message suggests
// a name introspection would have shown.
func TestIntrospectionOffRefusesAndSuggestsNothing(t *testing.T) {
	on := newEnv(t, envOptions{})
	off := newEnv(t, envOptions{introspectionOff: true})
	for _, q := range []string{`{ __schema { queryType { name } } }`, `{ __type(name: "Client") { fields { name } } }`,
		`{ ...I } fragment I on Query { __schema { types { name } } }`} {
		err := off.fails(q, nil, "GRAPHQL_VALIDATION_FAILED")
		if err.Extensions["limit"] != "introspection" {
			t.Errorf("%s: %+v", q, err)
		}
		on.ok(q, nil, nil)
	}
	off.ok(`{ __typename }`, nil, nil)

	typos := map[string]string{
		"field":       `{ servics { totalCount } }`,
		"argument":    `{ services(frist: 5) { totalCount } }`,
		"enum value":  `{ services(filter: {status: [ACTIVEE]}) { totalCount } }`,
		"input field": `{ matchServices(profile: {neds: ["debt"]}) { score } }`,
		"type":        `{ ...F } fragment F on Qeury { __typename }`,
		"leaf":        `{ services { edges { node { name { x } } } } }`,
	}
	for kind, q := range typos {
		if r := off.do(q, nil); len(r.Errors) == 0 || strings.Contains(fmt.Sprint(r.Errors), "Did you mean") {
			t.Errorf("%s, introspection off: %+v", kind, r.Errors)
		}
		if r := on.do(q, nil); kind != "leaf" && !strings.Contains(fmt.Sprint(r.Errors), "Did you mean") {
			t.Errorf("%s, introspection on: no suggestion: %+v", kind, r.Errors)
		}
	}
}

// GraphiQL's introspection query is within every limit.
func TestGraphiQLIntrospectionIsAnswered(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.cookie = ""
	var out struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	e.ok(graphiqlIntrospection, nil, &out)
	if len(out.Schema.Types) < 50 {
		t.Fatalf("%d types", len(out.Schema.Types))
	}
}

const graphiqlIntrospection = `query IntrospectionQuery {
  __schema {
    description
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) {
    name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`

// The document limits hold for GET as for POST, and a profile over its
// bounds names the field.
func TestLimitsHoldOverGETAndNameTheField(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.cookie = ""
	code, body := e.get("/graphql?query=" + url.QueryEscape(fragmentFanOut(25)))
	if code != http.StatusOK || !strings.Contains(body, `"limit":"selections"`) || !strings.Contains(body, "GRAPHQL_VALIDATION_FAILED") {
		t.Fatalf("fan-out over GET: %d %s", code, body)
	}
	goals := []string{"walking", "choir", "cards", strings.Repeat("x", 301)}
	err := e.fails(`query($p: MatchProfileInput!) { matchServices(profile: $p) { score } }`,
		map[string]any{"p": map[string]any{"goals": goals}}, "BAD_USER_INPUT")
	if err.Extensions["field"] != "profile.goals[3]" || err.Message != "profile.goals[3]: must be at most 300 characters" {
		t.Fatalf("long goal: %+v", err)
	}
}
