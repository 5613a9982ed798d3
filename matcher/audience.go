package matcher

import "sync"

// Age groups a service may name as its audience.
const (
	groupChild = "child"
	groupYouth = "youth"
	groupAdult = "adult"
	groupOlder = "older"
)

var audienceWords = map[string][]string{
	groupChild: {"child", "children", "kids", "preadolescent", "preadolescent children", "infants", "toddlers",
		"preschool", "primary school", "elementary school", "school age children", "boys and girls"},
	groupYouth: {"youth", "teen", "teens", "teenagers", "adolescent", "adolescents", "young people",
		"young adults", "high school", "juvenile"},
	groupAdult: {"adult", "adults"},
	groupOlder: {"older adult", "older adults", "older people", "senior", "seniors", "elderly", "frail elderly",
		"retired", "retirees", "aged"},
}

// audienceMatcher finds the audience words in analysed text, built on
// first use.
var audienceMatcher = sync.OnceValue(func() *phraseMatcher { return newPhraseMatcher(audienceWords) })

func audienceOf(d *Document) map[string]bool {
	m := audienceMatcher()
	out := map[string]bool{}
	mark := func(group, _ string) { out[group] = true }
	m.match(tokens(d.Name), mark)
	for _, t := range d.Terms {
		m.match(tokens(t.Label), mark)
	}
	return out
}

// ageGroups are the audiences a person of this age belongs to.
func ageGroups(age int) []string {
	switch {
	case age < 13:
		return []string{groupChild}
	case age < 18:
		return []string{groupYouth}
	case age < 25:
		return []string{groupYouth, groupAdult}
	case age < 60:
		return []string{groupAdult}
	default:
		return []string{groupAdult, groupOlder}
	}
}
