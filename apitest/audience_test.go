package apitest

import (
	"encoding/json"
	"slices"
	"testing"
)

const audienceQuery = `query($id: ID!) { service(id: $id) { version audience {
	minimumAge maximumAge gender groups { code label } evidence confirmed } } }`

const setAudience = `mutation($id: ID!, $v: Int!, $in: ServiceAudienceInput!) {
	setServiceAudience(id: $id, version: $v, input: $in) { version audience { minimumAge maximumAge gender groups { code label } confirmed } } }`

type audience struct {
	MinimumAge, MaximumAge *int
	Gender                 *string
	Groups                 []struct{ Code, Label string }
	Evidence               []string
	Confirmed              bool
}

type audienced struct {
	Version  int
	Audience audience
}

func (e *env) audienceOf(id string) audienced {
	e.t.Helper()
	var out struct{ Service audienced }
	e.ok(audienceQuery, map[string]any{"id": id}, &out)
	return out.Service
}

func groupCodes(a audience) []string {
	var out []string
	for _, g := range a.Groups {
		out = append(out, g.Code)
	}
	return out
}

// TestServiceAudienceConfirmedByItsOrganisation: a service shows the
// audience derived from its fields until its organisation answers; then
// the answer, confirmed. Only the service's editors may answer; a bad
// answer names its field and writes nothing; the answer is audited and
// can be cleared.
func TestServiceAudienceConfirmedByItsOrganisation(t *testing.T) {
	f := newFixture(t)
	e := f.e
	before := e.audienceOf(f.svcA)
	if before.Audience.Confirmed || before.Audience.MinimumAge == nil || *before.Audience.MinimumAge != 60 {
		t.Fatalf("derived audience of a service for 60 and over: %+v", before.Audience)
	}
	answer := map[string]any{"minimumAge": 50, "gender": "WOMEN", "groups": []any{"carer", "dementia"}}

	t.Run("another organisation's partner is refused", func(t *testing.T) {
		e.t = t
		f.as("partner B")
		e.fails(setAudience, map[string]any{"id": f.svcA, "v": before.Version, "in": answer}, "FORBIDDEN")
		f.admin()
		if got := e.audienceOf(f.svcA); got.Version != before.Version || got.Audience.Confirmed {
			t.Errorf("a refused answer changed the service: %+v", got)
		}
	})

	t.Run("bad answers name the field and write nothing", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			in    map[string]any
			field string
		}{
			{"unknown group", map[string]any{"groups": []any{"carer", "space-pirates"}}, "input.groups[1]"},
			{"minimum above maximum", map[string]any{"minimumAge": 65, "maximumAge": 18}, "input.minimumAge"},
			{"age over 130", map[string]any{"maximumAge": 131}, "input.maximumAge"},
			{"negative age", map[string]any{"minimumAge": -1}, "input.minimumAge"},
		} {
			e.t = t
			f.as("partner A")
			err := e.fails(setAudience, map[string]any{"id": f.svcA, "v": before.Version, "in": tc.in}, "BAD_USER_INPUT")
			if err.Extensions["field"] != tc.field || !contains(err.Message, tc.field) {
				t.Errorf("%s: field %v, message %q; want %s", tc.name, err.Extensions["field"], err.Message, tc.field)
			}
		}
		f.admin()
		if got := e.audienceOf(f.svcA); got.Version != before.Version || got.Audience.Confirmed {
			t.Errorf("a bad answer changed the service: %+v", got)
		}
	})

	var confirmedVersion int
	t.Run("its own partner confirms it", func(t *testing.T) {
		e.t = t
		f.as("partner A")
		var out struct{ SetServiceAudience audienced }
		e.ok(setAudience, map[string]any{"id": f.svcA, "v": before.Version, "in": answer}, &out)
		got := out.SetServiceAudience
		confirmedVersion = got.Version
		a := got.Audience
		if got.Version != before.Version+1 || !a.Confirmed || a.MinimumAge == nil || *a.MinimumAge != 50 || a.MaximumAge != nil ||
			a.Gender == nil || *a.Gender != "WOMEN" || !slices.Equal(groupCodes(a), []string{"carer", "dementia"}) {
			t.Fatalf("after confirming: %+v", got)
		}
		if a.Groups[1].Label != "living with dementia or memory loss" {
			t.Errorf("the dementia group's label: %q", a.Groups[1].Label)
		}
		f.admin()
		if read := e.audienceOf(f.svcA); !read.Audience.Confirmed || len(read.Audience.Evidence) != 0 {
			t.Errorf("read back: %+v", read)
		}
		// A stale version is a conflict, as for any service edit.
		f.as("partner A")
		e.fails(setAudience, map[string]any{"id": f.svcA, "v": before.Version, "in": answer}, "CONFLICT")
	})

	t.Run("the answer is audited", func(t *testing.T) {
		e.t = t
		f.admin()
		var log struct {
			AuditLog struct {
				Edges []struct {
					Node struct{ Action, ObjectID, Outcome, Reason string }
				}
			}
		}
		e.ok(`{ auditLog(first: 50, filter: {action: "service.edit"}) { edges { node { action objectId outcome reason } } } }`, nil, &log)
		_, uuid, _ := parseGID(f.svcA)
		var allowed, denied bool
		for _, ed := range log.AuditLog.Edges {
			n := ed.Node
			allowed = allowed || n.ObjectID == uuid && n.Outcome == "allowed" && contains(n.Reason, "audience confirmed")
			denied = denied || n.ObjectID == uuid && n.Outcome == "denied"
		}
		if !allowed || !denied {
			t.Errorf("audit trail lacks the confirmation (%v) or partner B's refusal (%v): %+v", allowed, denied, log.AuditLog.Edges)
		}
	})

	t.Run("clearing goes back to the derived audience", func(t *testing.T) {
		e.t = t
		f.as("partner A")
		var out struct{ ClearServiceAudience audienced }
		e.ok(`mutation($id: ID!, $v: Int!) { clearServiceAudience(id: $id, version: $v) { version audience { minimumAge confirmed gender } } }`,
			map[string]any{"id": f.svcA, "v": confirmedVersion}, &out)
		a := out.ClearServiceAudience.Audience
		if a.Confirmed || a.Gender != nil || a.MinimumAge == nil || *a.MinimumAge != 60 {
			t.Errorf("after clearing: %+v", out.ClearServiceAudience)
		}
	})
}

// TestCircumstancesAndProfiles: the vocabulary is public, and a profile's
// circumstances are checked against it, naming the field.
func TestCircumstancesAndProfiles(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	e.cookie = ""
	var vocab struct {
		Circumstances []struct{ Code, Label string }
	}
	e.ok(`{ circumstances { code label } }`, nil, &vocab)
	codes := map[string]string{}
	for _, c := range vocab.Circumstances {
		codes[c.Code] = c.Label
	}
	for _, want := range []string{"dementia", "carer", "veteran", "lgbtq", "refugee-or-asylum-seeker"} {
		if codes[want] == "" {
			t.Errorf("the vocabulary lacks %s: %+v", want, vocab.Circumstances)
		}
	}
	err := e.fails(matchQuery, map[string]any{"p": map[string]any{"needs": []any{"loneliness"}, "gender": "WOMAN",
		"circumstances": []any{"carer", "werewolf"}}, "first": 5}, "BAD_USER_INPUT")
	if err.Extensions["field"] != "profile.circumstances[1]" {
		t.Errorf("an unknown circumstance: field %v, message %q", err.Extensions["field"], err.Message)
	}
	too := make([]any, 21)
	for i := range too {
		too[i] = "carer"
	}
	err = e.fails(matchQuery, map[string]any{"p": map[string]any{"needs": []any{"loneliness"}, "circumstances": too}, "first": 5}, "BAD_USER_INPUT")
	if err.Extensions["field"] != "profile.circumstances" {
		t.Errorf("too many circumstances: field %v, message %q", err.Extensions["field"], err.Message)
	}
	ms := e.match(map[string]any{"needs": []any{"loneliness"}, "gender": "NON_BINARY", "circumstances": []any{"carer"}}, 5)
	if len(ms) == 0 {
		t.Error("a profile with a gender and a circumstance matched nothing in the demo town")
	}
}

// TestServiceAudiencesOfAPageCostTheSameStatements: deriving the audience
// of every service on a page loads their terms together, so a page of one
// and a page of twelve cost the same statements.
func TestServiceAudiencesOfAPageCostTheSameStatements(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	stmts := map[int]int64{}
	for _, n := range []int{1, 12} {
		before := e.queries.n.Load()
		var out struct {
			Services struct {
				Edges []struct {
					Node struct {
						Name     string
						Audience audience
					}
				}
			}
		}
		e.ok(`query($n: Int) { services(first: $n) { edges { node { name audience { minimumAge gender groups { code } evidence confirmed } } } } }`,
			map[string]any{"n": n}, &out)
		stmts[n] = e.queries.n.Load() - before
		if len(out.Services.Edges) != n {
			t.Fatalf("asked for %d services, got %d", n, len(out.Services.Edges))
		}
	}
	t.Logf("statements for a page of 1 and 12 audiences: %v", stmts)
	if stmts[1] != stmts[12] {
		t.Errorf("the audiences' statements grow with the page: %v", stmts)
	}
}

// TestClientGenderAndCircumstancesOverGraphQL: a link worker records a
// client's gender and circumstances, reads them back with their labels,
// gets suggestions from them, and finds them in the subject access
// export; an unknown circumstance names its field.
func TestClientGenderAndCircumstancesOverGraphQL(t *testing.T) {
	f := newFixture(t)
	e := f.e
	f.as("link worker")
	in := clientIn(f.team)
	in["gender"], in["circumstances"] = "WOMAN", []any{"carer", "nonsense"}
	err := e.fails(createClient, map[string]any{"in": in}, "BAD_USER_INPUT")
	if err.Extensions["field"] != "input.circumstances[1]" {
		t.Errorf("an unknown circumstance: field %v, message %q", err.Extensions["field"], err.Message)
	}
	in["circumstances"] = []any{"carer", "sight-loss"}
	var made struct{ CreateClient struct{ ID string } }
	e.ok(createClient, map[string]any{"in": in}, &made)
	var got struct {
		Client struct {
			Gender            *string
			Circumstances     []struct{ Code, Label string }
			SuggestedServices []struct{ Service struct{ ID string } }
		}
		ExportClient string
	}
	e.ok(`query($id: ID!) { client(id: $id) { gender circumstances { code label } suggestedServices(first: 5) { service { id } } }
		exportClient(id: $id) }`, map[string]any{"id": made.CreateClient.ID}, &got)
	c := got.Client
	if c.Gender == nil || *c.Gender != "WOMAN" || len(c.Circumstances) != 2 || c.Circumstances[1].Code != "sight-loss" ||
		c.Circumstances[1].Label != "sight loss or blindness" {
		t.Errorf("client read back: %+v", c)
	}
	var x struct {
		Client struct {
			Gender        string
			Circumstances []string
		}
	}
	if err := json.Unmarshal([]byte(got.ExportClient), &x); err != nil {
		t.Fatal(err)
	}
	if x.Client.Gender != "WOMAN" || !slices.Equal(x.Client.Circumstances, []string{"carer", "sight-loss"}) {
		t.Errorf("the export holds gender %q, circumstances %q", x.Client.Gender, x.Client.Circumstances)
	}
}
