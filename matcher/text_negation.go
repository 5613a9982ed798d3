package matcher

import "strings"

// ruleOutTriggers open a rule-out: the content words after one, to the end
// of its clause, are what the person does not want. Bare "not" and "no"
// are triggers only where they cannot be a statement: "I have no friends
// nearby" and "I'm not sleeping" say what is wrong, "not singing please"
// what to avoid (see placedTrigger); "can't" only before an activity. Nor are "avoid" ("avoid
// falls" is a reason to go to falls prevention) and "can't stand" ("for
// long").
var ruleOutTriggers = func() [][]string {
	var out [][]string
	for _, p := range strings.Split(`don't want|do not want|dont want|doesn't want|does not want|didn't want|
		wouldn't want|would not want|not wanting|don't like|do not like|dont like|doesn't like|don't enjoy|
		don't fancy|do not fancy|not into|not interested in|not keen on|not a fan of|rather not|prefer not|
		would rather not|nothing with|nothing involving|nothing about|nothing to do with|nothing that involves|
		nothing|not a|not an|not the|not any|not in|not on|not over|not by|not online|not religious|
		without|hate|anything but|no|can't|cannot|can not|cant|not`, "|") {
		out = append(out, strings.Fields(p))
	}
	return out
}()

// stateVerbs after "don't want to" say how the person feels, not what
// they rule out: "I don't want to be lonely", "to sit at home".
var stateVerbs = map[string]bool{"be": true, "feel": true, "stay": true, "sit": true, "spend": true, "end": true,
	"keep": true, "become": true, "lose": true, "carry": true, "live": true, "burden": true, "bother": true,
	"rely": true, "depend": true, "worry": true, "struggle": true, "waste": true, "let": true, "miss": true,
	"give": true, "have": true, "get": true}

// stateIng right after a trigger say how the person feels: "I hate being
// alone".
var stateIng = map[string]bool{"being": true, "feeling": true, "sitting": true, "staying": true,
	"spending": true, "living": true}

// notRuleOut are words after "no" or "nothing" that make it a statement,
// not a rule-out: "no one to talk to", "no longer drive", "nothing to do".
var notRuleOut = map[string]bool{"one": true, "longer": true, "idea": true, "matter": true, "way": true,
	"body": true, "friends": true, "family": true, "energy": true, "confidence": true, "motivation": true,
	"money": true, "car": true, "transport": true, "to": true, "much": true, "is": true, "seems": true,
	"at": true, "else": true, "really": true, "works": true, "helps": true, "left": true, "interest": true, "more": true}

// statementBefore are words before "no" that make it a lack ("I have no
// one"), not a rule-out.
var statementBefore = map[string]bool{"have": true, "has": true, "had": true, "got": true, "with": true,
	"there's": true, "is": true, "are": true, "was": true, "i've": true, "ive": true, "i'm": true, "im": true,
	"am": true, "been": true, "live": true, "living": true, "left": true}

// clauseEnders end a rule-out's reach.
var clauseEnders = map[string]bool{"but": true, "though": true, "although": true, "however": true,
	"instead": true, "rather": true, "prefer": true, "preferably": true, "ideally": true, "just": true,
	"because": true, "as": true, "so": true, "unless": true, "except": true, "i": true, "i'd": true,
	"i'm": true, "i'll": true, "i've": true, "we'd": true, "would": true, "want": true, "like": true,
	"love": true, "more": true, "something": true, "somewhere": true, "while": true, "then": true}

// canNotActivities after "can't" rule an activity out: "I can't sing". Any
// other word says what is wrong ("can't sleep", "can't afford it", "can't
// read" is a reason for a literacy class); "can't walk far" is an idiom
// read before rule-outs (mobility).
var canNotActivities = map[string]bool{"sing": true, "dance": true, "swim": true, "run": true, "jog": true,
	"paint": true, "draw": true, "knit": true, "sew": true, "cook": true, "bake": true, "cycle": true,
	"ride": true, "climb": true, "act": true}

// notIngStatements after a bare "not" say what is wrong, not what to
// avoid: "not sleeping", "not going out", "not coping".
var notIngStatements = map[string]bool{"going": true, "getting": true, "doing": true, "working": true,
	"sleeping": true, "eating": true, "coping": true, "managing": true, "coming": true, "having": true,
	"seeing": true, "looking": true, "knowing": true, "being": true, "feeling": true, "sitting": true,
	"staying": true, "spending": true, "living": true, "drinking": true}

// notIngBefore may stand before "not <verb-ing>" as a rule-out: "walking,
// but not singing"; "I'm not sleeping" and "I'm really not enjoying life"
// are statements.
var notIngBefore = map[string]bool{"and": true, "but": true, "definitely": true, "certainly": true,
	"absolutely": true, "please": true}

// maxRuleOutWords bounds a rule-out's reach in words.
const maxRuleOutWords = 8

// remoteWords ruled out mean the person wants to meet in person; they are
// mapped onto the profile (AcceptsRemote=false) rather than searched for.
var remoteWords = map[string]bool{"online": true, "virtual": true, "virtually": true, "zoom": true,
	"video": true, "remote": true, "remotely": true, "internet": true, "phone": true, "telephone": true,
	"calls": true, "teams": true, "computer": true, "screen": true}

// applyRuleOuts finds rule-outs, marks their words as taken and keeps
// their content words as excluded.
func (g *goalReading) applyRuleOuts(items []item) {
	for i := 0; i < len(items); i++ {
		n := ruleOutAt(items, i)
		if n == 0 {
			continue
		}
		end := i + n
		// "don't want to be lonely", "hate being alone": a feeling, not a
		// rule-out.
		if end+1 < len(items) && items[end].word == "to" && stateVerbs[items[end+1].word] ||
			end < len(items) && stateIng[items[end].word] {
			i = end
			continue
		}
		var said, words []string
		for j := i; j < end; j++ {
			said = append(said, items[j].word)
		}
		k := end
		for ; k < len(items) && k < end+maxRuleOutWords && !items[k].brk && !items[k].taken; k++ {
			w := items[k].word
			if clauseEnders[w] || w == "and" && k+1 < len(items) && clauseEnders[items[k+1].word] {
				break
			}
			said = append(said, w)
			if wordKind(w) == wordContent {
				words = append(words, w)
			}
		}
		// Whatever is ruled out is not searched for, even a broad word ("no
		// groups"); only content words are specific enough to demote by.
		for j := i; j < k; j++ {
			items[j].taken = true
		}
		if len(words) == 0 {
			i = k - 1
			continue
		}
		g.ruledOut = appendNew(g.ruledOut, strings.Join(said, " "), 4)
		for _, w := range words {
			if remoteWords[w] {
				if !g.noRemote {
					g.noRemote, g.remoteSaid = true, strings.Join(said, " ")
				}
				continue
			}
			g.excluded = appendNew(g.excluded, w, maxExcludedWords)
		}
		i = k - 1
	}
}

// ruleOutAt returns how many words a trigger at i covers, or 0.
func ruleOutAt(items []item, i int) int {
	if items[i].brk || items[i].taken {
		return 0
	}
	for _, t := range ruleOutTriggers {
		n := matchWords(t, items[i:])
		if n == 0 {
			continue
		}
		last := t[len(t)-1]
		if !placedTrigger(t, items, i, n) {
			return 0
		}
		if last == "no" || last == "nothing" || last == "without" {
			if i > 0 && statementBefore[items[i-1].word] || i+n < len(items) && notRuleOut[items[i+n].word] {
				return 0
			}
		}
		// "not in the mood", "not on my own": only a handful of words
		// after these rule something out.
		if (t[0] == "not" && len(t) == 2 && (last == "in" || last == "on" || last == "over" || last == "by")) &&
			(i+n >= len(items) || !remoteAfter(items[i+n:])) {
			return 0
		}
		return n
	}
	return 0
}

// placedTrigger checks the triggers that rule out only in some places:
// "can't" before an activity, and a bare "not" before an activity in
// "-ing" at the start of a clause ("not singing please").
func placedTrigger(t []string, items []item, i, n int) bool {
	next := ""
	if i+n < len(items) && !items[i+n].brk {
		next = items[i+n].word
	}
	switch {
	case len(t) == 1 && t[0] == "not":
		startsClause := i == 0 || items[i-1].brk || notIngBefore[items[i-1].word]
		return startsClause && len(next) > 5 && strings.HasSuffix(next, "ing") && !notIngStatements[next]
	case t[0] == "can't" || t[0] == "cannot" || t[0] == "cant" || t[0] == "can" && len(t) == 2:
		return canNotActivities[next]
	}
	return true
}

// remoteAfter reports whether the words start with a way of meeting from
// home ("zoom", "the phone").
func remoteAfter(items []item) bool {
	for k := 0; k < len(items) && k < 2 && !items[k].brk; k++ {
		if remoteWords[items[k].word] {
			return true
		}
	}
	return false
}

func matchWords(words []string, items []item) int {
	if len(words) > len(items) {
		return 0
	}
	for j, w := range words {
		if items[j].brk || items[j].taken || items[j].word != w {
			return 0
		}
	}
	return len(words)
}
