package matcher

import (
	"strings"
	"sync"
)

// synonymGroups are words and phrases that, in a directory of community
// services, stand for one another: a person who says "singing" will go to
// a choir whose listing never says "singing". Each group is read both
// ways. They expand the person's words with a lower weight than the words
// themselves (synonymWeight), and widen a rule-out ("no religious groups"
// also demotes "church" and "faith").
//
// Why a curated table and not WordNet (Debian's wordnet-base): WordNet
// relates words by dictionary sense, not by what service a person would
// accept. Its synsets do not link "singing" to "choir", "allotment" to
// "gardening" or "COPD" to "lung"; they do link "walk" to "base on balls"
// and "club" to "golf club" and "nightclub", so every expansion would
// need sense disambiguation to do more good than harm. It would also need
// its data files at run time on every server. The table below is short,
// reviewed by reading, and TestSynonymsSurviveAnalysis checks that every
// entry still means something after the index's English analysis.
var synonymGroups = [][]string{
	{"singing", "sing", "choir", "choirs", "choral", "songs", "singalong"},
	{"walking", "walk", "walks", "rambling", "ramblers", "hiking", "strolls"},
	{"allotment", "allotments", "gardening", "garden", "growing", "horticulture", "horticultural"},
	{"knitting", "crochet", "crafts", "craft", "sewing", "knit and natter"},
	{"chat", "natter", "coffee morning", "conversation", "chatting"},
	{"exercise", "fitness", "keep fit", "workout", "gym"},
	{"copd", "lung", "lungs", "breathing", "respiratory", "breathe easy"},
	{"memory", "dementia", "alzheimer's", "memory cafe"},
	{"lonely", "loneliness", "isolated", "isolation", "befriending"},
	// "befriending" is a volunteer visiting someone lonely, not making
	// friends: it is found from "lonely", not from "friends".
	{"friends", "friendship", "companionship"},
	{"dance", "dancing", "tea dance"},
	{"swim", "swimming", "aquafit"},
	{"cycling", "bike", "bikes", "bicycle"},
	{"painting", "art", "drawing", "arts"},
	{"cooking", "cookery", "cook"},
	{"computer", "computers", "laptop", "tablet", "digital skills", "internet"},
	{"fishing", "angling"},
	{"football", "soccer"},
	{"volunteer", "volunteering", "volunteers"},
	{"bereavement", "bereaved", "grief", "grieving", "widowed", "widow", "widower"},
	{"anxiety", "anxious", "worry", "worried", "panic"},
	{"depression", "depressed", "low mood"},
	{"carer", "carers", "caring", "caregiver", "caregivers"},
	{"veteran", "veterans", "ex-forces", "armed forces", "military"},
	{"church", "faith", "religious", "religion", "spiritual", "worship", "christian", "prayer", "bible"},
	{"alcohol", "drinking", "booze", "alcoholic"},
	{"feelings", "emotions", "emotional"},
	{"bowls", "bowling"},
	{"reading", "books", "book club"},
	{"woodwork", "woodworking", "carpentry"},
	{"pottery", "ceramics", "clay"},
	{"cinema", "film", "films", "movies"},
	{"theatre", "theater", "drama"},
	{"outdoors", "nature", "countryside", "outdoor"},
	{"birdwatching", "birds", "birding"},
	{"blind", "sight loss", "visual impairment", "visually impaired", "partially sighted"},
	{"deaf", "hearing loss", "hard of hearing"},
	{"autism", "autistic"},
	{"english", "esol", "english language"},
	{"job", "jobs", "employment"},
	{"money", "finances", "financial", "budgeting"},
	{"debt", "debts", "arrears"},
	{"housing", "accommodation", "tenancy"},
	{"food bank", "foodbank", "food pantry", "food parcels"},
	{"confidence", "self-esteem"},
	{"men's shed", "mens shed", "men's sheds"},
	{"lunch club", "luncheon club", "community lunch"},
	{"music", "musical", "musicians"},
	{"history", "heritage"},
	{"games", "bingo", "quiz", "board games", "cards"},
}

// ruleOutOnly widen what a rule-out demotes, but are never added to what
// a person asks for: someone who wants help with alcohol does not want
// the pub, someone who wants nothing with alcohol does not want it either.
var ruleOutOnly = [][]string{
	{"alcohol", "pub", "pubs", "bar", "beer", "wine", "brewery"},
	{"religious", "church", "churches", "mosque", "temple", "synagogue", "chapel", "ministry", "gospel"},
	{"feelings", "talking therapy", "talking therapies", "counselling", "counseling", "therapy", "therapies"},
	{"sport", "sports", "competitive"},
}

// synonymIndex is the groups by the analysed form of each member ("choir"
// and "choirs" are one key), built on first use.
type synonymIndex struct {
	groups  map[string][]int // analysed member → groups it is in
	members [][]synonym
}

type synonym struct{ text, key string }

func newSynonymIndex(groups [][]string) *synonymIndex {
	ix := &synonymIndex{groups: map[string][]int{}}
	for gi, g := range groups {
		var ms []synonym
		for _, w := range g {
			key := strings.Join(cachedStems(w), " ")
			if key == "" {
				continue
			}
			ms = append(ms, synonym{text: w, key: key})
			if !containsInt(ix.groups[key], gi) {
				ix.groups[key] = append(ix.groups[key], gi)
			}
		}
		ix.members = append(ix.members, ms)
	}
	return ix
}

var (
	synonyms        = sync.OnceValue(func() *synonymIndex { return newSynonymIndex(synonymGroups) })
	ruleOutSynonyms = sync.OnceValue(func() *synonymIndex {
		return newSynonymIndex(append(append([][]string{}, synonymGroups...), ruleOutOnly...))
	})
)

// of returns the other members of every group the word or phrase is in,
// one per analysed form, leaving out those with the word's own form.
func (ix *synonymIndex) of(word string) []string {
	key := strings.Join(cachedStems(word), " ")
	var out []string
	seen := map[string]bool{key: true}
	for _, gi := range ix.groups[key] {
		for _, m := range ix.members[gi] {
			if !seen[m.key] {
				seen[m.key] = true
				out = append(out, m.text)
			}
		}
	}
	return out
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// expand adds synonyms of the person's words and phrases, and widens the
// rule-outs. Words the person said themselves are not added again.
func (g *goalReading) expand() {
	said := map[string]bool{}
	for _, w := range append(append([]string{}, g.strong...), g.phrases...) {
		said[strings.Join(cachedStems(w), " ")] = true
	}
	for _, w := range append(append([]string{}, g.phrases...), g.strong...) {
		for _, s := range synonyms().of(w) {
			if !said[strings.Join(cachedStems(s), " ")] {
				g.addExpansion(expansion{text: s, from: w})
			}
		}
	}
	for _, w := range append([]string{}, g.excluded...) {
		for _, s := range ruleOutSynonyms().of(w) {
			g.excluded = appendNew(g.excluded, s, maxExcludedWords)
		}
	}
}
