package graph

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// inputText refuses, before any resolver runs, a request whose arguments
// hold text no field may hold: a NUL byte (PostgreSQL cannot store one) or
// invalid UTF-8. Every string in every argument is read, whether written
// in the document or passed as a variable, at any depth of input objects
// and lists; the error is BAD_USER_INPUT naming the argument as domain
// validation does (e.g. "input.locations[0].location.name"). What else a
// field may hold (lengths, other control characters) the domain decides.
type inputText struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = inputText{}

// maxTextProblems caps the problems one refusal lists.
const maxTextProblems = 10

func (inputText) ExtensionName() string                   { return "InputText" }
func (inputText) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext reads the operation's arguments and those of
// every fragment once each: the work is linear in the document and the
// variables, however fragments are spread.
func (inputText) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := &textWalker{vars: oc.Variables, read: map[string]bool{}}
	w.selections(oc.Operation.SelectionSet)
	for _, f := range oc.Doc.Fragments {
		w.selections(f.SelectionSet)
	}
	if err := w.problems.Err(); err != nil {
		return gqlerror.Wrap(err)
	}
	return nil
}

type textWalker struct {
	vars     map[string]any
	read     map[string]bool // variables already read
	problems fault.Problems
}

func (w *textWalker) full() bool { return len(w.problems) >= maxTextProblems }

func (w *textWalker) selections(set ast.SelectionSet) {
	for _, sel := range set {
		if w.full() {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				w.value(a.Name, a.Value)
			}
			w.selections(s.SelectionSet)
		case *ast.InlineFragment:
			w.selections(s.SelectionSet)
		}
		// Fragment spreads are read with their definitions, once.
	}
}

// value reads an argument as written in the document.
func (w *textWalker) value(path string, v *ast.Value) {
	if v == nil || w.full() {
		return
	}
	switch v.Kind {
	case ast.Variable:
		// A variable is read once, at its first use, however many fields
		// use it.
		if val, ok := w.vars[v.Raw]; ok && !w.read[v.Raw] {
			w.read[v.Raw] = true
			w.variable(path, val)
		}
	case ast.StringValue, ast.BlockValue:
		w.text(path, v.Raw)
	case ast.ListValue:
		for i, c := range v.Children {
			w.value(path+"["+strconv.Itoa(i)+"]", c.Value)
		}
	case ast.ObjectValue:
		for _, c := range v.Children {
			w.value(path+"."+c.Name, c.Value)
		}
	}
}

// variable reads a variable's value as decoded from the request.
func (w *textWalker) variable(path string, v any) {
	if w.full() {
		return
	}
	switch x := v.(type) {
	case string:
		w.text(path, x)
	case []any:
		for i, c := range x {
			w.variable(path+"["+strconv.Itoa(i)+"]", c)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys) // the same problem first every time
		for _, k := range keys {
			w.variable(path+"."+k, x[k])
		}
	}
}

func (w *textWalker) text(path, s string) {
	if msg := storableText(s); msg != "" {
		w.problems.Add(path, "%s", msg)
	}
}

// storableText says what is wrong with text no field may hold, or "".
func storableText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return bounds.MsgNotUTF8
	case strings.IndexByte(s, 0) >= 0:
		return "must not contain NUL bytes"
	}
	return ""
}
