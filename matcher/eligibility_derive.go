package matcher

import (
	"regexp"
	"sort"
	"strings"
)

// deriveAudience reads a service's audience from its structured ages,
// name, eligibility text, audience terms and description (see the
// vocabulary's rules in eligibility_vocab.go).
func deriveAudience(d *Document) Audience {
	dv := &deriver{groups: map[string]bool{}}
	name := foldText(d.Name, maxAudienceName)
	elig := foldText(d.Eligibility, maxAudienceEligibility)
	desc := foldText(d.Description, maxAudienceDescription)
	for _, t := range []string{name, elig} {
		dv.read(t, trustFull)
	}
	dv.read(desc, trustPhrased)
	dv.terms(d.Terms)
	if len(dv.groups) > 0 && carersToo.MatchString(name+" "+elig+" "+desc) {
		dv.addGroup("carer", "and their carers")
	}
	a := Audience{Evidence: dv.evidence}
	if d.MinimumAge != nil || d.MaximumAge != nil {
		a.MinimumAge, a.MaximumAge = d.MinimumAge, d.MaximumAge
	} else {
		a.MinimumAge, a.MaximumAge = dv.ageRange()
	}
	a.Gender = dv.gender[trustFull]
	if !dv.named[trustFull] {
		a.Gender = dv.gender[trustPhrased]
	}
	for g := range dv.groups {
		a.Groups = append(a.Groups, g)
	}
	sort.Strings(a.Groups)
	return a
}

// deriver collects what the parts of a service say about its audience.
type deriver struct {
	ages    []ageSpan // in numbers
	words   []ageSpan // in words ("young people")
	parents bool      // parents or families come too
	// named says whether a sex was named in the name and eligibility
	// (trustFull) or the description; gender is the single sex named
	// there, "" when none or both. The name wins: "Home for Women in
	// Distress" that "runs a soup kitchen for men" is for women.
	named    [2]bool
	gender   [2]string
	groups   map[string]bool
	evidence []string
}

const maxEvidence = 8

// note keeps words found as evidence, copied: they are slices of the
// folded text, which the index should not keep alive.
func (dv *deriver) note(text string) {
	if len(dv.evidence) < maxEvidence && !contains(dv.evidence, text) {
		dv.evidence = append(dv.evidence, strings.Clone(text))
	}
}

func (dv *deriver) addGroup(code, text string) {
	dv.groups[code] = true
	dv.note(text)
}

// read takes what one piece of text says, as far as it is trusted.
func (dv *deriver) read(t string, tr trust) {
	if t == "" {
		return
	}
	for _, a := range numericAges(t, tr) {
		dv.ages = append(dv.ages, a)
		dv.note(a.text)
	}
	for _, f := range agePhrases().find(t) {
		if !ageTaken(t, f, tr) {
			continue
		}
		if f.key == "parents" {
			dv.parents = true
			continue
		}
		w := ageWords[f.key]
		dv.words = append(dv.words, ageSpan{w.min, w.max, f.text})
		dv.note(f.text)
	}
	for _, f := range genderPhrases().find(t) {
		if tr == trustFull || saysFor(t, f) {
			switch {
			case !dv.named[tr]:
				dv.named[tr], dv.gender[tr] = true, f.key
			case dv.gender[tr] != f.key:
				dv.gender[tr] = "" // both sexes
			}
			dv.note(f.text)
		}
	}
	for _, f := range groupPhrases().find(t) {
		if f.key == "carer" && withParents(t, f) {
			continue // "parents and carers" of children are not carers
		}
		if tr == trustFull || saysFor(t, f) {
			dv.addGroup(f.key, f.text)
		}
	}
}

// ageTaken says whether an age word found counts: not a venue or a
// department ("children's centre"), not the children of the parents the
// service is for, and in a description only where it says whom for.
func ageTaken(t string, f found, tr trust) bool {
	rest := t[f.end:]
	for _, v := range ageVenues {
		if (f.key == "children" || f.key == "under-fives") && strings.HasPrefix(rest, v) {
			return false // "youth services" are for youth; "children's services" a department
		}
	}
	if relativeAfter.MatchString(rest) {
		return false // "supporting an elderly parent" is for the carer
	}
	if f.key != "parents" && parentsOf.MatchString(clauseBefore(t, f.start, 40)) {
		return false
	}
	return tr == trustFull || saysFor(t, f)
}

var relativeAfter = regexp.MustCompile(`^ (?:parents?|relatives?|loved ones?|family members?|people's carers)\b`)

var ageVenues = []string{" birth", "birth", " support", " abuse", " custody", " welfare", " protective",
	"'s protective", "'s centre", "'s center", " centre", "'s services", " services", "'s trust", "'s society",
	"'s social care", " protection", "'s hospital", "'s ward"}

// terms reads the service's audience terms (target populations). Their
// age words count; their closed groups count only when every audience
// term names one (a list with "Adults" or "Long Term Health Conditions"
// in it is open to more than the groups). A sex named there does not make
// a service single-sex: feeds tag whom they hope to reach (a sewing class
// tagged "Women"), so a term for one sex neither closes nor opens.
func (dv *deriver) terms(terms []Term) {
	var labels []string
	for i, t := range terms {
		if i == maxAudienceTerms {
			break
		}
		if isAudienceTerm(t) {
			labels = append(labels, foldText(t.Label, maxAudienceName))
		}
	}
	closed := len(labels) > 0
	groups := map[string]string{}
	for _, l := range labels {
		for _, f := range agePhrases().find(l) {
			if f.key == "parents" {
				dv.parents = true
			} else if ageTaken(l, f, trustFull) {
				w := ageWords[f.key]
				dv.words = append(dv.words, ageSpan{w.min, w.max, l})
				dv.note(l)
			}
		}
		fs := groupPhrases().find(l)
		if len(fs) == 0 && genderOfLabel(l) == "" {
			closed = false
		}
		for _, f := range fs {
			groups[f.key] = l
		}
	}
	if closed {
		codes := make([]string, 0, len(groups))
		for g := range groups {
			codes = append(codes, g)
		}
		sort.Strings(codes) // evidence in a stable order
		for _, g := range codes {
			dv.addGroup(g, groups[g])
		}
	}
}

// isAudienceTerm: a term of a target-population or audience taxonomy
// (an ORUK feed's target audience; AIRS "Y" codes).
func isAudienceTerm(t Term) bool {
	tax := strings.ToLower(t.Taxonomy)
	return strings.Contains(tax, "audience") || strings.Contains(tax, "target") ||
		strings.Contains(tax, "airs") && strings.HasPrefix(t.Code, "Y")
}

// genderOfLabel is the single sex an audience term names as a whole.
func genderOfLabel(l string) string {
	switch l {
	case "women", "woman", "female", "females", "girls", "mothers", "mums", "pregnant women", "new mothers",
		"abused women", "homeless women", "pregnant single women":
		return GenderWomen
	case "men", "man", "male", "males", "boys", "fathers", "dads", "gay men", "abused men", "homeless men":
		return GenderMen
	}
	return ""
}

// ageRange is the union of the age ranges found. Numbers ("aged 11 to
// 14") are more precise than words ("young people") and win. A children's
// service for parents as well ("parents and toddlers", "women and
// children"), one for
// expectant and new parents, or for children under 6 (who come with an
// adult), has no age limit.
func (dv *deriver) ageRange() (*int, *int) {
	spans := dv.ages
	if len(spans) == 0 {
		spans = dv.words
	}
	if len(spans) == 0 || dv.groups["pregnant-or-new-parent"] {
		return nil, nil
	}
	lo, hi := spans[0].min, spans[0].max
	for _, a := range spans[1:] {
		lo = min(lo, a.min)
		if hi != -1 && (a.max == -1 || a.max > hi) {
			hi = a.max
		}
	}
	if hi != -1 && hi < 6 || dv.parents && lo < 18 {
		return nil, nil
	}
	var minAge, maxAge *int
	if lo > 0 {
		minAge = &lo
	}
	if hi != -1 {
		maxAge = &hi
	}
	return minAge, maxAge
}
