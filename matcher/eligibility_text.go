package matcher

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Bounds on the text audience derivation reads. A description states its
// audience up front ("Free arts sessions for children aged 8+"); further
// down, a mention is usually one activity of a varied programme ("…and a
// range of activities for children and young people").
const (
	maxAudienceName        = 300
	maxAudienceEligibility = 2000
	maxAudienceDescription = 300
	maxAudienceTerms       = 50
)

// trust is how far a piece of a service's text is taken at its word.
type trust int

const (
	// trustFull: the name and the eligibility text say whom it is for.
	trustFull trust = iota
	// trustPhrased: the description, only where it says whom it is for.
	trustPhrased
)

// htmlTag is a real tag: "<p>", "</p>", "<br/>". A bare "<" is prose
// ("young people <18") and stays.
var htmlTag = regexp.MustCompile(`<[a-zA-Z/][^<>]*>`)

// foldText lower-cases text, strips HTML tags and entities and the
// literal "\n" of some feeds, and folds typographic variants (’ to ', –
// to -) so the patterns can be written once.
func foldText(s string, limit int) string {
	if len(s) > 4*limit {
		s = s[:4*limit]
	}
	t := strings.ToLower(html.UnescapeString(htmlTag.ReplaceAllString(s, " ")))
	t = foldReplacer.Replace(t)
	t = strings.Join(strings.Fields(t), " ")
	if len(t) > limit {
		t = t[:limit]
	}
	return t
}

var foldReplacer = strings.NewReplacer(`\n`, " ", "’", "'", "‘", "'", "`", "'", "–", "-", "—", "-", "‑", "-",
	"s' ", "s ", "\u00a0", " ", "café", "cafe")

// wordChar reports whether b continues a word: a phrase must not start or
// end inside one ("trans" is not in "transport", nor "ex" in "ex-service").
func wordChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '\'' || b == '+' || b >= 0x80
}

// phraseSet finds whole-word phrases in folded text and tells which key
// (circumstance code, gender, age word) each belongs to. It looks phrases
// up by their first word: a few hundred phrases over every service's
// text at import, where one regular expression of alternatives is slow.
type phraseSet struct {
	byFirst map[string][]setPhrase
}

type setPhrase struct {
	key, text string
	words     []string
}

func newPhraseSet(byKey map[string][]string) *phraseSet {
	ps := &phraseSet{byFirst: map[string][]setPhrase{}}
	for k, list := range byKey {
		for _, p := range list {
			p = foldText(p, 200)
			var words []string
			for _, w := range wordsOf(p) {
				words = append(words, p[w[0]:w[1]])
			}
			if len(words) > 0 {
				ps.byFirst[words[0]] = append(ps.byFirst[words[0]], setPhrase{k, p, words})
			}
		}
	}
	// Longest first, so "young carers" is found before "carers".
	for _, l := range ps.byFirst {
		sort.Slice(l, func(i, j int) bool {
			return len(l[i].words) > len(l[j].words) || len(l[i].words) == len(l[j].words) && l[i].text < l[j].text
		})
	}
	return ps
}

// wordsOf returns where each word of folded text starts and ends.
func wordsOf(t string) [][2]int {
	var out [][2]int
	for i := 0; i < len(t); {
		if !wordChar(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && wordChar(t[j]) {
			j++
		}
		a, b := i, j
		for a < b && t[a] == '\'' {
			a++ // a quoted word: 'dementia'
		}
		for b > a && t[b-1] == '\'' {
			b--
		}
		if a < b {
			out = append(out, [2]int{a, b})
		}
		i = j
	}
	return out
}

// found is a phrase found in text, with where it starts and ends.
type found struct {
	key, text  string
	start, end int
}

// find returns the phrases in t, longest first where they overlap. A
// possessive counts as its word ("children's" as "children") when the set
// has no phrase for it as written.
func (ps *phraseSet) find(t string) []found {
	ws := wordsOf(t)
	word := func(k int) (string, int) {
		w := t[ws[k][0]:ws[k][1]]
		return w, ws[k][1]
	}
	var out []found
	for k := 0; k < len(ws); k++ {
		w, _ := word(k)
		cands := ps.byFirst[w]
		if len(cands) == 0 && strings.HasSuffix(w, "'s") {
			cands = ps.byFirst[strings.TrimSuffix(w, "'s")]
		}
		for _, p := range cands {
			if end, ok := ps.matchAt(t, ws, k, p); ok {
				out = append(out, found{key: p.key, text: p.text, start: ws[k][0], end: end})
				k += len(p.words) - 1
				break
			}
		}
	}
	return out
}

// matchAt reports whether phrase p stands at word k, and where it ends.
func (ps *phraseSet) matchAt(t string, ws [][2]int, k int, p setPhrase) (int, bool) {
	if k+len(p.words) > len(ws) {
		return 0, false
	}
	end := 0
	for i, pw := range p.words {
		w := t[ws[k+i][0]:ws[k+i][1]]
		end = ws[k+i][1]
		if w != pw {
			if i != len(p.words)-1 || strings.TrimSuffix(w, "'s") != pw {
				return 0, false
			}
			end -= 2 // the possessive's "'s" is not part of the phrase
		}
	}
	return end, true
}

var (
	groupPhrases  = sync.OnceValue(func() *phraseSet { return newPhraseSet(circumstancePhrases) })
	personGroups  = sync.OnceValue(func() *phraseSet { return newPhraseSet(mergePhrases(circumstancePhrases, personPhrases)) })
	genderPhrases = sync.OnceValue(func() *phraseSet { return newPhraseSet(genderWords) })
	agePhrases    = sync.OnceValue(func() *phraseSet { return newPhraseSet(ageWordList()) })
)

func mergePhrases(a, b map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range a {
		out[k] = append(out[k], v...)
	}
	for k, v := range b {
		out[k] = append(out[k], v...)
	}
	return out
}

// genderWords say a service is for one sex. "mums" and "dads" are parents
// of that sex.
var genderWords = map[string][]string{
	GenderWomen: {"women", "women's", "womens", "woman", "ladies", "ladies'", "female", "females", "girls", "girls'",
		"mums", "mothers", "mums'", "sisterhood", "women-only", "women's institute"},
	GenderMen: {"men", "men's", "mens", "gentlemen", "gents", "male", "males", "boys", "boys'", "dads", "fathers",
		"dads'", "men-only", "men's shed", "mens shed", "brotherhood"},
}

// ageWord is an audience named by words, as an age range; max -1 is no
// upper bound.
type ageWord struct {
	phrases  []string
	min, max int
}

var ageWords = map[string]ageWord{
	"children": {[]string{"children", "child", "kids", "primary school", "preadolescent", "elementary school",
		"school age children"}, 0, 12},
	"under-fives": {[]string{"babies", "baby", "toddlers", "toddler", "infants", "newborns", "preschool",
		"pre-school", "under fives", "tots"}, 0, 4},
	"young-people": {[]string{"young people", "young person", "youth", "teenagers", "teenager", "teens", "teen",
		"adolescents", "adolescent", "high school", "middle school", "secondary school", "young people's"}, 11, 25},
	"young-adults": {[]string{"young adults", "young adult"}, 16, 25},
	"adults":       {[]string{"adults", "adult"}, 18, -1},
	// Parents, or women with their children, come along: "parents and
	// toddlers" or "women and children" is open to all ages.
	"parents": {[]string{"parents", "parent", "mums", "mum", "dads", "dad", "mothers", "fathers", "grandparents",
		"grandparent", "women and children", "mothers and children", "women with children", "mothers with children",
		"families with children", "children and families", "children and their families", "children and adults",
		"adults and children", "children and parents", "children and family", "young people and families",
		"and their families", "kids and parents", "all ages", "whole family"}, 0, -1},
	"older": {[]string{"older people", "older people's", "older adults", "older adult", "older persons",
		"seniors", "senior citizens", "senior citizen", "senior centers", "senior center", "senior centre",
		"elderly", "frail elderly", "pensioners", "retired people", "retirees", "later life", "over fifties",
		"over sixties"}, 50, -1},
}

func ageWordList() map[string][]string {
	out := map[string][]string{}
	for k, w := range ageWords {
		out[k] = w.phrases
	}
	return out
}
