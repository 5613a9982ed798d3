package apitest

import (
	"encoding/base64"
	"maps"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// argumentSamples builds, from the schema, valid values for every argument
// of a field and lists the paths of every text leaf in them (String, ID
// and the text scalars), with one element in every list and every
// optional input field given, so that each text an argument can hold is
// reached.
type argumentSamples struct {
	schema *ast.Schema
	leaves []string
}

var sampleScalars = map[string]any{"String": "x", "ID": "x", "Int": 1, "Float": 1.5, "Boolean": false,
	"Date": "2026-01-02", "DateTime": "2026-01-02T10:00:00Z", "LocalTime": "10:00"}

var textScalars = map[string]bool{"String": true, "ID": true, "Date": true, "DateTime": true, "LocalTime": true}

func (s *argumentSamples) value(path string, t *ast.Type, depth int) any {
	if t.Elem != nil {
		return []any{s.value(path+"[0]", t.Elem, depth)}
	}
	def := s.schema.Types[t.NamedType]
	switch def.Kind {
	case ast.Scalar:
		if textScalars[def.Name] {
			s.leaves = append(s.leaves, path)
		}
		return sampleScalars[def.Name]
	case ast.Enum:
		return def.EnumValues[0].Name
	case ast.InputObject:
		out := map[string]any{}
		for _, f := range def.Fields {
			if depth > 4 && !f.Type.NonNull {
				continue
			}
			out[f.Name] = s.value(path+"."+f.Name, f.Type, depth+1)
		}
		return out
	}
	panic("argument of kind " + def.Kind)
}

// setLeaf replaces the value at a path such as "input.locations[0].name".
func setLeaf(vars map[string]any, path string, v any) map[string]any {
	out := deepCopy(vars).(map[string]any)
	var cur any = out
	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' || r == ']' })
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = v
			} else {
				cur = c[p]
			}
		case []any:
			if last {
				c[0] = v
			} else {
				cur = c[0]
			}
		}
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

func loadSchema(t *testing.T) *ast.Schema {
	src, err := os.ReadFile("../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(src)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	return schema
}

// operation writes a document calling one field with every argument as a
// variable.
func operation(op string, fd *ast.FieldDefinition, schema *ast.Schema) string {
	var decls, args []string
	for _, a := range fd.Arguments {
		decls = append(decls, "$"+a.Name+": "+a.Type.String())
		args = append(args, a.Name+": $"+a.Name)
	}
	doc := op
	if len(decls) > 0 {
		doc += "(" + strings.Join(decls, ", ") + ")"
	}
	doc += " { " + fd.Name
	if len(args) > 0 {
		doc += "(" + strings.Join(args, ", ") + ")"
	}
	if k := schema.Types[fd.Type.Name()].Kind; k == ast.Object || k == ast.Interface || k == ast.Union {
		doc += " { __typename }"
	}
	return doc + " }"
}

// TestNULInAnyArgumentIsBadInput sends a NUL byte in every text an argument
// of every query and mutation can hold, as a variable, and expects
// BAD_USER_INPUT naming that argument, never INTERNAL.
func TestNULInAnyArgumentIsBadInput(t *testing.T) {
	e := newEnv(t, envOptions{})
	schema := loadSchema(t)
	checks := 0
	for _, root := range []struct {
		op  string
		def *ast.Definition
	}{{"query", schema.Query}, {"mutation", schema.Mutation}} {
		for _, fd := range root.def.Fields {
			if strings.HasPrefix(fd.Name, "__") {
				continue
			}
			s := &argumentSamples{schema: schema}
			vars := map[string]any{}
			for _, a := range fd.Arguments {
				vars[a.Name] = s.value(a.Name, a.Type, 0)
			}
			doc := operation(root.op, fd, schema)
			sort.Strings(s.leaves)
			for _, leaf := range s.leaves {
				checks++
				r := e.do(doc, setLeaf(vars, leaf, "a\x00b"))
				if code := errorCode(r); code != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != leaf {
					t.Errorf("%s with NUL in %s: %s %+v", fd.Name, leaf, code, r.Errors)
				}
			}
		}
	}
	t.Logf("%d arguments' texts checked", checks)
	if checks < 100 {
		t.Errorf("only %d texts reached: the sampling is broken", checks)
	}

	// Written into the document rather than passed as a variable.
	for _, c := range []struct{ doc, field string }{
		{`{ services(filter: {text: "lunch\u0000"}) { totalCount } }`, "filter.text"},
		{`{ service(id: "U2VydmljZTo\u0000") { id } }`, "id"},
		{`{ organisations(after: "\u0000") { totalCount } }`, "after"},
		{`{ taxonomies { edges { node { terms(parentId: "\u0000") { totalCount } } } } }`, "parentId"},
		{`query { ...F } fragment F on Query { matchServices(profile: {goals: ["sing", "a\u0000"]}) { score } }`, "profile.goals[1]"},
		{`mutation { login(email: "a\u0000@example.org", password: "x") { id } }`, "email"},
	} {
		r := e.do(c.doc, nil)
		if code := errorCode(r); code != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %s %+v", c.doc, code, r.Errors)
		}
	}
}

// TestBadValuesAreBadInput sends values that reach the resolvers and the
// domain (cursors that are not this list's, NUL inside a cursor, a price of
// 1e308, the year 0) and expects BAD_USER_INPUT naming the argument.
func TestBadValuesAreBadInput(t *testing.T) {
	f := newFixture(t)
	f.e.step(t, "cursors", func(t *testing.T) { badCursorsAreBadInput(t, f) })
	f.e.step(t, "searches and filters", func(t *testing.T) { hugeSearchesAreBadInput(t, f) })
	f.e.step(t, "prices", func(t *testing.T) { badPricesAreBadInput(t, f) })
	f.e.step(t, "the year 0", func(t *testing.T) { yearZeroIsBadInput(t, f) })
}

func badCursorsAreBadInput(t *testing.T, f *fixture) {
	e := f.e
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	id := "01a227e5-5085-7ddd-a4ea-10aa9740ee48"
	bad := map[string]string{
		"not base64":      "!!!",
		"not JSON":        b64("hello"),
		"no id":           b64(`{"n":"x"}`),
		"a name with NUL": b64(`{"n":"a\u0000b","i":"` + id + `"}`),
	}
	// Referrals are listed newest first: their cursors hold a time.
	badTimes := map[string]string{
		"a name not a time": b64(`{"n":"yesterday","i":"` + id + `"}`),
		"the year 0":        b64(`{"n":"0000-01-01T00:00:00Z","i":"` + id + `"}`),
		"minus infinity":    b64(`{"n":"-infinity","i":"` + id + `"}`),
	}
	for _, c := range []struct {
		role, doc string
		byTime    bool
	}{
		{"partner A", `query($a: String) { incomingReferrals(after: $a) { edges { node { id } } } }`, true},
		{"admin", `query($a: String) { services(after: $a) { totalCount } }`, false},
		{"admin", `query($a: String) { organisations(after: $a) { totalCount } }`, false},
		{"admin", `query($a: String) { taxonomies(after: $a) { edges { node { id } } } }`, false},
		{"admin", `query($a: String) { auditLog(after: $a) { edges { node { id } } } }`, false},
		{"link worker", `query($a: String) { clients(after: $a) { edges { node { id } } } }`, false},
	} {
		cursors := maps.Clone(bad)
		if c.byTime {
			maps.Copy(cursors, badTimes)
		}
		for name, cur := range cursors {
			f.as(c.role)
			r := e.do(c.doc, map[string]any{"a": cur})
			if code := errorCode(r); code != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "after" {
				t.Errorf("%s: a cursor with %s: %s %+v", c.doc, name, code, r.Errors)
			}
		}
	}
}

// hugeSearchesAreBadInput: searches and filters are bounded too, and their
// errors do not quote a huge value back.
func hugeSearchesAreBadInput(t *testing.T, f *fixture) {
	e := f.e
	words := strings.Repeat("word ", 60000)
	for _, c := range []struct{ doc, field string }{
		{`query($w: String) { services(filter: {text: $w}) { totalCount } }`, "filter.text"},
		{`query($w: String) { organisations(filter: {text: $w}) { totalCount } }`, "filter.text"},
		{`query($w: String) { services(filter: {near: {postcode: $w, distanceKm: 1}}) { totalCount } }`, "filter.near.postcode"},
		{`query($w: String!) { services(filter: {needs: [$w]}) { totalCount } }`, "filter.needs[0]"},
		{`query($w: String) { services(filter: {status: [` + strings.Repeat("ACTIVE ", 51) + `], text: $w}) { totalCount } }`, "filter.status"},
	} {
		f.admin()
		r := e.do(c.doc, map[string]any{"w": words})
		if code := errorCode(r); code != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field || len(r.Errors[0].Message) > 500 {
			t.Errorf("%s: %s %.300v", c.doc, code, r.Errors)
		}
	}
}

// badPricesAreBadInput: a price of 1e308 or more than 100,000.
func badPricesAreBadInput(t *testing.T, f *fixture) {
	e := f.e
	for _, amount := range []float64{1e308, 100000.01, -0.5} {
		f.as("partner A")
		in := validService()
		in["costs"] = []any{map[string]any{"option": "lunch", "amount": amount}}
		r := e.do(createService, map[string]any{"org": f.orgA, "in": in})
		if code := errorCode(r); code != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.costs[0].amount" {
			t.Errorf("a price of %g: %s %+v", amount, code, r.Errors)
		}
	}
}

// yearZeroIsBadInput: the year 0 does not exist in PostgreSQL's calendar.
func yearZeroIsBadInput(t *testing.T, f *fixture) {
	e := f.e
	client := f.newClient()
	for _, c := range []struct{ doc, field string }{
		{`mutation($id: ID!) { recordSession(clientId: $id, input: {date: "0000-01-01", kind: VIDEO}) { id } }`, "input.date"},
		{`mutation($id: ID!) { recordOutcome(clientId: $id, input: {instrument: ONS4, kind: BASELINE, date: "0000-06-01", scores: [1,2,3,4]}) { id } }`, "input.date"},
		{`query { caseworkReport(from: "0000-01-01", to: "0009-01-01") { clientsReferred } }`, "from"},
	} {
		f.as("link worker")
		vars := map[string]any{"id": client}
		if !strings.Contains(c.doc, "$id") {
			vars = nil
		}
		r := e.do(c.doc, vars)
		if code := errorCode(r); code != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %s %+v", c.doc, code, r.Errors)
		}
	}
	f.as("partner A")
	r := e.do(`mutation($id: ID!, $v: Int!) { verifyService(id: $id, version: $v, assurer: "a@example.org", assuredDate: "0000-01-01") { id } }`,
		map[string]any{"id": f.svcA, "v": 1})
	if code := errorCode(r); code != "BAD_USER_INPUT" {
		t.Errorf("verified in the year 0: %s %+v", code, r.Errors)
	}
}
