package graph

import (
	"context"
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/signpost/signpost/fault"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// TestInputTextRefusesInvalidUTF8: JSON cannot carry invalid UTF-8 (the
// decoder replaces it), so the rule is checked here directly, on document
// strings and on variables at any depth, once per fragment.
func TestInputTextRefusesInvalidUTF8(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		vars      map[string]any
		field     string // "" when accepted
	}{
		{"plain text", `query($t: String) { a(x: "ok", y: $t) }`, map[string]any{"t": "fine"}, ""},
		{"invalid in the document", "{ a(x: \"bad \xff\") }", nil, "x"},
		{"invalid in a variable", `query($in: I) { a(input: $in) }`,
			map[string]any{"in": map[string]any{"list": []any{"ok", map[string]any{"name": "bad \xc3"}}}}, "input.list[1].name"},
		{"NUL in a fragment", "query { ...F } fragment F on Query { a(x: \"a\\u0000\") }", nil, "x"},
		{"NUL in an inline fragment", "query { ... on Query { a(x: [\"a\", \"\\u0000\"]) } }", nil, "x[1]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: c.doc})
			if err != nil {
				t.Fatal(err)
			}
			oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: c.vars}
			gerr := inputText{}.MutateOperationContext(context.Background(), oc)
			var inv *fault.Invalid
			switch {
			case c.field == "" && gerr != nil:
				t.Errorf("refused: %v", gerr)
			case c.field != "" && (gerr == nil || !errors.As(gerr, &inv) || inv.Problems[0].Field != c.field):
				t.Errorf("got %v, want a problem with %s", gerr, c.field)
			}
		})
	}
}
