package matcher

import (
	"regexp"
	"strings"
)

// saysFor reports whether a description says whom the service is for at
// the phrase found: an audience cue before it ("for", "open to", "aimed
// at", "supporting", "people living with", "affected by"…) with only
// filler words between and no comma, or "only" or "support group" after
// it; and no "also" before it in the clause ("Also, assists with those who
// have autism", "also provide respite for family caregivers"). "Advice on benefits, housing, cancer and more" names cancer without
// saying the service is for people with it.
func saysFor(t string, f found) bool {
	if after := t[f.end:]; audienceAfter.MatchString(after) {
		return true
	}
	before := clauseBefore(t, f.start, 60)
	if also.MatchString(before) {
		return false // "Also, assists with those who have autism" is a side line
	}
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
			return person && !orgNouns[prev]
		}
		if !audienceFillers[w] {
			return false
		}
		person = person || peopleWords[w]
	}
	return false
}

var also = regexp.MustCompile(`\balso\b`)

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
var carersToo = regexp.MustCompile(`\b(?:and|&) (?:their |for )?(?:families(?: and|,)? |family(?: and|,)? )?(?:carers|caregivers)\b|\band (?:for )?(?:anyone|those|people) who (?:supports?|cares? for|looks? after) them\b`)

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

// groupTaken says whether a closed group found in one part of a service
// counts, and whether it is strong evidence (keeps others out) or soft (a
// strong positive for people in it, a demotion for others):
//   - in the name it is strong, unless it names a place ("Veterans
//     Park"), a group's relatives ("Parents, Families and Friends of
//     Lesbians"), "veterans of the game" or "dementia friendly";
//   - in the eligibility text it is strong;
//   - in the description only the first sentence is read, where it must
//     say whom the service is for and not as one item of a list of others
//     ("people living with dementia, older age or frailty"); it is strong
//     only when it says the service is only or specifically for them
//     ("support group for people living with dementia").
func (dv *deriver) groupTaken(t string, f found) (strong, ok bool) {
	if f.key == "carer" && withParents(t, f) {
		return false, false // "parents and carers" of children are not carers
	}
	if notAudienceAfter.MatchString(t[f.end:]) || f.key == "veteran" && strings.HasPrefix(t[f.end:], " of ") {
		return false, false // "Veterans Park", "veterans of the game"
	}
	family := familyOfBefore.MatchString(clauseBefore(t, f.start, 60))
	switch dv.source {
	case fromName:
		dv.pinned[f.key] = dv.pinned[f.key] || !family
		return true, !family
	case fromEligibility:
		dv.eligSaid = dv.eligSaid || !family
		dv.pinned[f.key] = dv.pinned[f.key] || !family
		return true, !family
	}
	if f.start >= dv.firstEnd {
		return false, false
	}
	says := saysFor(t, f)
	if family || says && listedWithOthers(t, f) {
		// For the group's family, or the group among others: audience
		// terms naming only the group are not the whole audience.
		dv.broader = true
		return false, false
	}
	if !says {
		return false, false
	}
	return strongCue(t, f), true
}

// notAudienceAfter: the group word names a place, the group's relatives,
// a sport's old hands or a welcome, not whom the service is for.
var notAudienceAfter = regexp.MustCompile(`^(?:'s)? (?:park|parks|road|hall|memorial|way|house|street|avenue|lane|drive|field|fields|stadium|families|family|friendly)\b|^-friendly\b`)

// familyOfBefore: "families of veterans", "children of inmates", "friends
// of lesbians and gays", "families with young children, in which a parent
// has been diagnosed with cancer", "supporting families living with
// dementia": the service is for the family, not only the group.
var familyOfBefore = regexp.MustCompile(`\b(?:famil(?:y|ies)|friends|relatives|loved ones)\b|\b(?:children|parents|spouses|partners|sons|daughters|dependents|dependants|carers|caregivers|carer|caregiver) of\b|\bfriendships? with\b`)

// familyOf is an audience term for a group's relatives: "Families of
// Veterans", "Children of Inmates", "Parents of Autistic Children".
var familyOf = regexp.MustCompile(`^(?:famil(?:y|ies)|family members|friends|children|parents|spouses|relatives|significant others|caregivers|loved ones)\b.*\bof\b`)

// listSep joins the items of a list: "dementia, older age or frailty",
// "cancer and their families".
var listSep = regexp.MustCompile(`^(?:'s)?\s*(?:,\s*(?:and |or |&\s*)?|\s(?:and/or|and|or|&|plus)\s+|\s*/\s*)(?:(?:their|the|other|any|for|also)\s+)*`)

// listedWithOthers reports whether a group found is one item of a list
// that also names people outside the closed groups, before or after it:
// "people with cancer, heart disease, diabetes or any long-term
// condition", "Staying Healthy, Depression, Journey to Wellness &
// Veterans support groups". A list of groups only ("dementia and their
// carers") is not.
func listedWithOthers(t string, f found) bool {
	pos := f.end
	for range 12 {
		m := listSep.FindStringIndex(t[pos:])
		if m == nil || m[1] == 0 {
			break
		}
		next := pos + m[1]
		g := groupPhrases().find(t[next:min(len(t), next+60)])
		if len(g) == 0 || g[0].start != 0 {
			return true
		}
		pos = next + g[0].end
	}
	return listedBefore(t, f.start)
}

var sepBefore = regexp.MustCompile(`(?:,|&|\band|\bor|/)\s*$`)

// listedBefore: the word before a group, past filler words, joins it to
// an item that is not a closed group ("support groups for cancer
// patients, cancer survivors, and those who are caregivers").
func listedBefore(t string, start int) bool {
	before := t[:start]
	for range 7 {
		if m := sepBefore.FindStringIndex(before); m != nil {
			prev := strings.TrimRight(before[:m[0]], " ")
			prev = prev[max(0, len(prev)-60):]
			g := groupPhrases().find(prev)
			return prev != "" && (len(g) == 0 || g[len(g)-1].end != len(prev))
		}
		t := strings.TrimRight(before, " ")
		k := strings.LastIndexByte(t, ' ')
		if k < 0 || !audienceFillers[t[k+1:]] {
			return false
		}
		before = t[:k+1]
	}
	return false
}

// strongCue: the description says the service is only or specifically for
// the group ("…only", "support group for people living with dementia",
// "specifically for LGBTQIA+ teens", "group for adults with learning
// disabilities", "seated exercise class for stroke survivors").
func strongCue(t string, f found) bool {
	if audienceAfter.MatchString(t[f.end:]) {
		return true
	}
	return strongBefore.MatchString(clauseBefore(t, f.start, 80))
}

var strongBefore = regexp.MustCompile(`\b(?:only|specifically|exclusively|solely|dedicated|support groups?|peer support|groups?|club|class|classes|cafe|forum|network)\b`)

// firstSentence is the description's first sentence: up to the first full
// stop, paragraph, line break or list. A description says up front whom a
// service is for; further down a group is usually one strand of many
// ("…* Alzheimer's Respite").
func firstSentence(s string) string {
	if m := sentenceEnd.FindStringIndex(s); m != nil {
		return s[:m[0]]
	}
	return s
}

var sentenceEnd = regexp.MustCompile(`(?i)</p>|<br\s*/?>|</li>|</h[1-6]>|</div>|\n|\\n|[.!?:;](?:\s|$)`)

// Words that open a service beyond the groups it names: "not just for
// disabled people", "fun for all regardless of age or ability", "open to
// everyone". Words that soften it: "inclusive", "alongside their sighted
// peers", "priority given to pregnant clients", a
// service addressed to employers or professionals ("assistance to injured
// workers, employers, medical and rehabilitation providers").
var (
	openWords   = regexp.MustCompile(`\bnot (?:just|only|exclusively) (?:for|open to)\b|\bopen to (?:all|everyone|anyone|everybody)(?: ages)?(?:[.,!;]|$| and| regardless| in)|\b(?:everyone|everybody|all) (?:is |are )?welcome\b|\bregardless of\b|\bfun for all\b`)
	familyWords = regexp.MustCompile(`\band (?:their |for )?(?:immediate )?famil(?:y|ies)\b|\band (?:their )?(?:immediate )?family members\b|\b(?:friends and family|family and friends)\b`)
	softWords   = regexp.MustCompile(`\b(?:inclusive|inclusion|alongside|along side|priority|preference)\b|-friendly\b|\b(?:send|dementia|autism|disability|disabled|sensory) friendly\b|\b(?:employers|businesses|professionals|providers|practitioners)\b`)
)

// settle applies what the service's words as a whole say about its
// groups: "…and their carers" or "…and anyone who supports them" add
// carers; words that open the service clear the groups read from its
// name, description and terms; words that soften it make the groups read
// from its description and terms soft (the group heading the name stays
// strong: "Unity Fitness: Teen LGBTQIA+ Sessions are inclusive…"), and
// "…and their families" makes every group soft ("Autism Speaks: …people
// with autism and their families"). The eligibility text is taken as
// written.
func (dv *deriver) settle(all, named string) {
	if len(dv.groups) == 0 {
		return
	}
	if carersToo.MatchString(all) {
		strong := false
		for _, s := range dv.groups {
			strong = strong || s
		}
		dv.addGroup("carer", "and their carers", strong)
	}
	switch {
	case dv.eligSaid:
	case openWords.MatchString(named):
		clear(dv.groups)
	case familyWords.MatchString(named):
		for g := range dv.groups {
			dv.groups[g] = false
		}
	case softWords.MatchString(named):
		for g := range dv.groups {
			dv.groups[g] = dv.groups[g] && dv.pinned[g]
		}
	}
}
