package graph

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

func costedSchema() graphql.ExecutableSchema {
	cfg := Config{Resolvers: &Resolver{}}
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
}

// minimalArgs gives every required argument of f a value, so that the
// generated Complexity can coerce them.
func minimalArgs(s *ast.Schema, args ast.ArgumentDefinitionList) map[string]any {
	out := map[string]any{}
	for _, a := range args {
		if a.Type.NonNull && a.DefaultValue == nil {
			out[a.Name] = minimalValue(s, a.Type)
		}
	}
	return out
}

func minimalValue(s *ast.Schema, t *ast.Type) any {
	if t.Elem != nil {
		return []any{}
	}
	def := s.Types[t.NamedType]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		m := map[string]any{}
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				m[f.Name] = minimalValue(s, f.Type)
			}
		}
		return m
	}
	switch t.NamedType {
	case "Int":
		return 1
	case "Float":
		return 1.0
	case "Boolean":
		return true
	case "Date":
		return "2026-01-01"
	case "LocalTime":
		return "09:00"
	}
	return "x"
}

// costedFields calls fn for every field of every object type.
func costedFields(t *testing.T, fn func(typ *ast.Definition, f *ast.FieldDefinition)) {
	t.Helper()
	s := costedSchema().Schema()
	for _, typ := range s.Types {
		if typ.Kind != ast.Object || strings.HasPrefix(typ.Name, "__") {
			continue
		}
		for _, f := range typ.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				fn(typ, f)
			}
		}
	}
}

func isListOrConnection(f *ast.FieldDefinition) bool {
	return f.Type.Elem != nil || strings.HasSuffix(f.Type.Name(), "Connection")
}

// Every list and connection multiplies what its items select: a field
// without a cost function would count as one item. Adding a list to the
// schema without costing it fails here.
func TestEveryListHasACost(t *testing.T) {
	es := costedSchema()
	n := 0
	costedFields(t, func(typ *ast.Definition, f *ast.FieldDefinition) {
		if !isListOrConnection(f) {
			return
		}
		n++
		if _, ok := es.Complexity(context.Background(), typ.Name, f.Name, 1, minimalArgs(es.Schema(), f.Arguments)); !ok {
			t.Errorf("%s.%s (%s) has no cost function: give it one in setComplexity", typ.Name, f.Name, f.Type)
		}
	})
	if n < 50 {
		t.Fatalf("only %d lists found", n)
	}
}

// No cost wraps around: whatever the children cost and whatever page size
// is asked for, a field costs at least what it selects.
func TestCostsSaturate(t *testing.T) {
	es := costedSchema()
	children := []int{0, 1, 1000, costCeiling - 1, costCeiling, math.MaxInt32 + 1, math.MaxInt / 2, math.MaxInt}
	costedFields(t, func(typ *ast.Definition, f *ast.FieldDefinition) {
		args := minimalArgs(es.Schema(), f.Arguments)
		if f.Arguments.ForName("first") != nil {
			args["first"] = math.MaxInt32
		}
		prev := 0
		for _, child := range children {
			got, ok := es.Complexity(context.Background(), typ.Name, f.Name, child, args)
			if !ok {
				return // gqlgen's default: 1 + child, saturating
			}
			if got < min(child, costCeiling) || got < 1 || got > costCeiling || got < prev {
				t.Errorf("%s.%s with children costing %d costs %d", typ.Name, f.Name, child, got)
			}
			prev = got
		}
	})
}

func cost(t *testing.T, query string) int {
	t.Helper()
	es := costedSchema()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	if errs := validator.ValidateWithRules(es.Schema(), doc, nil); len(errs) > 0 {
		t.Fatalf("invalid query: %v", errs)
	}
	return complexity.Calculate(context.Background(), es, doc.Operations[0], nil)
}

// Nested pages of 100 multiply: each level costs more than the one before
// and never wraps around to a small number (it did: int overflow let a
// 3 KB query cost 2).
func TestNestedPagesNeverCostLess(t *testing.T) {
	q := "id"
	prev := 0
	for depth := 1; depth <= 16; depth++ {
		q = "organisation { services(first: 100) { edges { node { " + q + " } } } }"
		c := cost(t, "{ services(first: 100) { edges { node { "+q+" } } } }")
		if c < prev {
			t.Fatalf("depth %d costs %d, less than depth %d (%d)", depth, c, depth-1, prev)
		}
		if depth >= 3 && c <= ComplexityLimit {
			t.Fatalf("depth %d costs %d, within the limit", depth, c)
		}
		prev = c
	}
	if prev != costCeiling {
		t.Fatalf("16 nested pages of 100 cost %d, want the ceiling %d", prev, costCeiling)
	}
}

// Lists inside a service are costed at their real bounds, not a guess.
func TestInnerListsCostTheirBounds(t *testing.T) {
	cases := []struct {
		query string
		least int
	}{
		{`{ service(id: "x") { locations { location { name } } } }`, serviceLocations * 2},
		{`{ service(id: "x") { schedules { opensAt } } }`, serviceSchedules},
		{`{ service(id: "x") { terms { name } contacts { name } costs { amount } } }`, serviceTerms + serviceContacts + serviceCosts},
		{`{ service(id: "x") { languages } }`, serviceStrings},
		{`{ client(id: "x") { goals { text } needs { need } sessions { number } referrals { status } outcomes { date } } }`,
			clientGoals + clientNeeds + clientSessions + clientReferrals + clientOutcomes},
		{`{ matchServices(profile: {needs: ["debt"]}, first: 50) { score } }`, MatchingCost + 50},
		{`{ client(id: "x") { suggestedServices(first: 10) { score } } }`, MatchingCost + 10},
	}
	for _, c := range cases {
		if got := cost(t, c.query); got < c.least {
			t.Errorf("%s costs %d, want at least %d", c.query, got, c.least)
		}
	}
	// A page of services multiplies its lists (with 5 guessed items per
	// list it cost 1,901).
	if c, least := cost(t, `{ services(first: 100) { edges { node { locations { location { name } } schedules { opensAt } } } } }`),
		100*(serviceLocations*2+serviceSchedules); c < least {
		t.Errorf("100 services with every location and schedule cost %d, want at least %d", c, least)
	}
	if c := cost(t, `{ organisations(first: 100) { edges { node { services(first: 100) { edges { node { locations { location { name } } } } } } } } }`); c <= ComplexityLimit {
		t.Errorf("100 organisations' 100 services with every location cost %d, within the limit", c)
	}
	// Three rankings are over the limit whatever they select.
	if c := cost(t, `{ clients(first: 3) { edges { node { suggestedServices(first: 1) { score } } } } }`); c <= ComplexityLimit {
		t.Errorf("suggestions for three clients cost %d, within the limit", c)
	}
}

// overflowingQuery is an attacker's document: pages of services nested
// eight deep, padded with fields so that the cost without saturation
// (1 + children × first in int64) came to 2^64 + 1, that is 1, at the top:
// 1.7 KB that cost 1 and ran for minutes.
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

func TestTheOverflowingQueryCostsTheCeiling(t *testing.T) {
	if c := cost(t, overflowingQuery()); c != costCeiling {
		t.Fatalf("the overflowing query costs %d, want the ceiling", c)
	}
}
