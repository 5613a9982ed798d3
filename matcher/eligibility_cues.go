package matcher

import (
	"regexp"
	"strings"
)

// saysFor reports whether a description says whom the service is for at
// the phrase found: an audience cue before it ("for", "open to", "aimed
// at", "supporting", "people living with", "affected by"…) with only
// filler words between and no comma, or "only" or "support group" after
// it. "Advice on benefits, housing, cancer and more" names cancer without
// saying the service is for people with it.
func saysFor(t string, f found) bool {
	if after := t[f.end:]; audienceAfter.MatchString(after) {
		return true
	}
	before := clauseBefore(t, f.start, 60)
	if k := strings.LastIndexByte(before, ','); k >= 0 {
		before = before[k+1:]
	}
	words := strings.Fields(before)
	person := peopleNoun(f)
	for i := len(words) - 1; i >= 0 && i >= len(words)-6; i-- {
		w := strings.Trim(words[i], "'\"")
		prev := ""
		if i > 0 {
			prev = strings.Trim(words[i-1], "'\"")
		}
		if audiencePairs[prev+" "+w] {
			return true
		}
		if audienceCues[w] {
			// "treatments for stroke" is not "for people who have had a
			// stroke"; "Center for Women" is a name; "also provide
			// respite for family caregivers" is a side line.
			return person && !orgNouns[prev] && !contains(words[:i], "also")
		}
		if !audienceFillers[w] {
			return false
		}
		person = person || peopleWords[w]
	}
	return false
}

// peopleNoun: the phrase names people ("carers", "veterans", "deaf"), not
// a condition ("dementia") that needs "people with" to be an audience.
func peopleNoun(f found) bool {
	if _, ok := ageWords[f.key]; ok {
		return true // "children", "older people"
	}
	switch f.key {
	case "carer", "young-carer", "foster-carer", "veteran", "refugee-or-asylum-seeker", "lgbtq", "care-leaver",
		"ex-offender", GenderWomen, GenderMen:
		return true
	}
	return peopleWords[f.text] || strings.HasSuffix(f.text, "survivors") || strings.HasSuffix(f.text, "users")
}

// peopleWords are fillers that name people; conditions and age words that
// name people by themselves are here too.
var peopleWords = wordSet(`people adults anyone those individuals persons person children patients women men
	residents someone everyone girls boys blind deaf autistic diabetics pregnant visually partially hard
	expectant new seniors elderly kids youth teenagers teens babies toddlers infants adolescents juniors`)

// orgNouns before "for" make it part of a name ("Center for Women").
var orgNouns = wordSet(`center centre centers centres hospital institute foundation association society council
	network coalition alliance fund trust department office commission federation league`)

var audienceAfter = regexp.MustCompile(`^(?:'s)?(?: |-)(?:only|support groups?|peer support|cafe|forum)\b`)

// carersToo: "…living with dementia and their carers" opens a closed
// group to its carers.
var carersToo = regexp.MustCompile(`\b(?:and|&) (?:their |for )?(?:families(?: and|,)? |family(?: and|,)? )?(?:carers|caregivers)\b`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// audienceCues say whom a service is for by themselves.
var audienceCues = wordSet(`for welcomes welcoming supporting supports serves serving aimed suitable designed
	dedicated exclusively specifically`)

// audiencePairs say it in two words.
var audiencePairs = wordSet(`open to`)

func init() {
	for _, p := range []string{"living with", "diagnosed with", "affected by", "bereaved by", "survivors of",
		"people with", "those with", "anyone with", "adults with", "children with", "someone with", "who have",
		"who are", "who has", "caring for", "open to", "aimed at", "welcome to", "support for", "help for"} {
		audiencePairs[p] = true
	}
}

// audienceFillers may stand between a cue and the phrase: "for older
// people living with", "open to all local".
var audienceFillers = wordSet(`people adults anyone those all local older young younger men women individuals
	residents who are is living with affected by diagnosed have has had a an the their and or newly recently been
	someone family members of friends persons person any other fellow male female single children loved ones
	everyone patients parents experiencing from people's aged adult`)

var (
	parentsBefore = regexp.MustCompile(`\bparents?\s*(?:and|or|/|&|,)\s*$`)
	parentsAfter  = regexp.MustCompile(`^\s*(?:and|or|/|&)\s*parents?\b`)
)

// withParents: "parents and carers", "parent/carer" mean whoever brings
// the child, not unpaid carers.
func withParents(t string, f found) bool {
	return parentsBefore.MatchString(t[max(0, f.start-12):f.start]) || parentsAfter.MatchString(t[f.end:])
}
