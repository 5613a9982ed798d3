package matcher

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// needPhrases name the built-in needs inside a reason's sentence ("Helps
// with being more active"). They are wording, not labels: a need's label
// is its name in the needs vocabulary (the database), which reads as a
// heading ("Physical activity").
var needPhrases = map[string]string{
	"loneliness": "loneliness and isolation", "mental-wellbeing": "mental wellbeing",
	"physical-activity": "being more active", "money-and-benefits": "money and benefits", "debt": "debt",
	"housing": "housing", "employment": "work and employment", "carers": "caring for someone",
	"bereavement": "bereavement", "alcohol-and-drugs": "alcohol and drugs", "food": "food",
	"family-and-relationships": "family and relationships", "long-term-conditions": "living with a long-term condition",
	"arts-and-creativity": "arts and creativity", "nature-and-outdoors": "nature and the outdoors",
	"learning-and-skills": "learning and skills", "digital-inclusion": "getting online",
	"domestic-abuse": "domestic abuse", "legal-advice": "legal advice", "volunteering": "volunteering",
}

var dayNames = map[string]string{"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
	"FR": "Friday", "SA": "Saturday", "SU": "Sunday"}

// reasons says, for a link worker, why the service was matched: the
// needs it covers, the client's words it shares, where and when it is,
// what it costs and how its listing and referrals stand.
func reasons(c *candidate, p *Profile, words []clientWord) []Reason {
	out := needReasons(c)
	out = append(out, goalReasons(words, &c.e.doc)...)
	out = append(out, placeReasons(c, p)...)
	if r, ok := sessionReason(c, p); ok {
		out = append(out, r)
	}
	return append(out, standingReasons(&c.e.doc)...)
}

// needReasons say which needs the service covers, and the evidence.
func needReasons(c *candidate) []Reason {
	var out []Reason
	d := &c.e.doc
	for _, n := range c.covered {
		ev := c.e.needs[n]
		why := ""
		switch {
		case ev.Tagged:
			why = "listed by the provider as helping with it"
		case ev.Mapped:
			why = "its directory category is " + mappedLabel(d, n)
		case len(ev.Words) > 0:
			why = "it mentions " + quoteList(ev.Words, 3)
		}
		text := "Helps with " + needPhrases[n]
		if why != "" {
			text += ": " + why
		}
		out = append(out, Reason{Kind: ReasonNeed, Text: text + "."})
	}
	return out
}

// goalReasons quote what the service shares with the client's words: their
// own words, then each synonym with the word the client said first ("The
// client said “singing”; it offers “choir”.").
func goalReasons(words []clientWord, d *Document) []Reason {
	own, offered := goalWords(words, d)
	var out []Reason
	if len(own) > 0 {
		out = append(out, Reason{Kind: ReasonGoal, Text: "Matches what the client said: " + joinList(own, 4) + "."})
	}
	for i, w := range offered {
		if i == maxSynonymReasons {
			break
		}
		out = append(out, Reason{Kind: ReasonGoal, Text: "The client said “" + w.from + "”; it offers “" + w.word + "”."})
	}
	return out
}

// maxSynonymReasons bounds the synonym reasons of one match.
const maxSynonymReasons = 2

// placeReasons say how far away the service is and whether it can be used
// from home.
func placeReasons(c *candidate, p *Profile) []Reason {
	var out []Reason
	if c.hasDist && c.e.inPerson {
		where := c.nearest.Name
		if c.nearest.Postcode != "" {
			where = strings.TrimSpace(where + " (" + c.nearest.Postcode + ")")
		}
		text := fmt.Sprintf("%s away", formatKm(c.dist))
		if c.dist < 0.1 {
			text = "Right by the client"
		}
		if where != "" {
			text += " at " + where
		}
		out = append(out, Reason{Kind: ReasonDistance, Text: text + "."})
	}
	if c.e.remote && (p.AcceptsRemote == nil || *p.AcceptsRemote) {
		var how []string
		for _, m := range c.e.doc.DeliveryModes {
			switch m {
			case "online":
				how = append(how, "online")
			case "telephone":
				how = append(how, "by telephone")
			}
		}
		out = append(out, Reason{Kind: ReasonRemote, Text: "Can be used from home, " + strings.Join(how, " or ") + "."})
	}
	return out
}

// sessionReason says when the service meets, and whether the client is
// free then.
func sessionReason(c *candidate, p *Profile) (Reason, bool) {
	s := c.session
	if s == nil || len(s.Days) == 0 && s.Opens == "" {
		return Reason{}, false
	}
	text := "Meets " + describeSession(s)
	if len(p.Availability) > 0 && c.sig.schedule >= 1 {
		text += ", when the client is free"
	} else if len(p.Availability) > 0 {
		text += ", on a day the client is free"
	}
	return Reason{Kind: ReasonSession, Text: text + "."}, true
}

// standingReasons say what the service costs, when its listing was
// checked and how its referrals went.
func standingReasons(d *Document) []Reason {
	var out []Reason
	switch {
	case d.Free:
		out = append(out, Reason{Kind: ReasonCost, Text: "Free."})
	case d.CostText != "":
		out = append(out, Reason{Kind: ReasonCost, Text: "Costs " + d.CostText + "."})
	}
	if d.AssuredDate != nil {
		out = append(out, Reason{Kind: ReasonVerified, Text: "Listing checked on " + d.AssuredDate.Format("2 January 2006") + "."})
	}
	if h := d.History; h.Sent >= 3 {
		out = append(out, Reason{Kind: ReasonHistory, Text: fmt.Sprintf("Accepted %d of %d referrals so far; %d attended.", h.Accepted, h.Sent, h.Attended)})
	}
	return out
}

func mappedLabel(d *Document, need string) string {
	for _, t := range d.Terms {
		if needs, _ := termNeeds(t.Taxonomy, t.Code); contains(needs, need) {
			return "“" + t.Label + "”"
		}
	}
	return "a matching category"
}

// clientWord is one of the client's words, as they said it (lower case),
// with its analysed form; or a synonym or idiom meaning searched for one
// (from names what they said).
type clientWord struct {
	word, stem, from string
	idiom            bool
}

// clientWords analyses the client's words, and what was searched for them,
// once per ranking, so that the reasons of every match only look them up.
func clientWords(g *goalReading) []clientWord {
	var out []clientWord
	seen := map[string]bool{}
	// What the client ruled out is never quoted as what they asked for,
	// even where they said the word elsewhere.
	for _, x := range g.excluded {
		for _, s := range cachedStems(x) {
			seen[s] = true
		}
	}
	add := func(w clientWord) {
		if w.stem == "" || seen[w.stem] || anySeen(seen, w.stem) {
			return
		}
		seen[w.stem] = true
		out = append(out, w)
	}
	// Phrases first: "coffee morning" is quoted whole, not word by word.
	for _, w := range append(append(append([]string{}, g.phrases...), g.strong...), g.weak...) {
		if ss := cachedStems(w); len(ss) > 0 {
			add(clientWord{word: w, stem: strings.Join(ss, " ")})
		}
	}
	for _, e := range g.expanded {
		add(clientWord{word: e.text, stem: strings.Join(cachedStems(e.text), " "), from: e.from, idiom: e.idiom})
	}
	return out
}

// anySeen reports whether any word of an analysed phrase is in seen.
func anySeen(seen map[string]bool, stem string) bool {
	for _, s := range strings.Fields(stem) {
		if seen[s] {
			return true
		}
	}
	return false
}

// goalWords returns what the service's name, description or categories
// share with the client's words: their own words, quoted, and the
// synonyms or idiom meanings it offers for words that did not match
// themselves.
func goalWords(words []clientWord, d *Document) (own []string, offered []clientWord) {
	if len(words) == 0 {
		return nil, nil
	}
	// seq is the listing's analysed words in order, for phrases; name,
	// description and each label apart, so that no phrase spans two.
	// Only words that may share a stem with the client's are analysed:
	// this runs for every match shown.
	prefixes := stemPrefixes(words)
	seq := candidateStems(nil, d.Name, prefixes)
	seq = candidateStems(append(seq, ""), d.Description, prefixes)
	for _, t := range d.Terms {
		seq = candidateStems(append(seq, ""), t.Label, prefixes)
	}
	have := map[string]bool{}
	for _, s := range seq {
		have[s] = true
	}
	matched := map[string]bool{}
	inPhrase := map[string]bool{}
	for _, w := range words {
		if w.from != "" || inPhrase[w.stem] || !hasPhrase(seq, have, w.stem) {
			continue
		}
		matched[w.word] = true
		for _, part := range strings.Fields(w.stem) {
			inPhrase[part] = true
		}
		for _, part := range strings.Fields(w.word) {
			matched[part] = true
		}
		own = append(own, "“"+w.word+"”")
	}
	for _, w := range words {
		if w.from == "" || matched[w.from] || !hasPhrase(seq, have, w.stem) {
			continue
		}
		matched[w.from] = true
		offered = append(offered, w)
	}
	return own, offered
}

// stemPrefixes are the starts a word must have to stem like one of the
// client's: a Porter stem is its word's start, but for a last letter
// ("happi" for "happy").
func stemPrefixes(words []clientWord) []string {
	var out []string
	for _, w := range words {
		for _, s := range strings.Fields(w.stem) {
			if len(s) >= 4 {
				s = s[:len(s)-1]
			}
			out = append(out, s)
		}
	}
	return out
}

// candidateStems appends the analysed form of the text's words that
// start like one of prefixes, and "" for each other word, which breaks a
// phrase; stop words are skipped, as analysis skips them.
func candidateStems(seq []string, text string, prefixes []string) []string {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	}) {
		if englishStopWords()[w] {
			continue
		}
		cand := false
		for _, p := range prefixes {
			if strings.HasPrefix(w, p) {
				cand = true
				break
			}
		}
		if !cand {
			seq = append(seq, "")
			continue
		}
		seq = append(seq, cachedStems(w)...)
	}
	return seq
}

// hasPhrase reports whether the analysed words of a phrase stand together
// in seq (stop words aside): "social club" is not "social" here and
// "club" there.
func hasPhrase(seq []string, have map[string]bool, phrase string) bool {
	words := strings.Fields(phrase)
	if len(words) == 1 {
		return have[words[0]]
	}
	for i := 0; i+len(words) <= len(seq); i++ {
		if slices.Equal(seq[i:i+len(words)], words) {
			return true
		}
	}
	return false
}

func quoteList(words []string, max int) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "“" + w + "”"
	}
	return joinList(q, max)
}

// joinList joins at most max items as a sentence does ("a, b and c").
func joinList(q []string, max int) string {
	if len(q) > max {
		q = q[:max]
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func formatKm(km float64) string {
	if km < 1 {
		return fmt.Sprintf("%d m", int(km*1000/10)*10)
	}
	return fmt.Sprintf("%.1f km", km)
}

func describeSession(s *Session) string {
	var days []string
	for _, d := range s.Days {
		days = append(days, dayNames[d]+"s")
	}
	text := strings.Join(days, " and ")
	if len(days) > 2 {
		text = strings.Join(days[:len(days)-1], ", ") + " and " + days[len(days)-1]
	}
	if s.Monthly && len(days) > 0 {
		text = "monthly on " + text
	}
	if s.Opens != "" && s.Closes != "" {
		text += " " + s.Opens + "–" + s.Closes
	} else if s.Opens != "" {
		text += " from " + s.Opens
	}
	if s.Location != "" {
		text += " at " + s.Location
	}
	if s.Note != "" && len(s.Note) < 80 {
		text += " (" + s.Note + ")"
	}
	return strings.TrimSpace(text)
}
