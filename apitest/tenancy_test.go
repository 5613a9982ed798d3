package apitest

import (
	"fmt"
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
					"node(id)":                  `query($id: ID!) { node(id: $id) { id __typename } }`,
					"referral(id).history":      `query($id: ID!) { referral(id: $id) { history { reason } } }`,
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
