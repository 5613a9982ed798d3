package matcher

import "strings"

// idiom is a turn of phrase read as a whole before its words are looked
// at one by one. Its pattern's words ending in "?" are optional.
type idiom struct {
	pattern []string
	// say are words the person meant, put back as if said ("tennis court"
	// is "tennis").
	say []string
	// means are phrases searched for in place of the idiom, counting as
	// synonyms do ("get out of the house" means social activities).
	means []string
	// need is the need the idiom points at, if any.
	need string
}

// idioms are read in order; the first that matches at a word wins. The
// list is about the misreadings a word-by-word match makes of how people
// talk: "house" in "get out of the house" is not housing, "age" in
// "others my age" is nothing, "drink" in "go for a drink" is not an
// alcohol service, "course" in "of course" is not a course.
var idioms = func() []idiom {
	social := []string{"social club", "social group", "social activities", "day trips", "outings"}
	var out []idiom
	add := func(pattern string, say, means []string, need string) {
		for _, p := range strings.Split(pattern, "|") {
			out = append(out, idiom{pattern: strings.Fields(p), say: say, means: means, need: need})
		}
	}
	add("get? out of? the house|get? out of? my house|get? out of? the flat|get? out and about|"+
		"leave the house|leaving the house|left the house|stuck at home|stuck in the house|stuck indoors|"+
		"stuck inside|at home all day|in the house all day|indoors all day|four walls", nil, social, "loneliness")
	add("others? of? my own? age|people of? my own? age|folk of? my own? age|someone of? my own? age|"+
		"men of? my own? age|women of? my own? age|my age group|at my age|for my age", nil, nil, "")
	add("meet up|meeting up|meet new people|meet people|meet others|meeting people|meeting new people|"+
		"make new? friends|making new? friends", nil, []string{"social group", "friendship"}, "loneliness")
	add("on my own|by myself|live alone|living alone|lives alone", nil, nil, "loneliness")
	add("need a lift|get a lift|give me a lift|a lift to|lifts to", nil, []string{"transport", "community transport"}, "")
	add("go for a drink|going for a drink|have a drink|a drink with|a cup of tea|cuppa|cup of tea",
		[]string{"cafe"}, nil, "")
	add("of course|in my youth|bored to death|sick to death|son-in-law|daughter-in-law|mother-in-law|"+
		"father-in-law|brother-in-law|sister-in-law|in-laws|would benefit|benefit from|"+
		"don't care for|do not care for|keep busy|keep me busy|something to do|things to do", nil, nil, "")
	add("tennis court|tennis courts", []string{"tennis"}, nil, "")
	// "Support" alone is any service; a support group is a kind of one.
	add("support group|support groups", []string{"support group"}, nil, "")
	// "Low" alone is a weak word; "feeling low" is a mood.
	add("feel low|feeling low|felt low|feel down|feeling down|felt down|feeling a bit low|feeling a bit down|"+
		"feel a bit low|feel a bit down", nil, []string{"low mood", "depression"}, "mental-wellbeing")
	// "Hands" is how, not what: "Whip in Your Hand?" is not practical.
	add("with my hands|with your hands|with his hands|with her hands|using my hands|hands on|hands-on",
		[]string{"practical"}, []string{"crafts", "woodwork", "diy"}, "")
	// "Walk" here is what the person cannot do, not an activity.
	add("can't walk far|cannot walk far|can't walk|cannot walk|struggle to walk|struggling to walk|"+
		"difficulty walking|trouble walking", []string{"mobility"}, nil, "")
	// Family far away is company missed, not a family service.
	add("family live far away?|family lives far away?|family moved away|family are far away?|no family nearby?|"+
		"children live far away?|children moved away|children have moved away|kids live far away?|kids moved away|"+
		"children have grown up|kids have grown up|family don't visit|family never visit", nil, nil, "loneliness")
	// A death said plainly: "died" alone is in no listing.
	add("lost my wife|lost my husband|lost my partner|lost my mum|lost my dad|lost my son|lost my daughter|"+
		"losing my wife|losing my husband|losing my partner|losing my mum|losing my dad|losing my son|"+
		"losing my daughter|losing my mother|losing my father|lost my mother|lost my father|"+
		"my wife died|my husband died|my partner died|my wife passed away?|my husband passed away?|"+
		"my partner passed away?|since my wife died|since my husband died|he died|she died|he passed away|"+
		"she passed away|they passed away|they died|has died|have died|passed away",
		[]string{"bereavement"}, nil, "bereavement")
	add("keep fit|get fit|getting fit|get active|getting active|be more active|more active",
		[]string{"fitness"}, []string{"exercise"}, "physical-activity")
	return out
}()

// applyIdioms marks the words of each idiom found as taken, and records
// what it says and means.
func (g *goalReading) applyIdioms(items []item) {
	for i := 0; i < len(items); i++ {
		for _, id := range idioms {
			n := matchPattern(id.pattern, items[i:])
			if n == 0 {
				continue
			}
			said := make([]string, 0, n)
			for j := i; j < i+n; j++ {
				said = append(said, items[j].word)
				items[j].taken = true
			}
			from := strings.Join(said, " ")
			for _, m := range id.means {
				g.addExpansion(expansion{text: m, from: from, idiom: true})
			}
			if id.need != "" && !contains(g.idiomNeeds, id.need) {
				g.idiomNeeds = append(g.idiomNeeds, id.need)
			}
			if len(id.say) > 0 {
				g.segments = append(g.segments, strings.Join(id.say, " "))
				for _, w := range id.say {
					g.strong = appendNew(g.strong, w, maxQueryWords)
					if strings.Contains(w, " ") {
						g.phrases = appendNew(g.phrases, w, maxPhrases)
					}
				}
			}
			i += n - 1
			break
		}
	}
}

// matchPattern returns how many items the pattern covers at the start of
// items, or 0. Optional words ("word?") may be missing.
func matchPattern(pattern []string, items []item) int {
	if len(pattern) == 0 {
		return 0
	}
	var try func(p, k int) int
	try = func(p, k int) int {
		if p == len(pattern) {
			return k
		}
		w, optional := strings.CutSuffix(pattern[p], "?")
		if k < len(items) && !items[k].brk && !items[k].taken && items[k].word == w {
			if n := try(p+1, k+1); n > 0 {
				return n
			}
		}
		if optional {
			return try(p+1, k)
		}
		return 0
	}
	return try(0, 0)
}

func (g *goalReading) addExpansion(x expansion) {
	if len(g.expanded) >= maxExpansions {
		return
	}
	for _, e := range g.expanded {
		if e.text == x.text {
			return
		}
	}
	g.expanded = append(g.expanded, x)
}
