package matcher

import (
	"strings"
)

// goalReading is what a person's goals and interests ask for once read in
// context, the way a link worker would hear them:
//
//   - idioms are read as phrases before any word is dropped: "get out of
//     the house" is about going out (not housing), "others my age" says
//     nothing about a service, "son-in-law" is not the law;
//   - what the person rules out ("not a group where we talk about
//     feelings", "nothing online") is taken out of the search and kept
//     apart, to demote services about it; the negation reaches to the end
//     of its clause ("but", a comma, "and I"…);
//   - conversational words that say nothing about a service ("want",
//     "get", "people", "help", "meet"…) are dropped and broad ones
//     ("group", "activities") count little;
//   - adjacent content words are kept as phrases, to count more than the
//     same words scattered;
//   - synonyms that carry meaning (singing → choir) are added, each
//     remembering the word it came from, to count less than the person's
//     own words.
type goalReading struct {
	strong   []string    // content words, as said (lower case)
	weak     []string    // broad words that say little alone
	phrases  []string    // adjacent content words, as said
	expanded []expansion // synonyms and idiom meanings, never said
	// excluded are the words ruled out, with their synonyms, for demoting.
	excluded []string
	// ruledOut quotes each rule-out as said ("nothing online").
	ruledOut []string
	// noRemote is set when the person ruled out online or telephone
	// services.
	noRemote   bool
	remoteSaid string
	// segments are the stretches of the person's words left after idioms
	// and rule-outs, for finding needs; idiomNeeds are needs idioms name.
	segments   []string
	idiomNeeds []string
}

// expansion is a word or phrase the person did not say, searched for the
// one they did.
type expansion struct {
	text  string // the synonym, or the idiom's meaning
	from  string // the person's word or idiom it stands for
	idiom bool
}

// Bounds on what one reading keeps, so that a long goal cannot make a
// query of hundreds of clauses.
const (
	maxGoalWords     = 200
	maxQueryWords    = 24
	maxPhrases       = 6
	maxExpansions    = 12
	maxExcludedWords = 32
)

// readGoals reads each goal and interest on its own: a negation in one
// never reaches into the next.
func readGoals(texts []string) *goalReading {
	g := &goalReading{}
	for _, t := range texts {
		g.read(t)
	}
	g.expand()
	return g
}

// item is one word of the person's text, or a break (punctuation, or a
// stretch taken out) that ends clauses and phrases.
type item struct {
	word  string
	brk   bool
	taken bool // consumed by an idiom or a rule-out
}

// typography turns curly quotes into straight ones and dashes between
// clauses into commas.
var typography = strings.NewReplacer("’", "'", "‘", "'", "‐", "-", "–", ",", "—", ",")

// splitWords lowers the text and cuts it into words and breaks. Hyphens
// and apostrophes stay inside words ("son-in-law", "don't").
func splitWords(text string) []item {
	text = typography.Replace(strings.ToLower(text))
	var out []item
	var b strings.Builder
	flush := func() {
		if w := strings.Trim(b.String(), "'-"); w != "" && len(out) < maxGoalWords {
			out = append(out, item{word: w})
		}
		b.Reset()
	}
	for _, r := range text {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'' || r == '-' || r > 0x7f && isLetter(r):
			b.WriteRune(r)
		case r == ' ' || r == '\t' || r == '"':
			flush()
		default:
			flush()
			if len(out) > 0 && !out[len(out)-1].brk {
				out = append(out, item{brk: true})
			}
		}
	}
	flush()
	return out
}

func isLetter(r rune) bool {
	return strings.ContainsRune("éèêëáàâäíìîïóòôöúùûüçñ", r)
}

func (g *goalReading) read(text string) {
	items := splitWords(text)
	g.applyIdioms(items)
	g.applyRuleOuts(items)
	g.collect(items)
}

// collect gathers the content words, phrases and need segments from what
// idioms and rule-outs left.
func (g *goalReading) collect(items []item) {
	var seg []string
	prevContent := ""
	endSegment := func() {
		if len(seg) > 0 {
			g.segments = append(g.segments, strings.Join(seg, " "))
		}
		seg = nil
		prevContent = ""
	}
	for _, it := range items {
		if it.brk || it.taken {
			endSegment()
			continue
		}
		seg = append(seg, it.word)
		switch kind := wordKind(it.word); kind {
		case wordFiller:
			prevContent = ""
		case wordStop:
			// English stop words are dropped by analysis; they neither
			// count nor break a phrase ("cup of tea" stays one), except
			// the words that join two things said.
			if phraseBreakers[it.word] {
				prevContent = ""
			}
		default:
			if kind == wordWeak {
				g.weak = appendNew(g.weak, it.word, maxQueryWords)
			} else {
				g.strong = appendNew(g.strong, it.word, maxQueryWords)
			}
			if prevContent != "" {
				g.phrases = appendNew(g.phrases, prevContent+" "+it.word, maxPhrases)
			}
			prevContent = it.word
		}
	}
	endSegment()
}

func appendNew(list []string, s string, max int) []string {
	if len(list) >= max || contains(list, s) {
		return list
	}
	return append(list, s)
}

// wordKinds: how much a word of conversation says about a service.
const (
	wordContent = iota
	wordWeak
	wordFiller
	wordStop
)

func wordKind(w string) int {
	switch {
	case conversationalWords[w]:
		return wordFiller
	case weakWords[w]:
		return wordWeak
	case len(cachedStems(w)) == 0:
		return wordStop
	}
	return wordContent
}

// conversationalWords say nothing about which service fits, however often
// people use them to describe what they want. "meet" would match "meeting
// room hire"; "age" any "Age UK" or "aged 6 to 16"; "help" and "support"
// every service there is.
var conversationalWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range fillerWords {
		m[w] = true
	}
	for _, w := range strings.Fields(`age ages aged old years year year-old years-old people peoples person persons
		someone somebody anyone anybody others other everyone everybody folk folks
		get gets got getting go goes went going gone new local nearby near around area
		help helps helped helping support supports supported supporting meet meets meeting meetings met
		find finding looking look start starting started join joining enjoy enjoys enjoyed enjoying
		used use using since anymore any anything something somewhere stuff nice lovely happy
		i'd i'm i've i'll im id ive don't dont do does doing did can't cant cannot wouldn't
		able unable keen fancy hate hates without avoid avoiding interested into who which where there here`) {
		m[w] = true
	}
	return m
}()

// phraseBreakers join two things said: "coffee morning or knitting" has
// no phrase "morning knitting".
var phraseBreakers = map[string]bool{"and": true, "or": true, "but": true, "nor": true, "then": true, "than": true}

// weakWords name a kind of service without saying what it is about: they
// count for little on their own.
var weakWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`group groups club clubs activity activities class classes session sessions
		service services centre centres center centers programme programmes program programs course courses
		organisation organisations organization organizations place places`) {
		m[w] = true
	}
	return m
}()
