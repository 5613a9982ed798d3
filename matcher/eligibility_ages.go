package matcher

import (
	"regexp"
	"strconv"
	"strings"
)

// ageSpan is an age range found in text; max -1 is no upper bound.
type ageSpan struct {
	min, max int
	text     string
}

// Age patterns in numbers. Each says how to read its numbers and whether
// it needs a people word before it ("young people 11-18", "adults 55 and
// older") to count: a bare "10-12" is as likely a time or a season.
var agePatterns = []struct {
	re     *regexp.Regexp
	read   func(a, b int) (int, int)
	people need // when it needs a people word or an audience cue before it
}{
	// aged 16 to 25, ages 6-16, age between 11 and 14
	{regexp.MustCompile(`\bage[ds]? (?:between |from )?(\d{1,2}) ?(?:-|to|and) ?(\d{1,2})\b`), span, never},
	// 5-17 years old, 7-16 years
	{regexp.MustCompile(`\b(\d{1,2}) ?(?:-|to) ?(\d{1,2}) ?(?:years?|yrs?)\b`), span, inDescription},
	// young people 11-18, children (5-11)
	{regexp.MustCompile(`\b(\d{1,2}) ?(?:-|to) ?(\d{1,2})\b`), span, always},
	// over 60s, over the age of 18, aged over 50
	{regexp.MustCompile(`\b(?:over|above|older than) (?:the age of )?(\d{1,2})(?:'?s\b| ?\+)?`), atLeast, inDescription},
	// under 18s, under 5s, younger than 16
	{regexp.MustCompile(`\b(?:under|below|younger than) (?:the age of )?(\d{1,2})(?:'?s\b)?`), under, inDescription},
	// 60 and over, 18 years and older, 55+
	{regexp.MustCompile(`\b(\d{1,2}) ?(?:years? )?(?:and|or|&) (?:over|older|above|up)\b`), atLeast, inDescription},
	{regexp.MustCompile(`\b(\d{1,2}) ?\+`), atLeast, inDescription},
	// 16 and under, up to age 18, from birth to age 22
	{regexp.MustCompile(`\b(\d{1,2}) ?(?:years? )?(?:and|or) (?:under|younger|below)\b`), upTo, inDescription},
	{regexp.MustCompile(`\bto (?:the )?age (?:of )?(\d{1,2})\b`), upTo, never},
}

// need says when an age pattern needs a people word before it.
type need int

const (
	never need = iota
	inDescription
	always
)

func span(a, b int) (int, int)    { return a, b }
func atLeast(a, _ int) (int, int) { return a, -1 }
func under(a, _ int) (int, int)   { return 0, a - 1 }
func upTo(a, _ int) (int, int)    { return 0, a }

// peopleBefore: a word for people (or "aged", or an audience cue) just
// before a number makes it an age.
var peopleBefore = regexp.MustCompile(`\b(?:age[ds]?|people|persons?|adults?|children|child|kids|young|youth|teens?|teenagers|boys|girls|pupils|students|men|women|females|males|ladies|anyone|those|residents|individuals|babies|for|open to|suitable for|aimed at|welcome|seniors|members)\W*(?:\w+\W+)?$`)

// notAges are words after a number that make it something else: "over 20
// years' experience", "18+ weeks", "under 10 minutes".
var notAges = regexp.MustCompile(`^[ '-]*(?:pm|am|p\.m|a\.m|weeks?|months?|days?|hours?|hrs|mins?|minutes?|miles?|km|%|percent|pounds|volunteers|members|groups|sessions|clubs|countries|locations|activities|times)\b`)

// yearsAfter: a number followed by "years" is an age only as "years old"
// or "years of age" ("over 40 years' experience" is not).
var (
	yearsAfter = regexp.MustCompile(`^[ '-]*(?:years?|yrs?)\b`)
	yearsOld   = regexp.MustCompile(`^[ '-]*(?:years?|yrs?)(?: |-)(?:old|of age)`)
)

// parentsOf: "parents of children under 5" is for the parents, and
// "staff working with young people" for the staff.
var parentsOf = regexp.MustCompile(`\b(?:parents?|mums?|dads?|mothers?|fathers?|families|family|carers?|grandparents?|staff|professionals|teachers|practitioners|workers|volunteers)\b(?:\W+(?:and|or)?\W*\w+)?\W+(?:of|with|who have|working with|supporting)\b`)

// numericAges finds age ranges written in numbers.
func numericAges(t string, tr trust) []ageSpan {
	var out []ageSpan
	var taken []bool
	for _, w := range digitWindows(t) {
		if taken == nil {
			taken = make([]bool, len(t)+1)
		}
		out = numericAgesIn(t, w[0], w[1], tr, taken, out)
	}
	return out
}

// digitWindows are the stretches of text around numbers, cut at spaces:
// the age patterns only run there, as running them over every word of
// every service at import is slow.
func digitWindows(t string) [][2]int {
	var out [][2]int
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			continue
		}
		j := i
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		a, b := max(0, i-40), min(len(t), j+25)
		if k := strings.IndexByte(t[a:i], ' '); a > 0 && k >= 0 {
			a += k + 1
		}
		if k := strings.LastIndexByte(t[j:b], ' '); b < len(t) && k >= 0 {
			b = j + k
		}
		if n := len(out); n > 0 && a <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], b)
		} else {
			out = append(out, [2]int{a, b})
		}
		i = j
	}
	return out
}

// numericAgesIn finds the age patterns in t[from:to], reading the text
// around it for context, and appends them to out.
func numericAgesIn(t string, from, to int, tr trust, taken []bool, out []ageSpan) []ageSpan {
	for _, p := range agePatterns {
		for _, m := range p.re.FindAllStringSubmatchIndex(t[from:to], -1) {
			for k := range m {
				if m[k] >= 0 {
					m[k] += from
				}
			}
			if taken[m[0]] || taken[m[1]-1] {
				continue
			}
			a, _ := strconv.Atoi(t[m[2]:m[3]])
			b, end := a, m[3]
			if len(m) > 4 && m[4] >= 0 {
				b, _ = strconv.Atoi(t[m[4]:m[5]])
				end = m[5]
			}
			if end < len(t) && t[end] >= '0' && t[end] <= '9' {
				continue // "over 120 groups"
			}
			lo, hi := p.read(a, b)
			if lo < 0 || hi != -1 && (hi < lo || hi > 120) || lo > 110 {
				continue
			}
			before := clauseBefore(t, m[0], 40)
			after := t[m[1]:]
			if notAges.MatchString(after) || p.people != never && yearsAfter.MatchString(after) && !yearsOld.MatchString(after) ||
				parentsOf.MatchString(before) {
				continue
			}
			plural := strings.HasSuffix(t[m[0]:m[1]], "s") // "over 60s" says it all
			needPeople := p.people == always || p.people == inDescription && tr == trustPhrased && !plural
			if needPeople && !peopleBefore.MatchString(before) {
				continue
			}
			for i := m[0]; i < m[1]; i++ {
				taken[i] = true
			}
			out = append(out, ageSpan{lo, hi, t[m[0]:m[1]]})
		}
	}
	return out
}

// clauseBefore is up to n bytes of text before i, from the start of its
// sentence.
func clauseBefore(t string, i, n int) string {
	s := max(0, i-n)
	before := t[s:i]
	if k := strings.LastIndexAny(before, ".;:!?()"); k >= 0 {
		before = before[k+1:]
	}
	return before
}
