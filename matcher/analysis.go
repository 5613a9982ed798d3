package matcher

import (
	"math"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// english returns Bleve's English analyzer, the one the index uses, built
// on first use.
var english = sync.OnceValue(func() analysis.Analyzer {
	a, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		panic(err) // the analyzer is compiled in: only a broken build lacks it
	}
	return a
})

// englishStopWords are the stop words the English analyzer drops.
var englishStopWords = sync.OnceValue(func() analysis.TokenMap {
	m, err := registry.NewCache().TokenMapNamed(en.StopName)
	if err != nil {
		panic(err) // compiled in, as the analyzer is
	}
	return m
})

// needMatcher finds the needs' related words in analysed text. It is built
// on first use, as building it analyses every phrase.
var needMatcher = sync.OnceValue(func() *phraseMatcher { return newPhraseMatcher(relatedWords) })

// stems analyses text into its terms, in order.
func stems(text string) []string {
	ts := english().Analyze([]byte(text))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

// token is an analysed term and its position in the text; stop words
// leave gaps in the positions.
type token struct {
	term string
	pos  int
}

func tokens(text string) []token {
	ts := english().Analyze([]byte(text))
	out := make([]token, len(ts))
	for i, t := range ts {
		out[i] = token{term: string(t.Term), pos: t.Position}
	}
	return out
}

type phrase struct {
	need    string
	terms   []string
	offsets []int // each term's position relative to the first
	text    string
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
			ts := english().Analyze([]byte(w))
			if len(ts) == 0 {
				continue
			}
			terms := make([]string, len(ts))
			offsets := make([]int, len(ts))
			for i, t := range ts {
				terms[i] = string(t.Term)
				offsets[i] = t.Position - ts[0].Position
			}
			// "walk", "walks" and "walking" are one stem: keep the first.
			key := need + "\x00" + strings.Join(terms, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			m.byFirst[terms[0]] = append(m.byFirst[terms[0]], phrase{need: need, terms: terms, offsets: offsets, text: w})
		}
	}
	return m
}

// match calls fn for every related phrase found in the text's tokens
// (each phrase once). A phrase's words must stand as close together as in
// the phrase: "meeting for people" is not "meet people".
func (m *phraseMatcher) match(toks []token, fn func(need, phrase string)) {
	seen := map[string]bool{}
	for i, t := range toks {
		for _, p := range m.byFirst[t.term] {
			if i+len(p.terms) > len(toks) || seen[p.need+"\x00"+p.text] {
				continue
			}
			ok := true
			for j := 1; j < len(p.terms); j++ {
				if toks[i+j].term != p.terms[j] || toks[i+j].pos-t.pos != p.offsets[j] {
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
	// 1 - exp(-evidence/scale), which text alone scales by textOnlyCap.
	// One description word gives 0.28 (0.24 from text alone), one name
	// word 0.63 (0.54), a name word and two description words 0.81 (0.69).
	evidenceScale = 3.0
)

// NeedEvidence is how strongly, and why, a service addresses one need.
type NeedEvidence struct {
	Strength float64
	Tagged   bool     // tagged with the need itself
	Mapped   bool     // a taxonomy term maps to the need
	Words    []string // related words found in its text, venue words aside
	// Firm is evidence enough to say the service helps with the need (see
	// firmEvidence); Strength alone, as the ranking weighs it, may come
	// from one passing word ("chat").
	Firm bool
}

// firmEvidence: a service helps with a need, as a reason or coverage says,
// when the provider says so (a tag or mapped category), when its name or a
// category label names it, or when its description names it in two
// different words. Venue words ("day centre") never count.
func firmEvidence(e *NeedEvidence, named bool, described int) bool {
	return e.Tagged || e.Mapped || named || described >= 2
}

// needEvidence works out which needs a document addresses.
func needEvidence(d *Document) map[string]*NeedEvidence {
	phrases := needMatcher()
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
	named, described := map[string]bool{}, map[string]int{}
	add := func(weight float64) func(need, phrase string) {
		return func(need, p string) {
			e := get(need)
			if venueWords[p] {
				textScore[need] += weight * venueWeight
				return
			}
			textScore[need] += weight
			if weight == evidenceDescription {
				described[need]++ // each phrase is matched once per field
			} else {
				named[need] = true
			}
			if len(e.Words) < 6 && !contains(e.Words, p) {
				e.Words = append(e.Words, p)
			}
		}
	}
	phrases.match(tokens(d.Name), add(evidenceName))
	phrases.match(tokens(d.Description), add(evidenceDescription))
	for _, t := range d.Terms {
		phrases.match(tokens(t.Label), add(evidenceTermLabel))
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
	// A tag or mapped category is the provider's word; its text says how
	// much of the service is about the need. Text alone counts a little
	// less than a tag.
	for n, e := range ev {
		e.Firm = firmEvidence(e, named[n], described[n])
		text := 1 - math.Exp(-textScore[n]/evidenceScale)
		switch {
		case e.Tagged || e.Mapped:
			e.Strength = math.Max(e.Strength*(tagBase+(1-tagBase)*text), textOnlyCap*text)
		default:
			e.Strength = textOnlyCap * text
		}
	}
	return ev
}

const (
	// tagBase is the strength of a tag with no supporting text; the rest
	// comes from the text.
	tagBase = 0.75
	// textOnlyCap scales evidence from text alone.
	textOnlyCap = 0.85
)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fillerWords are common in how people describe what they want but say
// nothing about which service fits: they are left out of goal matching.
var fillerWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`want wants wanted wanting like likes would love loves need needs help helps
		get gets getting go going more much really also try trying able things thing something bit lot just
		feel feeling felt think day days week weeks time times make making way good better well again back
		people person someone somebody everyone lot lots little kind sort maybe perhaps please could can`) {
		m[w] = true
	}
	return m
}()

// ContentWords is the client's words without filler ("want", "really"…).
func ContentWords(text string) string { return goalQuery(text) }

// goalQuery is the client's words without filler.
func goalQuery(text string) string {
	var kept []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '\'' || r == '-' || r >= '0' && r <= '9')
	}) {
		if !fillerWords[strings.ToLower(strings.Trim(w, "'-"))] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}
