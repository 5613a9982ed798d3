package graph

import (
	"testing"

	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/matcher"
)

// TestAudienceReasonsHaveAKind: the matcher's AUDIENCE reasons reach the
// API as a kind it declares, as the reasons resolver casts them.
func TestAudienceReasonsHaveAKind(t *testing.T) {
	if k := model.MatchReasonKind(matcher.ReasonKind("AUDIENCE")); !k.IsValid() || k != model.MatchReasonKindAudience {
		t.Errorf("AUDIENCE is not a MatchReasonKind: %q", k)
	}
}

// TestAudienceOf: a derived audience's genders and groups are named for
// people, unknown codes are left out, and evidence is never null.
func TestAudienceOf(t *testing.T) {
	a := audienceOf(matcher.Audience{Gender: matcher.GenderMen, Groups: []string{"veteran", "no-such-group"}}, false)
	if a.Gender == nil || *a.Gender != model.AudienceGenderMen || len(a.Groups) != 1 ||
		a.Groups[0].Label != matcher.CircumstanceLabel("veteran") || a.Evidence == nil || a.Confirmed {
		t.Errorf("audienceOf = %+v", a)
	}
	if a := audienceOf(matcher.Audience{}, true); a.Gender != nil || len(a.Groups) != 0 || !a.Confirmed {
		t.Errorf("an audience for everyone = %+v", a)
	}
}

// TestAudienceGroupsExclude: groups hide a service from people outside
// them only on strong evidence; a soft, derived audience does not, and an
// audience without groups excludes no one.
func TestAudienceGroupsExclude(t *testing.T) {
	for _, c := range []struct {
		a         matcher.Audience
		confirmed bool
		want      bool
	}{
		{matcher.Audience{Groups: []string{"dementia"}}, false, true},
		{matcher.Audience{Groups: []string{"dementia"}, Soft: true}, false, false},
		{matcher.Audience{Groups: []string{"dementia"}}, true, true},
		{matcher.Audience{Gender: matcher.GenderWomen}, false, false},
	} {
		if got := audienceOf(c.a, c.confirmed).GroupsExclude; got != c.want {
			t.Errorf("audienceOf(%+v, confirmed %v).GroupsExclude = %v, want %v", c.a, c.confirmed, got, c.want)
		}
	}
}
