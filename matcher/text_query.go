package matcher

import (
	"context"
	"math"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// How much each kind of evidence counts next to the person's own content
// words (1). These are relative boosts inside the text signal, not ranking
// weights: the text signal as a whole is weighed in weights.go.
const (
	// weakWeight: a broad word ("group") said by the person.
	weakWeight = 0.3
	// synonymWeight: a synonym or an idiom's meaning, never said.
	synonymWeight = 0.5
	// phraseWeight: the person's adjacent words found together, on top of
	// the words themselves.
	phraseWeight = 1.0
	// ruleOutPenalty is the share of its score a service loses when its
	// name, categories or description are about what the person ruled out
	// (scaled by how much they are, in (0, 1]).
	ruleOutPenalty = 0.6
)

// extraShare: the extra search keeps 1/extraShare as many hits as the
// person's words.
const extraShare = 4

// fieldBoosts: a word in the name says more than one in a long
// description.
var fieldBoosts = []struct {
	field string
	boost float64
}{{"name", 3}, {"labels", 2}, {"description", 1}, {"organisation", 0.5}}

// primaryQuery matches the person's own content words (or, when they gave
// only broad ones, those).
func (g *goalReading) primaryQuery() query.Query {
	words := g.strong
	if len(words) == 0 {
		words = g.weak
	}
	if len(words) == 0 {
		return nil
	}
	text := strings.Join(words, " ")
	qs := make([]query.Query, 0, len(fieldBoosts))
	for _, f := range fieldBoosts {
		qs = append(qs, matchIn(text, f.field, f.boost))
	}
	return query.NewDisjunctionQuery(qs)
}

// extraQuery matches what adds to the person's words: broad words said
// beside content words, the person's phrases and the synonyms. It returns
// the number of clauses with it, to undo Bleve's coordination factor.
func (g *goalReading) extraQuery() (query.Query, int) {
	var qs []query.Query
	if len(g.strong) > 0 && len(g.weak) > 0 {
		text := strings.Join(g.weak, " ")
		qs = append(qs, matchIn(text, "name", 3*weakWeight), matchIn(text, "description", weakWeight))
	}
	// A phrase is looked for in descriptions only: a name is a few
	// words, and both words in it already weigh three times.
	for _, p := range g.phrases {
		qs = append(qs, phraseIn(p, "description", phraseWeight))
	}
	var single []string
	for _, e := range g.expanded {
		if strings.Contains(e.text, " ") {
			qs = append(qs, phraseIn(e.text, "name", 3*synonymWeight), phraseIn(e.text, "labels", 2*synonymWeight),
				phraseIn(e.text, "description", synonymWeight))
		} else {
			single = append(single, e.text)
		}
	}
	if len(single) > 0 {
		text := strings.Join(single, " ")
		qs = append(qs, matchIn(text, "name", 3*synonymWeight), matchIn(text, "labels", 2*synonymWeight),
			matchIn(text, "description", synonymWeight))
	}
	if len(qs) == 0 {
		return nil, 0
	}
	return query.NewDisjunctionQuery(qs), len(qs)
}

// ruleOutQuery matches services about what the person ruled out.
func (g *goalReading) ruleOutQuery() query.Query {
	if len(g.excluded) == 0 {
		return nil
	}
	var qs []query.Query
	for _, w := range g.excluded {
		if strings.Contains(w, " ") {
			qs = append(qs, phraseIn(w, "name", 3), phraseIn(w, "labels", 2), phraseIn(w, "description", 1))
		}
	}
	var single []string
	for _, w := range g.excluded {
		if !strings.Contains(w, " ") {
			single = append(single, w)
		}
	}
	if len(single) > 0 {
		text := strings.Join(single, " ")
		qs = append(qs, matchIn(text, "name", 3), matchIn(text, "labels", 2), matchIn(text, "description", 1))
	}
	return query.NewDisjunctionQuery(qs)
}

func matchIn(text, field string, boost float64) query.Query {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func phraseIn(text, field string, boost float64) query.Query {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// goalScores runs the reading against the index and returns each hit's
// text relevance in (0, 1]. The person's words and what adds to them are
// two searches, because one Bleve disjunction multiplies every score by
// the share of its clauses matched: a broad word or a synonym beside the
// person's words would double a service's score instead of adding a
// little to it. Each search's scores are multiplied back by its clause
// count, so that a clause matched alone counts at its own boost in both
// (a synonym in a name is worth half the person's word in a name); the
// sum is divided by the best sum.
func (ix *Index) goalScores(ctx context.Context, g *goalReading, size int) (map[string]float64, error) {
	raw := map[string]float64{}
	ceiling := math.Inf(1)
	if q := g.primaryQuery(); q != nil {
		hits, max, err := ix.search(ctx, q, size)
		if err != nil {
			return nil, err
		}
		for id, s := range hits {
			raw[id] = s * float64(len(fieldBoosts))
		}
		if max > 0 {
			ceiling = max * float64(len(fieldBoosts))
		}
	}
	if q, n := g.extraQuery(); q != nil {
		// Fewer hits are kept: past the best, what only adds to the
		// person's words no longer changes which services come first.
		hits, _, err := ix.search(ctx, q, size/extraShare)
		if err != nil {
			return nil, err
		}
		// Synonyms are alternatives, not more evidence: a listing that
		// has five of them is not five times as relevant. What adds to
		// the person's words adds at most what the best match of the
		// words themselves scores.
		for id, s := range hits {
			raw[id] += math.Min(s*float64(n), ceiling)
		}
	}
	best := 0.0
	for _, s := range raw {
		best = math.Max(best, s)
	}
	out := make(map[string]float64, len(raw))
	if best <= 0 {
		return out, nil
	}
	// The square root keeps a description-only match from vanishing next
	// to a service that has the word in its name.
	for id, s := range raw {
		out[id] = math.Sqrt(s / best)
	}
	return out, nil
}

// ruleOutScores returns, for services about what the person ruled out, how
// much they are, in (0, 1].
func (ix *Index) ruleOutScores(ctx context.Context, g *goalReading, size int) (map[string]float64, error) {
	q := g.ruleOutQuery()
	if q == nil {
		return nil, nil
	}
	hits, max, err := ix.search(ctx, q, size)
	if err != nil || max <= 0 {
		return nil, err
	}
	for id, s := range hits {
		hits[id] = math.Sqrt(s / max)
	}
	return hits, nil
}

func (ix *Index) search(ctx context.Context, q query.Query, size int) (map[string]float64, float64, error) {
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	out := make(map[string]float64, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out, res.MaxScore, nil
}
