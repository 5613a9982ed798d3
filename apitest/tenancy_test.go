package apitest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// draftReferral creates a client and a referral to partner A's service that
// is not sent; withdrawn also withdraws it, as a link worker may. The
// message is unique, so that a response leaking it can be spotted.
func (f *fixture) draftReferral(withdrawn bool) (id, message string) {
	client := f.newClient()
	message = fmt.Sprintf("never sent %d: Ruth's phone is 07700 900123", serialN())
	var out struct {
		CreateReferral struct {
			ID      string
			Version int
		}
	}
	f.e.ok(`mutation($c: ID!, $s: ID!, $m: String) { createReferral(input: {clientId: $c, serviceId: $s, message: $m, send: false}) { id version } }`,
		map[string]any{"c": client, "s": f.svcA, "m": message}, &out)
	if withdrawn {
		f.e.ok(`mutation($id: ID!, $v: Int!) { moveReferral(id: $id, version: $v, to: WITHDRAWN) { id } }`,
			map[string]any{"id": out.CreateReferral.ID, "v": out.CreateReferral.Version}, nil)
	}
	return out.CreateReferral.ID, message
}

// partnerToken issues an API token of partner A and returns its secret.
func (f *fixture) partnerToken() string {
	f.admin()
	var tok struct{ CreateApiToken struct{ Secret string } }
	f.e.ok(`mutation($o: ID!) { createApiToken(organisationId: $o, name: "CRM") { secret } }`, map[string]any{"o": f.orgA}, &tok)
	return tok.CreateApiToken.Secret
}

// TestNeverSentReferralsStayWithTheTeam: a referral that was never sent (a
// draft, or a draft withdrawn) reads as not there to the organisation it
// names, by account and by API token, on every path that reads referrals;
// one sent and then withdrawn stays visible to it.
func TestNeverSentReferralsStayWithTheTeam(t *testing.T) {
	f := newFixture(t)
	e := f.e
	token := f.partnerToken()
	asPartnerA := map[string]func(){
		"partner A's account": func() { f.as("partner A") },
		"partner A's token":   func() { e.cookie, e.bearer = "", token },
	}
	for _, withdrawn := range []bool{false, true} {
		kind := map[bool]string{false: "draft", true: "withdrawn draft"}[withdrawn]
		f.as("link worker")
		id, message := f.draftReferral(withdrawn)
		for who, become := range asPartnerA {
			t.Run(kind+" as "+who, func(t *testing.T) {
				become()
				reads := map[string]string{
					"incomingReferrals":         `{ incomingReferrals(first: 100) { edges { node { id message person { firstName phone } } } } }`,
					"incomingReferrals(status)": `{ incomingReferrals(first: 100, status: [DRAFT, WITHDRAWN]) { edges { node { id message } } } }`,
					"referral(id)":              `query($id: ID!) { referral(id: $id) { id message person { firstName lastName phone postcode linkWorkerEmail } } }`,
					"referral(id).history":      `query($id: ID!) { referral(id: $id) { id message history { reason } } }`,
				}
				for name, q := range reads {
					r := e.do(q, map[string]any{"id": id})
					if len(r.Errors) > 0 {
						t.Errorf("%s: %+v", name, r.Errors)
					}
					if raw := string(r.Data); strings.Contains(raw, id) || strings.Contains(raw, "never sent") {
						t.Errorf("%s shows the referral that was never sent: %s", name, raw)
					}
				}
				// Answering it: as if it did not exist.
				for _, to := range []string{"ACCEPTED", "DECLINED", "ATTENDED", "DID_NOT_ATTEND", "COMPLETED"} {
					for v := 1; v <= 2; v++ {
						r := e.do(`mutation($id: ID!, $v: Int!, $to: ReferralStatus!) { moveReferral(id: $id, version: $v, to: $to, reason: "full") { id message } }`,
							map[string]any{"id": id, "v": v, "to": to})
						if code := errorCode(r); code != "NOT_FOUND" || strings.Contains(r.Errors[0].Message, message) {
							t.Errorf("moving it to %s at version %d: %s %+v", to, v, code, r.Errors)
						}
					}
				}
			})
		}
		// The team still sees it.
		f.as("link worker")
		var got struct{ Referral *struct{ Message string } }
		e.ok(`query($id: ID!) { referral(id: $id) { message } }`, map[string]any{"id": id}, &got)
		if got.Referral == nil || got.Referral.Message != message {
			t.Errorf("the link worker lost the %s: %+v", kind, got.Referral)
		}
	}

	// Sent and then withdrawn: it reached partner A, who keeps seeing it.
	_, sent, v := f.sentReferral()
	e.ok(`mutation($id: ID!, $v: Int!) { moveReferral(id: $id, version: $v, to: WITHDRAWN) { id } }`, map[string]any{"id": sent, "v": v}, nil)
	for who, become := range asPartnerA {
		become()
		var one struct{ Referral *struct{ ID, Status string } }
		e.ok(`query($id: ID!) { referral(id: $id) { id status } }`, map[string]any{"id": sent}, &one)
		if one.Referral == nil || one.Referral.Status != "WITHDRAWN" {
			t.Errorf("%s cannot see a referral sent to it and then withdrawn: %+v", who, one.Referral)
		}
		var in struct {
			IncomingReferrals struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		e.ok(`{ incomingReferrals(status: [WITHDRAWN]) { edges { node { id } } } }`, nil, &in)
		if len(in.IncomingReferrals.Edges) != 1 || in.IncomingReferrals.Edges[0].Node.ID != sent {
			t.Errorf("%s's withdrawn referrals: %+v", who, in.IncomingReferrals.Edges)
		}
	}
}

// errorCode is the code of a response's first error, "OK" when none.
func errorCode(r gqlResponse) string {
	if len(r.Errors) == 0 {
		return "OK"
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code
}

// serviceOfB creates a service of partner B's organisation as an
// administrator, at a new location or an existing one, returning the
// service's id, its version and its location's id.
func (f *fixture) serviceOfB(name string, locationID string) (svc string, version int, location string) {
	f.admin()
	in := validService()
	in["name"] = name
	if locationID != "" {
		in["locations"] = []any{map[string]any{"locationId": locationID}}
	} else {
		in["locations"] = []any{map[string]any{"location": map[string]any{"name": "B's Hall", "address1": "1 Hall Lane",
			"postcode": "NE46 1BG", "latitude": 54.96845, "longitude": -2.10096}}}
	}
	var out struct{ CreateService service }
	f.e.ok(createService, map[string]any{"org": f.orgB, "in": in}, &out)
	s := out.CreateService
	return s.ID, s.Version, s.Locations[0].Location.ID
}

// locationName reads a location's name as anyone may.
func (f *fixture) locationName(id string) string {
	var out struct{ Node struct{ Name string } }
	f.e.ok(`query($id: ID!) { node(id: $id) { ... on Location { name } } }`, map[string]any{"id": id}, &out)
	return out.Node.Name
}

// TestAnotherOrganisationsLocationIsNotThere: a service lists, and its
// editors change, only its own organisation's locations; another's reads as
// not there, to partners and administrators alike, and nothing is written.
func TestAnotherOrganisationsLocationIsNotThere(t *testing.T) {
	f := newFixture(t)
	e := f.e
	_, _, hall := f.serviceOfB("B's Lunch Club", "")
	take := func(edit bool) map[string]any {
		in := validService()
		l := map[string]any{"locationId": hall}
		if edit {
			l["location"] = map[string]any{"name": "A's text now", "postcode": "NE46 1BG"}
		}
		in["locations"] = []any{l}
		return in
	}
	for _, who := range []string{"partner A", "admin"} {
		for _, edit := range []bool{false, true} {
			for _, op := range []string{"createService", "updateService"} {
				name := fmt.Sprintf("%s %s, editing %v", who, op, edit)
				f.admin()
				vars := map[string]any{"org": f.orgA, "in": take(edit)}
				q := createService
				if op == "updateService" {
					q, vars = updateService, map[string]any{"id": f.svcA, "v": version(f, f.svcA), "in": take(edit)}
				}
				before := e.counts()
				f.as(who)
				r := e.do(q, vars)
				if code := errorCode(r); code != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.locations[0].locationId" ||
					!strings.Contains(r.Errors[0].Message, "no location has this id") {
					t.Errorf("%s: %s %+v", name, code, r.Errors)
				}
				f.admin()
				if after := e.counts(); !sameCounts(before, after) {
					t.Errorf("%s wrote something: %v → %v", name, before, after)
				}
				if n := f.locationName(hall); n != "B's Hall" {
					t.Errorf("%s: B's location is now called %q", name, n)
				}
			}
		}
	}
}

// TestChangingALocationReindexesEveryServiceThere: when partner B moves its
// hall, every service held there is re-indexed, not only the one edited.
func TestChangingALocationReindexesEveryServiceThere(t *testing.T) {
	f := newFixture(t)
	e := f.e
	club, v, hall := f.serviceOfB("B's Lunch Club", "")
	choir, _, _ := f.serviceOfB("B's Choir", hall)
	// Both are near Hexham.
	near := func(lat, lon float64) []string {
		e.synced()
		var out struct {
			MatchServices []struct{ Service struct{ ID string } }
		}
		e.ok(`query($p: MatchProfileInput!) { matchServices(profile: $p, first: 50) { service { id } } }`, map[string]any{"p": map[string]any{
			"needs": []string{"loneliness"}, "location": map[string]any{"latitude": lat, "longitude": lon},
			"maxDistanceKm": 2, "acceptsRemote": false}}, &out)
		var ids []string
		for _, m := range out.MatchServices {
			ids = append(ids, m.Service.ID)
		}
		return ids
	}
	if ids := near(54.96845, -2.10096); !slices.Contains(ids, choir) {
		t.Fatalf("the choir is not found at the hall: %v", ids)
	}
	// Partner B moves the hall to Newcastle through the lunch club.
	in := validService()
	in["name"] = "B's Lunch Club"
	in["locations"] = []any{map[string]any{"locationId": hall, "location": map[string]any{"name": "B's Hall",
		"postcode": "NE1 4ST", "latitude": 54.9738, "longitude": -1.6132}}}
	f.as("partner B")
	e.ok(updateService, map[string]any{"id": club, "v": v, "in": in}, nil)
	f.admin()
	if ids := near(54.9738, -1.6132); !slices.Contains(ids, choir) || !slices.Contains(ids, club) {
		t.Errorf("after the move, the services at the hall are not found there: %v (choir %s, club %s)", ids, choir, club)
	}
	if ids := near(54.96845, -2.10096); slices.Contains(ids, choir) {
		t.Errorf("the choir is still found at the hall's old place: %v", ids)
	}
}
