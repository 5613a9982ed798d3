package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// Limits on the shape of a document, checked before gqlgen validates it:
// validation compares fields pairwise (quadratic in repeated fields) and
// the complexity walk expands every fragment spread (exponential in nested
// fragments), so a hostile document must be refused before either runs.
// The check parses the document once (linear, within ParserTokenLimit) and
// measures each fragment once, so it is linear in the document's size.
const (
	// MaxDepth is how deeply fields may nest, counting through fragments.
	// GraphiQL's introspection query needs 15.
	MaxDepth = 20
	// MaxSelections is how many fields one operation or fragment may
	// select once its fragments are expanded. GraphiQL's introspection
	// query selects 227; validation time grows with the square of this in
	// the worst case (about 35 ms at 500).
	MaxSelections = 500
	// MaxRepeatedField is how many times one response name may be selected
	// in one selection set (fragments expanded). Validation compares every
	// pair of them.
	MaxRepeatedField = 10
	// MaxAliases is how many fields one operation or fragment may rename,
	// fragments expanded.
	MaxAliases = 30
	// MaxFragmentSpreads is how many `...Fragment` spreads a document may
	// contain.
	MaxFragmentSpreads = 100
	// MaxMutationFields is how many mutations one request may run.
	MaxMutationFields = 10
	// MaxLoginFields is how many sign-ins one request may attempt: each
	// costs a 64 MiB password hash.
	MaxLoginFields = 1
	// MaxRankingFields is how many of matchServices and suggestedServices
	// one request may select.
	MaxRankingFields = 2
	// MaxVariableValues is how many values (strings, numbers, list items,
	// object fields…) the request's variables may hold in all. The
	// largest input, a service with every part at its bound, holds about
	// 2,500.
	MaxVariableValues = 10000
	// MaxArgumentValues is how many argument values the fields of one
	// operation or fragment may be given, fragments expanded and a
	// variable counted at every field that uses it: gqlgen decodes a
	// field's arguments for its cost and again to run it, so a large
	// list variable used by many fields is work for each.
	MaxArgumentValues = 20000
)

// The limit each refusal names in extensions.limit.
const (
	limitDepth           = "depth"
	limitSelections      = "selections"
	limitRepeatedField   = "repeatedField"
	limitAliases         = "aliases"
	limitFragmentSpreads = "fragmentSpreads"
	limitFragmentCycle   = "fragmentCycle"
	limitMutations       = "mutations"
	limitLogins          = "logins"
	limitRankings        = "rankings"
	limitIntrospection   = "introspection"
	limitVariables       = "variableValues"
	limitArguments       = "argumentValues"
)

// documentLimits refuses documents over the limits before gqlgen parses
// and validates them (an OperationParameterMutator runs first).
type documentLimits struct {
	// cache is gqlgen's query cache: a document seen before is not parsed
	// again.
	cache         graphql.Cache[*ast.QueryDocument]
	introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentLimits{}

func (documentLimits) ExtensionName() string                   { return "DocumentLimits" }
func (documentLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (l documentLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	doc, ok := l.cache.Get(ctx, p.Query)
	if !ok {
		var err error
		doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, ParserTokenLimit)
		if err != nil {
			if tooDeepToParse(p.Query) {
				return refuse(limitDepth, MaxDepth, "the document nests more than %d deep; at most %d levels are allowed",
					parser.MaxNestingDepth, MaxDepth)
			}
			return nil // gqlgen parses again and reports it
		}
	}
	sizes, total := variableSizes(p.Variables)
	if total > MaxVariableValues {
		return refuse(limitVariables, MaxVariableValues,
			"the variables hold %s values; at most %d are allowed", count(total), MaxVariableValues)
	}
	return checkDocument(doc, sizes, l.introspection)
}

// variableSizes counts the values each variable holds (1 for a scalar or
// null), and their total; counts saturate and stop early far beyond the
// limit.
func variableSizes(vars map[string]any) (map[string]int, int) {
	sizes := make(map[string]int, len(vars))
	total := 0
	for name, v := range vars {
		n := valueCount(v, MaxVariableValues+1)
		sizes[name] = n
		total = satAdd(total, n)
	}
	return sizes, total
}

// valueCount counts v's values, stopping once it passes most.
func valueCount(v any, most int) int {
	n := 1
	switch x := v.(type) {
	case []any:
		for _, c := range x {
			if n > most {
				break
			}
			n = satAdd(n, valueCount(c, most-n))
		}
	case map[string]any:
		for _, c := range x {
			if n > most {
				break
			}
			n = satAdd(n, valueCount(c, most-n))
		}
	}
	return n
}

// tooDeepToParse reports whether src nests braces and brackets deeper than
// the parser reads (gqlparser refuses such a document with a parse error
// since v2.5.58). A document that deep breaks our depth limit too, and is
// refused as such, as it was before the parser had a limit of its own.
func tooDeepToParse(src string) bool {
	lex := lexer.New(&ast.Source{Input: src})
	depth := 0
	for {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return false
		}
		switch tok.Kind {
		case lexer.BraceL, lexer.BracketL:
			depth++
			if depth > parser.MaxNestingDepth {
				return true
			}
		case lexer.BraceR, lexer.BracketR:
			depth--
		}
	}
}

// checkDocument returns the first limit the document breaks, or nil.
// Every operation and fragment is checked, used or not: validation walks
// them all.
func checkDocument(doc *ast.QueryDocument, variables map[string]int, introspection bool) *gqlerror.Error {
	m := newMeasurer(doc)
	m.variables = variables
	if n := countSpreads(doc); n > MaxFragmentSpreads {
		return refuse(limitFragmentSpreads, MaxFragmentSpreads,
			"the document has %d fragment spreads; at most %d are allowed", n, MaxFragmentSpreads)
	}
	var shapes []*shape
	for _, op := range doc.Operations {
		s := m.set(op.SelectionSet)
		shapes = append(shapes, s)
		if err := checkOperation(op, s); err != nil {
			return err
		}
	}
	for _, f := range doc.Fragments {
		shapes = append(shapes, m.fragment(f.Name))
	}
	if m.cycle != "" {
		return refuse(limitFragmentCycle, 0, "fragment %q spreads itself", clip(m.cycle))
	}
	for _, s := range shapes {
		if err := checkShape(s, introspection); err != nil {
			return err
		}
	}
	return nil
}

// checkOperation applies the limits on what one operation may run.
func checkOperation(op *ast.OperationDefinition, s *shape) *gqlerror.Error {
	switch {
	case s.logins > MaxLoginFields:
		return refuse(limitLogins, MaxLoginFields,
			"a request may sign in only once; this one has %s login fields", count(s.logins))
	case s.rankings > MaxRankingFields:
		return refuse(limitRankings, MaxRankingFields,
			"a request may rank services at most %d times (matchServices, suggestedServices); this one selects %s",
			MaxRankingFields, count(s.rankings))
	case op.Operation == ast.Mutation && s.fields > MaxMutationFields:
		return refuse(limitMutations, MaxMutationFields,
			"a request may run at most %d mutations; this one has %s", MaxMutationFields, count(s.fields))
	}
	return nil
}

// checkShape applies the limits on the size of an operation or fragment.
func checkShape(s *shape, introspection bool) *gqlerror.Error {
	switch {
	case !introspection && s.introspection:
		return refuse(limitIntrospection, 0, "introspection is turned off on this server")
	case s.depth > MaxDepth:
		return refuse(limitDepth, MaxDepth, "fields nest %s deep; at most %d levels are allowed", count(s.depth), MaxDepth)
	case s.selections > MaxSelections:
		return refuse(limitSelections, MaxSelections,
			"the document selects %s fields once fragments are expanded; at most %d are allowed",
			count(s.selections), MaxSelections)
	case s.argValues > MaxArgumentValues:
		return refuse(limitArguments, MaxArgumentValues,
			"the fields are given %s argument values once fragments and variables are expanded; at most %d are allowed",
			count(s.argValues), MaxArgumentValues)
	case s.repeats > MaxRepeatedField:
		return refuse(limitRepeatedField, MaxRepeatedField,
			"%q is selected %s times in one selection set; at most %d are allowed",
			clip(s.repeated), count(s.repeats), MaxRepeatedField)
	case s.aliases > MaxAliases:
		return refuse(limitAliases, MaxAliases,
			"the document uses %s aliases once fragments are expanded; at most %d are allowed", count(s.aliases), MaxAliases)
	}
	return nil
}

// refuse is a validation error naming the limit. It carries gqlgen's
// validation code, so it is answered like any invalid document (HTTP 400
// for application/graphql-response+json).
func refuse(limit string, maxAllowed int, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, errcode.ValidationFailed)
	err.Extensions["limit"] = limit
	if maxAllowed > 0 {
		err.Extensions["max"] = maxAllowed
	}
	return err
}

// count prints a measure, which saturates.
func count(n int) string {
	if n >= costCeiling {
		return fmt.Sprintf("more than %d", costCeiling-1)
	}
	return fmt.Sprint(n)
}

// clip shortens a name from the document for a message.
func clip(s string) string {
	const most = 40
	if len(s) > most {
		return s[:most] + "…"
	}
	return s
}

func countSpreads(doc *ast.QueryDocument) int {
	n := 0
	var walk func(ast.SelectionSet)
	walk = func(ss ast.SelectionSet) {
		for _, sel := range ss {
			switch x := sel.(type) {
			case *ast.Field:
				walk(x.SelectionSet)
			case *ast.InlineFragment:
				walk(x.SelectionSet)
			case *ast.FragmentSpread:
				n++
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	return n
}

// shape measures a selection set with its fragments expanded. Every count
// saturates at costCeiling.
type shape struct {
	selections int // fields at any depth
	depth      int
	aliases    int
	fields     int            // fields at this level
	names      map[string]int // fields at this level by response name
	repeats    int            // the most fields with one response name in one selection set
	repeated   string
	logins     int
	rankings   int
	// argValues: argument values given to the fields, a variable's
	// values counted at every use.
	argValues int
	// introspection: the shape selects __schema or __type.
	introspection bool
}

// measurer measures selection sets, each fragment once, so that chains
// of fragments that spread the one before twice (exponential when
// expanded) take linear time.
type measurer struct {
	fragments map[string]*ast.FragmentDefinition
	measured  map[string]*shape
	measuring map[string]bool
	cycle     string
	// variables holds how many values each variable of the request holds.
	variables map[string]int
}

func newMeasurer(doc *ast.QueryDocument) *measurer {
	m := &measurer{fragments: map[string]*ast.FragmentDefinition{}, measured: map[string]*shape{},
		measuring: map[string]bool{}}
	for _, f := range doc.Fragments {
		if _, dup := m.fragments[f.Name]; !dup {
			m.fragments[f.Name] = f
		}
	}
	return m
}

var empty = &shape{names: map[string]int{}}

func (m *measurer) fragment(name string) *shape {
	if s, ok := m.measured[name]; ok {
		return s
	}
	def := m.fragments[name]
	if def == nil {
		return empty // unknown: validation reports it
	}
	if m.measuring[name] {
		if m.cycle == "" {
			m.cycle = name
		}
		return empty
	}
	m.measuring[name] = true
	s := m.set(def.SelectionSet)
	delete(m.measuring, name)
	m.measured[name] = s
	return s
}

func (m *measurer) set(ss ast.SelectionSet) *shape {
	s := &shape{names: map[string]int{}}
	m.level(ss, s)
	for name, n := range s.names {
		if n > s.repeats || n == s.repeats && name < s.repeated {
			s.repeats, s.repeated = n, name
		}
	}
	return s
}

// level adds the selections of ss to s, at s's level.
func (m *measurer) level(ss ast.SelectionSet, s *shape) {
	for _, sel := range ss {
		switch x := sel.(type) {
		case *ast.Field:
			m.field(x, s)
		case *ast.InlineFragment:
			m.level(x.SelectionSet, s)
		case *ast.FragmentSpread:
			s.merge(m.fragment(x.Name))
		}
	}
}

func (m *measurer) field(f *ast.Field, s *shape) {
	s.names[f.Alias] = satAdd(s.names[f.Alias], 1)
	s.fields = satAdd(s.fields, 1)
	s.selections = satAdd(s.selections, 1)
	s.depth = max(s.depth, 1)
	if f.Alias != f.Name {
		s.aliases = satAdd(s.aliases, 1)
	}
	for _, a := range f.Arguments {
		s.argValues = satAdd(s.argValues, m.argumentValues(a.Value))
	}
	switch f.Name {
	case "login":
		s.logins = satAdd(s.logins, 1)
	case "matchServices", "suggestedServices":
		s.rankings = satAdd(s.rankings, 1)
	case "__schema", "__type":
		s.introspection = true
	}
	if len(f.SelectionSet) == 0 {
		return
	}
	sub := m.set(f.SelectionSet)
	s.selections = satAdd(s.selections, sub.selections)
	s.depth = max(s.depth, satAdd(sub.depth, 1))
	s.add(sub)
}

// argumentValues counts the values an argument gives its field: a literal's
// own, and for a variable what the request's variable holds.
func (m *measurer) argumentValues(v *ast.Value) int {
	if v == nil {
		return 0
	}
	if v.Kind == ast.Variable {
		return max(m.variables[v.Raw], 1)
	}
	n := 1
	for _, c := range v.Children {
		n = satAdd(n, m.argumentValues(c.Value))
	}
	return n
}

// merge adds a fragment spread at s's level.
func (s *shape) merge(f *shape) {
	for name, n := range f.names {
		s.names[name] = satAdd(s.names[name], n)
	}
	s.fields = satAdd(s.fields, f.fields)
	s.selections = satAdd(s.selections, f.selections)
	s.depth = max(s.depth, f.depth)
	s.add(f)
}

// add adds what s and f count alike, whatever their levels.
func (s *shape) add(f *shape) {
	s.aliases = satAdd(s.aliases, f.aliases)
	s.logins = satAdd(s.logins, f.logins)
	s.rankings = satAdd(s.rankings, f.rankings)
	s.argValues = satAdd(s.argValues, f.argValues)
	s.introspection = s.introspection || f.introspection
	if f.repeats > s.repeats {
		s.repeats, s.repeated = f.repeats, f.repeated
	}
}

// validationRules are gqlparser's rules; with suggestions off, no rule's
// message says "Did you mean …": gqlgen swaps only the field and leaf
// rules for quiet versions, and the others would name arguments, enum
// values, input fields and types that introspection would hide.
func validationRules(suggestions bool) func() *rules.Rules {
	return func() *rules.Rules {
		r := rules.NewDefaultRules()
		if suggestions {
			return r
		}
		for name, rule := range r.GetInner() {
			r.ReplaceRule(name, withoutSuggestions(rule))
		}
		return r
	}
}

func withoutSuggestions(rule core.RuleFunc) core.RuleFunc {
	return func(observers *core.Events, addError core.AddErrFunc) {
		rule(observers, func(options ...core.ErrorOption) {
			addError(append(options, dropSuggestion)...)
		})
	}
}

// dropSuggestion cuts the suggestion gqlparser appends to a message: its
// helpers (SuggestListQuoted, SuggestListUnquoted, Suggestf) all add it at
// the end, starting with " Did you mean".
func dropSuggestion(err *gqlerror.Error) {
	if i := strings.Index(err.Message, " Did you mean"); i >= 0 {
		err.Message = err.Message[:i]
	}
}
