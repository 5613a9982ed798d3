package matcher

import (
	"math"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

var (
	analyzerOnce sync.Once
	enAnalyzer   analysis.Analyzer
	phrases      *phraseMatcher
)

// english returns Bleve's English analyzer, the one the index uses.
func english() analysis.Analyzer {
	analyzerOnce.Do(func() {
		a, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
		if err != nil {
			panic(err)
		}
		enAnalyzer = a
		phrases = newPhraseMatcher(relatedWords)
	})
	return enAnalyzer
}

// stems analyses text into its terms, in order.
func stems(text string) []string {
	ts := english().Analyze([]byte(text))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

type phrase struct {
	need  string
	terms []string
	text  string
}

// phraseMatcher finds the related words of needs in analysed text.
type phraseMatcher struct {
	byFirst map[string][]phrase
}

func newPhraseMatcher(words map[string][]string) *phraseMatcher {
	m := &phraseMatcher{byFirst: map[string][]phrase{}}
	seen := map[string]bool{}
	for need, list := range words {
		for _, w := range list {
			// Analyse without the global (analyzerOnce is running).
			ts := enAnalyzer.Analyze([]byte(w))
			if len(ts) == 0 {
				continue
			}
			terms := make([]string, len(ts))
			for i, t := range ts {
				terms[i] = string(t.Term)
			}
			// "walk", "walks" and "walking" are one stem: keep the first.
			key := need + "\x00" + strings.Join(terms, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			m.byFirst[terms[0]] = append(m.byFirst[terms[0]], phrase{need: need, terms: terms, text: w})
		}
	}
	return m
}

// match calls fn for every related phrase found in terms (each phrase once).
func (m *phraseMatcher) match(terms []string, fn func(need, phrase string)) {
	seen := map[string]bool{}
	for i, t := range terms {
		for _, p := range m.byFirst[t] {
			if i+len(p.terms) > len(terms) || seen[p.need+"\x00"+p.text] {
				continue
			}
			ok := true
			for j := 1; j < len(p.terms); j++ {
				if terms[i+j] != p.terms[j] {
					ok = false
					break
				}
			}
			if ok {
				seen[p.need+"\x00"+p.text] = true
				fn(p.need, p.text)
			}
		}
	}
}

// Field weights for need evidence found in text: a word in the name says
// more than one in a long description.
const (
	evidenceName        = 3.0
	evidenceTermLabel   = 2.0
	evidenceDescription = 1.0
	// evidenceScale turns summed evidence into a strength in (0, 1):
	// 1 - exp(-evidence/scale). One description word gives 0.28, one name
	// word 0.63, a name word and two description words 0.81.
	evidenceScale = 3.0
)

// NeedEvidence is how strongly, and why, a service addresses one need.
type NeedEvidence struct {
	Strength float64
	Tagged   bool     // tagged with the need itself
	Mapped   bool     // a taxonomy term maps to the need
	Words    []string // related words found in its text
}

// needEvidence works out which needs a document addresses.
func needEvidence(d *Document) map[string]*NeedEvidence {
	english()
	ev := map[string]*NeedEvidence{}
	get := func(n string) *NeedEvidence {
		e := ev[n]
		if e == nil {
			e = &NeedEvidence{}
			ev[n] = e
		}
		return e
	}
	textScore := map[string]float64{}
	add := func(weight float64) func(need, phrase string) {
		return func(need, p string) {
			textScore[need] += weight
			e := get(need)
			if len(e.Words) < 6 && !contains(e.Words, p) {
				e.Words = append(e.Words, p)
			}
		}
	}
	phrases.match(stems(d.Name), add(evidenceName))
	phrases.match(stems(d.Description), add(evidenceDescription))
	for _, t := range d.Terms {
		phrases.match(stems(t.Label), add(evidenceTermLabel))
		needs, strength := termNeeds(t.Taxonomy, t.Code)
		for _, n := range needs {
			if !IsNeed(n) {
				continue
			}
			e := get(n)
			if strings.EqualFold(t.Taxonomy, "signpost-needs") {
				e.Tagged = true
			} else {
				e.Mapped = true
			}
			e.Strength = math.Max(e.Strength, strength)
		}
	}
	for n, s := range textScore {
		e := get(n)
		e.Strength = math.Max(e.Strength, 1-math.Exp(-s/evidenceScale))
	}
	return ev
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
