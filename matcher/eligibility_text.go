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

// foldText lower-cases text, strips HTML tags and entities and the
// literal "\n" of some feeds, and folds typographic variants (’ to ', –
// to -) so the patterns can be written once.
func foldText(s string, limit int) string {
	if len(s) > 4*limit {
		s = s[:4*limit]
	}
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	t := strings.ToLower(html.UnescapeString(b.String()))
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
// end inside one ("trans" is not in "transport").
func wordChar(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' }

// phraseSet finds whole-word phrases in folded text and tells which key
// (circumstance code, gender, age word) each belongs to.
type phraseSet struct {
	re  *regexp.Regexp
	key map[string]string
}

func newPhraseSet(byKey map[string][]string) *phraseSet {
	ps := &phraseSet{key: map[string]string{}}
	var alts []string
	for k, list := range byKey {
		for _, p := range list {
			p = foldText(p, 200)
			ps.key[p] = k
			alts = append(alts, regexp.QuoteMeta(p))
		}
	}
	// Longest first, so "young carers" is found before "carers".
	sort.Slice(alts, func(i, j int) bool {
		return len(alts[i]) > len(alts[j]) || len(alts[i]) == len(alts[j]) && alts[i] < alts[j]
	})
	ps.re = regexp.MustCompile(`(?:` + strings.Join(alts, "|") + `)`)
	return ps
}

// found is a phrase found in text, with where it starts and ends.
type found struct {
	key, text  string
	start, end int
}

func (ps *phraseSet) find(t string) []found {
	var out []found
	for _, m := range ps.re.FindAllStringIndex(t, -1) {
		if m[0] > 0 && wordChar(t[m[0]-1]) || m[1] < len(t) && wordChar(t[m[1]]) {
			continue
		}
		p := t[m[0]:m[1]]
		out = append(out, found{key: ps.key[p], text: p, start: m[0], end: m[1]})
	}
	return out
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
