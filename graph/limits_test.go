package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// introspectionQuery is GraphiQL's (graphql-js getIntrospectionQuery with
// every option on): the largest document a legitimate client sends.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    description
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL isOneOf
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

// fanOut is a chain of fragments each spreading the one before n times:
// 1 KB that expands to n^depth fields.
func fanOut(depth, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query { ...F%d }\nfragment F0 on Query { __typename }\n", depth)
	for i := 1; i <= depth; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query {%s }\n", i, strings.Repeat(fmt.Sprintf(" ...F%d", i-1), n))
	}
	return b.String()
}

// fanOutNested doubles with each fragment without repeating a field in
// one selection set: F1 { a { ...F0 } b { ...F0 } }.
func fanOutNested(depth int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query { ...F%d }\nfragment F0 on Query { __typename }\n", depth)
	for i := 1; i <= depth; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { a { ...F%d } b { ...F%d } }\n", i, i-1, i-1)
	}
	return b.String()
}

func nested(depth int) string {
	return strings.Repeat("{ a ", depth) + strings.Repeat("}", depth)
}

func aliased(n int, field string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s ", i, field)
	}
	return b.String()
}

func TestDocumentLimits(t *testing.T) {
	cases := []struct {
		name          string
		doc           string
		introspection bool
		limit         string // "" when the document is within the limits
	}{
		{"a plain query", `{ services(first: 5) { edges { node { id name } } } }`, true, ""},
		{"GraphiQL's introspection", introspectionQuery, true, ""},
		{"introspection turned off", introspectionQuery, false, limitIntrospection},
		{"__type turned off", `{ __type(name: "Service") { name } }`, false, limitIntrospection},
		{"__type in a fragment, turned off", `{ ...Q } fragment Q on Query { __type(name: "Service") { name } }`, false, limitIntrospection},
		{"__typename with introspection off", `{ __typename }`, false, ""},

		{"nesting at the limit", nested(MaxDepth), true, ""},
		{"nesting too deep", nested(MaxDepth + 1), true, limitDepth},
		// gqlparser (v2.5.58 on) refuses to parse deeper than
		// parser.MaxNestingDepth; up to there the depth limit is ours.
		{"nesting as deep as the parser reads", nested(parser.MaxNestingDepth), true, limitDepth},
		{"depth through fragments", "{ a { ...F } } fragment F on A " + nested(MaxDepth), true, limitDepth},

		{"fragment fan-out, depth 9", fanOut(9, 2), true, limitSelections},
		{"fragment fan-out, depth 25", fanOut(25, 2), true, limitSelections},
		{"fragment fan-out of 3^30 (saturates)", fanOut(30, 3), true, limitSelections},
		{"fragment fan-out, depth 3 (8 copies)", fanOut(3, 2), true, ""},
		{"fragment fan-out, depth 4 (16 copies)", fanOut(4, 2), true, limitRepeatedField},
		{"fragment fan-out of nested fields", fanOutNested(12), true, limitSelections},
		{"an unused fragment is checked too", "{ __typename } fragment U on Query " + "{ " + aliased(MaxSelections+1, "__typename") + "}", true, limitSelections},
		{"an operation not chosen is checked too", "query A { __typename } query B { " + strings.Repeat("services { totalCount } ", 14000/4) + "}", true, limitSelections},

		{"a field repeated at the limit", "{ " + strings.Repeat("__typename ", MaxRepeatedField) + "}", true, ""},
		{"a field repeated too often", "{ " + strings.Repeat("__typename ", MaxRepeatedField+1) + "}", true, limitRepeatedField},
		{"14,000 copies of one field", "{ " + strings.Repeat("needs { code } ", 14000) + "}", true, limitSelections},
		{"repeats counted through fragments", "{ ...A ...A ...B } fragment A on Query { __typename __typename __typename __typename } fragment B on Query { ... on Query { __typename __typename __typename } }", true, limitRepeatedField},

		{"aliases at the limit", "{ " + aliased(MaxAliases, "__typename") + "}", true, ""},
		{"too many aliases", "{ " + aliased(MaxAliases+1, "__typename") + "}", true, limitAliases},
		{"aliases counted through fragments", "{ ...A ...A } fragment A on Query { " + aliased(MaxAliases/2+1, "__typename") + "}", true, limitAliases},

		{"too many spreads", "{ " + strings.Repeat("...A ", MaxFragmentSpreads+1) + "} fragment A on Query { __typename }", true, limitFragmentSpreads},
		{"a fragment cycle", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", true, limitFragmentCycle},
		{"an unknown fragment is left to validation", "{ ...Nowhere }", true, ""},

		{"mutations at the limit", "mutation { " + aliased(MaxMutationFields, `logout`) + "}", true, ""},
		{"too many mutations", "mutation { " + aliased(MaxMutationFields+1, `logout`) + "}", true, limitMutations},
		{"1,300 aliased mutations", "mutation { " + aliased(1300, `archiveService(id: "x", version: 1) { id }`) + "}", true, limitMutations},
		{"mutations through a fragment", "mutation { ...M ...M } fragment M on Mutation { " + aliased(6, "logout") + "}", true, limitMutations},
		{"one login", `mutation { login(email: "a", password: "b") { id } }`, true, ""},
		{"two logins", `mutation { a: login(email: "a", password: "b") { id } b: login(email: "a", password: "c") { id } }`, true, limitLogins},
		{"40 aliased logins", "mutation { " + aliased(40, `login(email: "a", password: "b") { id }`) + "}", true, limitLogins},
		{"logins through fragments", `mutation { ...L ...L } fragment L on Mutation { login(email: "a", password: "b") { id } }`, true, limitLogins},

		{"two rankings", `{ a: matchServices(profile: {needs: ["debt"]}) { score } b: matchServices(profile: {needs: ["food"]}) { score } }`, true, ""},
		{"three rankings", `{ a: matchServices(profile: {needs: ["debt"]}) { score } b: matchServices(profile: {needs: ["food"]}) { score } client(id: "x") { suggestedServices { score } } }`, true, limitRankings},
		{"50 aliased rankings", "{ " + aliased(50, `matchServices(profile: {needs: ["debt"]}) { score }`) + "}", true, limitRankings},
		{"suggestions through a fragment", `{ a: client(id: "x") { ...S } b: client(id: "y") { ...S } c: client(id: "z") { ...S } } fragment S on Client { suggestedServices { score } }`, true, limitRankings},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: c.doc})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got := checkDocument(doc, nil, c.introspection)
			switch {
			case c.limit == "" && got != nil:
				t.Fatalf("refused: %v", got)
			case c.limit != "" && got == nil:
				t.Fatalf("not refused, want the %s limit", c.limit)
			case c.limit != "" && got.Extensions["limit"] != c.limit:
				t.Fatalf("refused by %v (%s), want the %s limit", got.Extensions["limit"], got.Message, c.limit)
			case got != nil && got.Extensions["code"] != "GRAPHQL_VALIDATION_FAILED":
				t.Fatalf("code %v", got.Extensions["code"])
			}
		})
	}
}

// Deeper than the parser reads, a document never reaches checkDocument:
// the parser refuses it, and tooDeepToParse tells that refusal apart so it
// is still reported as the depth limit.
func TestNestingBeyondTheParser(t *testing.T) {
	if _, err := parser.ParseQuery(&ast.Source{Input: nested(5000)}); err == nil {
		t.Fatal("the parser read a document nested 5,000 deep")
	}
	if !tooDeepToParse(nested(5000)) {
		t.Fatal("nesting 5,000 deep not seen as too deep to parse")
	}
	if tooDeepToParse(nested(parser.MaxNestingDepth)) || tooDeepToParse("{ a(b: [[1]]) }") {
		t.Fatal("a document the parser reads seen as too deep")
	}
}

func TestDocumentLimitsNameTheMeasure(t *testing.T) {
	doc, _ := parser.ParseQuery(&ast.Source{Input: fanOut(30, 3)})
	err := checkDocument(doc, nil, true)
	if err == nil || !strings.Contains(err.Message, "more than") || err.Extensions["max"] != MaxSelections {
		t.Fatalf("fan-out of 3^30 fields: %v", err)
	}
	doc, _ = parser.ParseQuery(&ast.Source{Input: "mutation { " + aliased(40, `login(email: "a", password: "b") { id }`) + "}"})
	if err := checkDocument(doc, nil, true); err == nil || !strings.Contains(err.Message, "40 login fields") {
		t.Fatalf("40 logins: %v", err)
	}
}

// The introspection query is what GraphiQL needs: it must stay well within
// every limit.
func TestIntrospectionQueryShape(t *testing.T) {
	doc, err := parser.ParseQuery(&ast.Source{Input: introspectionQuery})
	if err != nil {
		t.Fatal(err)
	}
	s := newMeasurer(doc).set(doc.Operations[0].SelectionSet)
	t.Logf("GraphiQL's introspection query: %d fields expanded, depth %d", s.selections, s.depth)
	if s.selections > MaxSelections/2 || s.depth > MaxDepth-3 {
		t.Errorf("introspection is near the limits: %d fields, depth %d", s.selections, s.depth)
	}
}

// With suggestions off, no validation message suggests a name, whatever
// the rule: fields, arguments, enum values, input fields, types.
func TestValidationSuggestionsCanBeTurnedOff(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	typos := map[string]string{
		"field":       `{ servics { totalCount } }`,
		"argument":    `{ services(frist: 5) { totalCount } }`,
		"enum value":  `{ services(filter: {status: [ACTIVEE]}) { totalCount } }`,
		"input field": `{ matchServices(profile: {neds: ["debt"]}) { score } }`,
		"type":        `{ ...F } fragment F on Qeury { __typename }`,
		"enum string": `{ services(filter: {status: "ACTIVE"}) { totalCount } }`,
	}
	for kind, q := range typos {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			t.Fatal(err)
		}
		on := validator.ValidateWithRules(schema, doc, validationRules(true)())
		if len(on) == 0 {
			t.Fatalf("%s: %s is valid", kind, q)
		}
		if kind != "enum string" && !strings.Contains(on.Error(), "Did you mean") {
			t.Errorf("%s: no suggestion with suggestions on: %v", kind, on)
		}
		off := validator.ValidateWithRules(schema, doc, validationRules(false)())
		if len(off) == 0 || strings.Contains(off.Error(), "Did you mean") {
			t.Errorf("%s: suggestion with suggestions off: %v", kind, off)
		}
	}
}

// A large list variable is work at every field that uses it: gqlgen decodes
// a field's arguments for its cost and again to run it. The request's
// variables and their uses, fragments expanded, are bounded.
func TestVariableValuesAreBounded(t *testing.T) {
	list := func(n int) []any {
		l := make([]any, n)
		for i := range l {
			l[i] = ""
		}
		return l
	}
	uses := func(n int) string {
		return `query($l: [String!]) { ` + aliased(n, `services(filter: {needs: $l}) { totalCount }`) + `}`
	}
	cases := []struct {
		name  string
		doc   string
		vars  map[string]any
		limit string
	}{
		{"a service at its bounds", `mutation($in: ServiceInput!) { createService(organisationId: "x", input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": "x", "schedules": list(2500)}}, ""},
		{"330,000 values in one variable", uses(1), map[string]any{"l": list(330_000)}, limitVariables},
		{"values spread over many variables", uses(1), map[string]any{"a": list(6000), "b": list(6000)}, limitVariables},
		{"a list used by 30 fields", uses(30), map[string]any{"l": list(1000)}, limitArguments},
		{"a list used through a fragment spread 25 times",
			`query($l: [String!]) {` + strings.Repeat(` ...F`, 25) + ` } fragment F on Query { services(filter: {needs: $l}) { totalCount } }`,
			map[string]any{"l": list(1000)}, limitArguments},
		{"a list used by 10 fields", uses(10), map[string]any{"l": list(1000)}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := documentLimits{cache: noCache{}, introspection: true}
			got := l.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: c.doc, Variables: c.vars})
			switch {
			case c.limit == "" && got != nil:
				t.Fatalf("refused: %v", got)
			case c.limit != "" && got == nil:
				t.Fatalf("not refused, want the %s limit", c.limit)
			case c.limit != "" && got.Extensions["limit"] != c.limit:
				t.Fatalf("refused by %v (%s), want the %s limit", got.Extensions["limit"], got.Message, c.limit)
			}
		})
	}
}

type noCache struct{}

func (noCache) Get(context.Context, string) (*ast.QueryDocument, bool) { return nil, false }
func (noCache) Add(context.Context, string, *ast.QueryDocument)        {}
