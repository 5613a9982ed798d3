package matcher

import (
	"slices"
	"strings"
	"testing"
)

// TestReadingGoals checks how a person's words are read in context: what is
// searched for, what is ruled out, what counts little and what is added.
func TestReadingGoals(t *testing.T) {
	cases := []struct {
		goal     string
		strong   []string // exactly these content words
		weak     []string
		phrases  []string // at least these
		expanded []string // at least these
		excluded []string // at least these
		notExcl  []string
		noRemote bool
	}{
		// Conversational words say nothing about a service.
		{goal: "I want to get out of the house and meet others of my age", strong: nil,
			expanded: []string{"social club", "day trips"}},
		{goal: "I'd like to meet new people, someone local to help and support me", strong: nil},
		{goal: "stuck at home since my wife died", strong: []string{"bereavement"}, expanded: []string{"social group", "grief"}},
		{goal: "looking for a walking group", strong: []string{"walking"}, weak: []string{"group"},
			phrases: []string{"walking group"}, expanded: []string{"rambling"}},
		// A rule-out reaches to the end of its clause, and no further.
		{goal: "not a group where we talk about our feelings", strong: nil,
			excluded: []string{"talk", "feelings", "counselling", "talking therapy"}},
		{goal: "I don't want anything online, but I love singing", strong: []string{"singing"},
			expanded: []string{"choir"}, noRemote: true, notExcl: []string{"singing"}},
		{goal: "no religious groups, nothing with alcohol. Gardening would be nice", strong: []string{"gardening"},
			excluded: []string{"religious", "church", "alcohol", "pub"}, expanded: []string{"allotment"}},
		{goal: "something practical without having to talk and I like woodwork", strong: []string{"practical", "woodwork"},
			excluded: []string{"talk"}, notExcl: []string{"woodwork"}},
		// Finding 9: "not <activity>ing" and "can't <activity>" rule out;
		// "can't sleep" and "not sleeping" say what is wrong.
		{goal: "not singing please, I hate choirs", strong: nil, excluded: []string{"singing", "choirs"}},
		{goal: "I can't sing but I'd like to walk", strong: []string{"walk"}, excluded: []string{"sing"}, notExcl: []string{"walk"}},
		{goal: "walking, but not dancing", strong: []string{"walking"}, excluded: []string{"dancing"}},
		{goal: "I can't sleep and I'm not sleeping well", strong: []string{"sleep", "sleeping"}, notExcl: []string{"sleep", "sleeping"}},
		{goal: "I can't read very well", strong: []string{"read"}, notExcl: []string{"read"}},
		{goal: "I can't walk far but I like crafts", strong: []string{"mobility", "crafts"}, notExcl: []string{"walk", "far"}},
		{goal: "I'm really not enjoying life", strong: []string{"life"}, notExcl: []string{"enjoying", "life"}},
		// Saying what is wrong is not ruling anything out.
		{goal: "I have no friends nearby and I don't want to be lonely", strong: []string{"friends", "lonely"},
			expanded: []string{"befriending"}, notExcl: []string{"friends", "lonely"}},
		{goal: "I hate being on my own", strong: nil},
		{goal: "I want to avoid falls", strong: []string{"falls"}, notExcl: []string{"falls"}},
		{goal: "I'm without a car since my stroke", strong: []string{"car", "stroke"}, notExcl: []string{"car"}},
		{goal: "something practical with my hands", strong: []string{"practical"}, expanded: []string{"crafts", "woodwork"}},
		{goal: "no groups please", strong: nil, weak: []string{}},
		// Idioms are read before their words.
		{goal: "I need a lift to the shops, my son-in-law works", strong: []string{"shops", "works"},
			expanded: []string{"community transport"}},
		{goal: "coffee morning or a knit and natter", strong: []string{"coffee", "morning", "knit", "natter"},
			phrases: []string{"coffee morning"}, expanded: []string{"chat", "crafts"}},
	}
	for _, c := range cases {
		t.Run(c.goal, func(t *testing.T) {
			g := readGoals([]string{c.goal})
			if !slices.Equal(g.strong, c.strong) {
				t.Errorf("content words %q, want %q", g.strong, c.strong)
			}
			if c.weak != nil && !slices.Equal(g.weak, c.weak) {
				t.Errorf("weak words %q, want %q", g.weak, c.weak)
			}
			var exp []string
			for _, e := range g.expanded {
				exp = append(exp, e.text)
			}
			for _, want := range [][2][]string{{c.phrases, g.phrases}, {c.expanded, exp}, {c.excluded, g.excluded}} {
				for _, w := range want[0] {
					if !contains(want[1], w) {
						t.Errorf("%q missing from %q", w, want[1])
					}
				}
			}
			for _, w := range c.notExcl {
				if contains(g.excluded, w) {
					t.Errorf("%q ruled out: %q", w, g.excluded)
				}
			}
			if g.noRemote != c.noRemote {
				t.Errorf("online ruled out %v, want %v", g.noRemote, c.noRemote)
			}
		})
	}
}

// TestGoalNeeds checks which needs the person's words point at once read
// in context.
func TestGoalNeeds(t *testing.T) {
	cases := []struct {
		goal string
		want []string
		not  []string
	}{
		{"I want to get out of the house", []string{"loneliness"}, []string{"housing"}},
		{"I need a lift to the hospital", nil, []string{"physical-activity"}},
		{"I'd like to go for a drink with others my age", nil, []string{"alcohol-and-drugs"}},
		{"nothing with alcohol please, I want to get fit", []string{"physical-activity"}, []string{"alcohol-and-drugs"}},
		{"my son-in-law says I would benefit from a hobby", nil, []string{"legal-advice", "money-and-benefits"}},
		{"I'm behind on my rent", []string{"housing"}, nil},
		{"my family live far away and I can't walk far", []string{"loneliness", "long-term-conditions"},
			[]string{"family-and-relationships", "physical-activity"}},
		{"I lost my husband last year", []string{"bereavement"}, nil},
		{"I used to go walking with my husband before he died", []string{"bereavement", "physical-activity"}, nil},
		{"I don't want to be lonely any more", []string{"loneliness"}, nil},
	}
	for _, c := range cases {
		t.Run(c.goal, func(t *testing.T) {
			r := newRanking(nil, Profile{Goals: []string{c.goal}}, Options{})
			r.wantNeeds()
			got := make([]string, 0, len(r.wanted))
			for _, w := range r.wanted {
				got = append(got, w.need)
			}
			for _, n := range c.want {
				if !contains(got, n) {
					t.Errorf("%s missing from %v", n, got)
				}
			}
			for _, n := range c.not {
				if contains(got, n) {
					t.Errorf("%s should not be a need: %v", n, got)
				}
			}
		})
	}
}

// TestSynonymsSurviveAnalysis checks that every synonym still means
// something after the index's English analysis, and that no group is
// made only of words the goal reading drops.
func TestSynonymsSurviveAnalysis(t *testing.T) {
	for _, groups := range [][][]string{synonymGroups, ruleOutOnly} {
		for _, g := range groups {
			if len(g) < 2 {
				t.Errorf("group %q has nothing to expand to", g)
			}
			for _, w := range g {
				if w != strings.ToLower(strings.TrimSpace(w)) {
					t.Errorf("%q: write members in lower case", w)
				}
				if len(stems(w)) == 0 {
					t.Errorf("%q (in %q) is all stop words", w, g)
				}
				if conversationalWords[w] || weakWords[w] {
					t.Errorf("%q (in %q) is a word goal reading drops", w, g)
				}
			}
		}
	}
	if got := synonyms().of("singing"); !contains(got, "choir") {
		t.Errorf("singing expands to %q", got)
	}
	if got := synonyms().of("Choirs"); !contains(got, "singing") || contains(got, "choir") {
		t.Errorf("choirs expands to %q (not to its own stem)", got)
	}
}

// TestGoalWordsAnalyseOnlyWhatCanMatch checks that the reasons' shortcut
// (analysing only the listing's words that start like the client's) finds
// what analysing the whole listing finds.
func TestGoalWordsAnalyseOnlyWhatCanMatch(t *testing.T) {
	full := func(words []clientWord, d *Document) []string {
		seq := stems(d.Name)
		seq = append(append(seq, ""), stems(d.Description)...)
		for _, l := range d.Terms {
			seq = append(append(seq, ""), stems(l.Label)...)
		}
		var out []string
		for _, w := range words {
			if hasPhrase(seq, map[string]bool{}, w.stem) || !strings.Contains(w.stem, " ") && slices.Contains(seq, w.stem) {
				out = append(out, w.stem)
			}
		}
		return out
	}
	fast := func(words []clientWord, d *Document) []string {
		prefixes := stemPrefixes(words)
		seq := candidateStems(nil, d.Name, prefixes)
		seq = candidateStems(append(seq, ""), d.Description, prefixes)
		for _, l := range d.Terms {
			seq = candidateStems(append(seq, ""), l.Label, prefixes)
		}
		var out []string
		for _, w := range words {
			if hasPhrase(seq, map[string]bool{}, w.stem) || !strings.Contains(w.stem, " ") && slices.Contains(seq, w.stem) {
				out = append(out, w.stem)
			}
		}
		return out
	}
	goals := []string{"I want to get out of the house and meet others of my age", "a coffee morning and a chat",
		"happy memories of singing in a choir", "men's shed or woodwork", "talking therapies for anxiety",
		"homelessness advice", "Thursday walks in the countryside"}
	found := 0
	for _, d := range hub() {
		for _, g := range goals {
			words := clientWords(readGoals([]string{g}))
			want, got := full(words, &d), fast(words, &d)
			if !slices.Equal(want, got) {
				t.Errorf("%s / %q: shortcut %q, full analysis %q", d.ID, g, got, want)
			}
			found += len(want)
		}
	}
	if found < 10 {
		t.Errorf("only %d words found: the comparison says little", found)
	}
}
