package matcher

import (
	"fmt"
	"regexp"
	"strings"
)

// proseAgeTolerance is how far outside an age range read from prose a
// person may be and still be shown it: "young people 11–25" or "over
// 60s" are rarely enforced to the year. A structured range is exact.
const proseAgeTolerance = 2

// maxGoalAudienceText bounds how much of each goal or interest is read for
// circumstances.
const maxGoalAudienceText = 1000

// person is the person's side of audience matching: their age and gender
// as given, and the closed groups they are shown to be in.
type person struct {
	age    *int
	gender string
	// groups maps each circumstance code to how it is known: "" when the
	// profile says so, "need:<code>" when a need implies it, else the
	// client's words that say so.
	groups map[string]string
}

// relatives a client may look after.
const relatives = `wife|husband|partner|mum|mother|mam|dad|father|son|daughter|child|children|kids?|friend|neighbour|` +
	`neighbor|brother|sister|gran|grandma|grandmother|grandad|grandfather|nan|nana|parents?|loved one|relative`

// relativeHas ends where a relative's condition is named: "my wife has ",
// "my dad's ", "my mum who was diagnosed with early ". Only words that keep
// the relative the subject may stand between: "my wife, I had a " or "my
// friend and I both have " do not.
var relativeHas = regexp.MustCompile(`\bmy (` + relatives + `)(?:'s)? (?:(?:who|has|had|have|is|was|got|with|living|lives|` +
	`diagnosed|been|suffers|suffering|from|developed|getting|early|onset|advanced|vascular|severe|terminal|a|an|recently|just|now|also) ){0,6}$`)

// relativeUsing names a relative as the one drinking or using: "my son's
// drinking", "my husband is an alcoholic", "my daughter is using".
var relativeUsing = regexp.MustCompile(`\bmy (?:` + relatives + `)(?:'s)? (?:(?:is|has|was|an?|been|keeps|started|still) ){0,3}` +
	`(?:drink|drinks|drinking|drunk|alcohol|alcoholic|drugs?|using|uses|addict|addicted|addiction)\b`)

// relativeUses reports whether the client's words name a relative as the
// one drinking or using.
func relativeUses(p *Profile) bool {
	for _, g := range append(append([]string{}, p.Goals...), p.Interests...) {
		if relativeUsing.MatchString(untakenText(g)) {
			return true
		}
	}
	return false
}

// notTheirs ends where a carer word is about someone else, or the past:
// "my carer says", "I used to be a carer", "was a carer". "I'm his carer"
// is the client caring.
var notTheirs = regexp.MustCompile(`\b(?:my|our|your|used to be an?|used to be|was an?|former|ex) $`)

// notGroup ends where a group word is part of a name: "the Salvation Army".
var notGroup = regexp.MustCompile(`\bsalvation $`)

// personOf works out the person's side from a profile: their
// circumstances, the groups their goals and interests name, and those
// their needs imply.
func personOf(p *Profile) person {
	pa := person{age: p.Age, gender: p.Gender, groups: map[string]string{}}
	for _, c := range p.Circumstances {
		pa.groups[c] = ""
	}
	for _, n := range p.Needs {
		if n == "alcohol-and-drugs" && relativeUses(p) {
			continue // a worried relative, not someone in recovery
		}
		for _, c := range needCircumstances[n] {
			if _, ok := pa.groups[c]; !ok {
				pa.groups[c] = "need:" + n
			}
		}
	}
	for _, g := range append(append([]string{}, p.Goals...), p.Interests...) {
		pa.readGoal(g)
	}
	// A young carer is a carer; a carer under 26 is a young carer.
	if src, ok := pa.groups["young-carer"]; ok {
		if _, carer := pa.groups["carer"]; !carer {
			pa.groups["carer"] = src
		}
	}
	if _, carer := pa.groups["carer"]; carer && p.Age != nil && *p.Age < 26 {
		if _, ok := pa.groups["young-carer"]; !ok {
			pa.groups["young-carer"] = pa.groups["carer"]
		}
	}
	return pa
}

// readGoal adds the groups one goal names, read from the words the client
// did not rule out ("not a dementia group"). A condition a relative has
// ("my wife has dementia") makes the client a carer as well as welcome
// where people with it are; a carer or past role someone else has or had
// ("my carer says", "I used to be a carer") says nothing of the client.
func (pa *person) readGoal(goal string) {
	t := untakenText(goal)
	for _, f := range personGroups().find(t) {
		before := t[:f.start]
		if notGroup.MatchString(before) || carerKey(f.key) && notTheirs.MatchString(before) {
			continue
		}
		pa.add(f.key, f.text)
		if m := relativeHas.FindStringSubmatch(before); m != nil && !peopleNoun(f) {
			pa.add("carer", "my "+m[1])
		}
	}
}

func (pa *person) add(group, src string) {
	if _, ok := pa.groups[group]; !ok {
		pa.groups[group] = src
	}
}

func carerKey(k string) bool { return k == "carer" || k == "young-carer" || k == "foster-carer" }

// untakenText is a goal's words that no rule-out took, folded, with a
// comma wherever words were taken or punctuation broke the text.
func untakenText(goal string) string {
	if len(goal) > 4*maxGoalAudienceText {
		goal = goal[:4*maxGoalAudienceText] // splitWords cuts any broken rune
	}
	items := splitWords(goal)
	(&goalReading{}).applyRuleOuts(items)
	var b strings.Builder
	gap := false
	for _, it := range items {
		if it.brk || it.taken {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteString(",")
		}
		gap = false
		b.WriteString(" " + it.word)
	}
	return foldText(b.String(), maxGoalAudienceText)
}

// relativeOf is how a carer group known from a relative reads: "my wife"
// becomes "their wife".
func relativeOf(src string) string { return "their " + strings.TrimPrefix(src, "my ") }

// saidCaring reports whether the client's words for being a carer were
// about looking after someone.
func saidCaring(src string) bool {
	for _, p := range personPhrases["carer"] {
		if src == p {
			return true
		}
	}
	return false
}

// excluded reports whether the person is clearly outside the service's
// audience: a known age outside its range, the other single sex, or none
// of its closed groups when the evidence for them is strong (a soft
// audience demotes instead, see demoted). Unknown age or gender is never outside; a
// non-binary person is not kept from single-sex services (whether they
// are welcome is the service's to say).
func (pa *person) excluded(e *entry) bool {
	a := &e.aud
	if pa.age != nil {
		tol := 0
		if e.proseAge {
			tol = proseAgeTolerance
		}
		if a.MinimumAge != nil && *pa.age < *a.MinimumAge-tol || a.MaximumAge != nil && *pa.age > *a.MaximumAge+tol {
			return true
		}
	}
	if a.Gender == GenderWomen && pa.gender == PersonMan || a.Gender == GenderMen && pa.gender == PersonWoman {
		return true
	}
	return !a.Soft && pa.outsideGroups(a)
}

// outsideGroups reports whether the service names closed groups and the
// person is in none of them.
func (pa *person) outsideGroups(a *Audience) bool {
	if len(a.Groups) == 0 {
		return false
	}
	for _, g := range a.Groups {
		if _, ok := pa.groups[g]; ok {
			return false
		}
	}
	return true
}

// demoted reports whether the service's groups rest on weak evidence and
// the person is in none of them: it stays suggestible, at
// softAudienceFactor of its score (see weights.go).
func (pa *person) demoted(e *entry) bool {
	return e.aud.Soft && pa.outsideGroups(&e.aud)
}

// signal is how squarely the service is aimed at the person, 0..1 (see
// weights.go): 1 inside a closed group, 1 - span/100 for an age range
// that includes their age, 0.5 for a single-sex service of their sex.
func (pa *person) signal(e *entry) float64 {
	a := &e.aud
	s := 0.0
	for _, g := range a.Groups {
		if _, ok := pa.groups[g]; ok {
			return 1
		}
	}
	if lo, hi, ok := pa.ageInside(a); ok {
		s = max(s, 1-float64(hi-lo)/100)
	}
	if pa.sameSex(a) {
		s = max(s, 0.5)
	}
	return s
}

// ageInside reports whether the person's known age is inside the
// service's age range, and the range (100 standing for no upper bound).
func (pa *person) ageInside(a *Audience) (lo, hi int, ok bool) {
	if pa.age == nil || a.MinimumAge == nil && a.MaximumAge == nil {
		return 0, 0, false
	}
	lo, hi = 0, 100
	if a.MinimumAge != nil {
		lo = *a.MinimumAge
	}
	if a.MaximumAge != nil {
		hi = min(*a.MaximumAge, 100)
	}
	return max(0, lo), max(lo, hi), *pa.age >= lo && *pa.age <= hi
}

func (pa *person) sameSex(a *Audience) bool {
	return a.Gender == GenderWomen && pa.gender == PersonWoman || a.Gender == GenderMen && pa.gender == PersonMan
}

// upperBound is the most the audience signal can give this person, for
// the ranking's early stop.
func (pa *person) upperBound() float64 {
	switch {
	case pa.age != nil || len(pa.groups) > 0:
		return 1
	case pa.gender == PersonWoman || pa.gender == PersonMan:
		return 0.5
	}
	return 0
}

// AudienceFit is what of a service's audience the ranking used for a
// match: the closed groups the person is in, the age range that targets
// them, the single sex that is theirs, and the service's words that say so.
type AudienceFit struct {
	Groups                 []string
	MinimumAge, MaximumAge *int
	Gender                 string
	Evidence               []string
}

// fit describes what of the service's audience fits the person, or nil.
func (pa *person) fit(e *entry) *AudienceFit {
	a := &e.aud
	f := &AudienceFit{Evidence: a.Evidence}
	for _, g := range a.Groups {
		if _, ok := pa.groups[g]; ok {
			f.Groups = append(f.Groups, g)
		}
	}
	if _, _, ok := pa.ageInside(a); ok {
		f.MinimumAge, f.MaximumAge = a.MinimumAge, a.MaximumAge
	}
	if pa.sameSex(a) {
		f.Gender = a.Gender
	}
	if len(f.Groups) == 0 && f.MinimumAge == nil && f.MaximumAge == nil && f.Gender == "" {
		return nil
	}
	return f
}

// reasons says, for a link worker, whom the service is for and why the
// person is in it.
func (pa *person) reasons(f *AudienceFit) []Reason {
	if f == nil {
		return nil
	}
	var out []Reason
	for _, g := range f.Groups {
		out = append(out, Reason{Kind: ReasonAudience, Text: "For " + circumstanceFor[g] + " — " + pa.howKnown(g) + "."})
	}
	if f.MinimumAge != nil || f.MaximumAge != nil {
		out = append(out, Reason{Kind: ReasonAudience, Text: "For people " + ageInWords(f.MinimumAge, f.MaximumAge) +
			fmt.Sprintf(" — the client is %d.", *pa.age)})
	}
	if f.Gender != "" {
		out = append(out, Reason{Kind: ReasonAudience, Text: "For " + f.Gender + "."})
	}
	return out
}

// howKnown says how the person is known to be in a group.
func (pa *person) howKnown(g string) string {
	src := pa.groups[g]
	switch {
	case src == "":
		return "the client said they are " + circumstanceSaid[g]
	case strings.HasPrefix(src, "need:"):
		return "the client asked for help with " + needPhrases[strings.TrimPrefix(src, "need:")]
	case strings.HasPrefix(src, "my "):
		return "the client's words suggest they care for " + relativeOf(src)
	case saidCaring(src):
		return "the client's words suggest they look after someone"
	}
	return "the client's words suggest so (“" + src + "”)"
}

// ageInWords puts an age range in words: "aged 60+", "aged 16–25", "under 18".
func ageInWords(lo, hi *int) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("aged %d–%d", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf("aged %d+", *lo)
	}
	return fmt.Sprintf("under %d", *hi+1)
}

// circumstanceSaid completes "the client said they are …".
var circumstanceSaid = func() map[string]string {
	m := map[string]string{}
	for _, c := range circumstances {
		m[c.code] = c.label
	}
	for code, s := range map[string]string{"dementia": "living with dementia or memory loss",
		"stroke": "a stroke survivor", "cancer": "living with or after cancer", "lung-condition": "living with a lung condition",
		"heart-condition": "living with a heart condition", "diabetes": "living with diabetes",
		"parkinsons": "living with Parkinson's", "multiple-sclerosis": "living with multiple sclerosis",
		"sight-loss": "living with sight loss", "hearing-loss": "deaf or have hearing loss",
		"learning-disability": "someone with a learning disability", "physical-disability": "someone with a physical disability",
		"brain-injury": "living with a brain injury", "lgbtq": "LGBTQ+", "bereaved-by-suicide": "bereaved by suicide",
		"ex-offender": "someone who has left prison or is on probation"} {
		m[code] = s
	}
	return m
}()
