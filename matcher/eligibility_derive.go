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
	dv := &deriver{groups: map[string]bool{}, pinned: map[string]bool{}}
	name := foldText(d.Name, maxAudienceName)
	elig := foldText(d.Eligibility, maxAudienceEligibility)
	desc := foldText(d.Description, maxAudienceDescription)
	dv.source = fromName
	dv.read(name, trustFull)
	dv.source = fromEligibility
	dv.read(elig, trustFull)
	dv.source, dv.firstEnd = fromDescription, len(foldText(firstSentence(d.Description), maxAudienceDescription))
	dv.read(desc, trustPhrased)
	dv.source = fromTerms
	dv.terms(d.Terms)
	dv.settle(name+" "+elig+" "+desc, name+" "+desc)
	a := Audience{Evidence: dv.evidence, Soft: len(dv.groups) > 0}
	if d.MinimumAge != nil || d.MaximumAge != nil {
		a.MinimumAge, a.MaximumAge = d.MinimumAge, d.MaximumAge
	} else {
		a.MinimumAge, a.MaximumAge = dv.ageRange()
	}
	a.Gender = dv.gender[trustFull]
	if !dv.named[trustFull] {
		a.Gender = dv.gender[trustPhrased]
	}
	for g, strong := range dv.groups {
		a.Groups = append(a.Groups, g)
		a.Soft = a.Soft && !strong
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
	named  [2]bool
	gender [2]string
	// groups maps each closed group found to whether the evidence is
	// strong enough to keep others out (see eligibility_vocab.go).
	groups   map[string]bool
	evidence []string
	// source is the part being read; firstEnd where the description's
	// first sentence ends (groups further down are not read).
	source   source
	firstEnd int
	// broader: the description names the groups among other people
	// ("people living with dementia, older age or frailty"), so audience
	// terms naming only the groups are not the whole audience.
	broader bool
	// eligSaid: the eligibility text named a group, which no other words
	// open or soften.
	eligSaid bool
	// pinned are the groups the name or eligibility text names, which
	// softening words leave strong.
	pinned map[string]bool
}

// source is the part of a service a group was read from.
type source int

const (
	fromName source = iota
	fromEligibility
	fromDescription
	fromTerms
)

const maxEvidence = 8

// note keeps words found as evidence, copied: they are slices of the
// folded text, which the index should not keep alive.
func (dv *deriver) note(text string) {
	if len(dv.evidence) < maxEvidence && !contains(dv.evidence, text) {
		dv.evidence = append(dv.evidence, strings.Clone(text))
	}
}

func (dv *deriver) addGroup(code, text string, strong bool) {
	dv.groups[code] = dv.groups[code] || strong
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
		if strong, ok := dv.groupTaken(t, f); ok {
			dv.addGroup(f.key, f.text, strong)
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
// tagged "Women", a men's shed tagged "Women", "Men", "Armed Forces"), so
// a term for one sex opens, like any term that names no group; so does a
// term for a group's relatives ("Families of Veterans").
func (dv *deriver) terms(terms []Term) {
	// Audience terms first, then the bound: services carry many category
	// terms, and the order they come in differs between loaders.
	var labels []string
	for _, t := range terms {
		if len(labels) == maxAudienceTerms {
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
		if len(fs) == 0 || familyOf.MatchString(l) {
			closed = false // "Women", "Adults", "Families of Veterans": open to more than the groups
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
			dv.addGroup(g, groups[g], !dv.broader)
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
