package apitest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/signpost/signpost/seed"
)

// teamOnly: link workers of the client's team. Administrators are refused
// (they read clients with a reason but do not edit them); partners are not
// staff.
var teamOnly = map[string]string{"anonymous": unauth, "link worker": ok, "partner A": forb, "partner B": forb,
	"admin": forb, "revoked token": unauth, "expired session": unauth}

const createClient = `mutation($in: ClientInput!) { createClient(input: $in) { id version firstName } }`

func clientIn(team string) map[string]any {
	return map[string]any{"teamId": team, "firstName": "Ruth", "lastName": "Okafor", "dateOfBirth": "1961-07-02",
		"nhsNumber": "943 476 5919", "phone": "07700 900123", "referralSource": "GP_PRACTICE",
		"referralDetail": "Burn Lane Medical Practice", "consentToHold": true,
		"needs": []map[string]any{{"need": "loneliness", "priority": 1}}}
}

// newClient creates a client of the fixture's team as its link worker.
func (f *fixture) newClient() string {
	f.as("link worker")
	var out struct{ CreateClient struct{ ID string } }
	f.e.ok(createClient, map[string]any{"in": clientIn(f.team)}, &out)
	return out.CreateClient.ID
}

// sentReferral creates a client and sends a referral to partner A's service.
func (f *fixture) sentReferral() (client, referral string, version int) {
	client = f.newClient()
	var out struct {
		CreateReferral struct {
			ID      string
			Version int
		}
	}
	f.e.ok(`mutation($c: ID!, $s: ID!) { createReferral(input: {clientId: $c, serviceId: $s, message: "Ruth would like company", send: true}) { id version } }`,
		map[string]any{"c": client, "s": f.svcA}, &out)
	return client, out.CreateReferral.ID, out.CreateReferral.Version
}

func caseworkMatrix() map[string]op {
	clientOp := func(q string, extra func(f *fixture, id string) map[string]any) func(f *fixture) (string, map[string]any) {
		return func(f *fixture) (string, map[string]any) {
			id := f.newClient()
			vars := map[string]any{"id": id}
			if extra != nil {
				for k, v := range extra(f, id) {
					vars[k] = v
				}
			}
			return q, vars
		}
	}
	return map[string]op{
		"createClient": {func(f *fixture) (string, map[string]any) {
			return createClient, map[string]any{"in": clientIn(f.team)}
		}, teamOnly},
		"updateClient": {clientOp(`mutation($id: ID!, $in: ClientInput!) { updateClient(id: $id, version: 1, input: $in) { id } }`,
			func(f *fixture, _ string) map[string]any { return map[string]any{"in": clientIn(f.team)} }), teamOnly},
		"setClientStatus": {clientOp(`mutation($id: ID!) { setClientStatus(id: $id, version: 1, status: ON_HOLD) { id } }`, nil), teamOnly},
		"addGoal":         {clientOp(`mutation($id: ID!) { addGoal(clientId: $id, input: {text: "Get out of the house twice a week", needs: ["loneliness"]}) { id } }`, nil), teamOnly},
		"updateGoal": {func(f *fixture) (string, map[string]any) {
			id := f.newClient()
			var out struct{ AddGoal struct{ ID string } }
			f.e.ok(`mutation($id: ID!) { addGoal(clientId: $id, input: {text: "Sleep better"}) { id } }`, map[string]any{"id": id}, &out)
			return `mutation($id: ID!) { updateGoal(id: $id, version: 1, input: {text: "Sleep better", progress: 4}) { id } }`,
				map[string]any{"id": out.AddGoal.ID}
		}, teamOnly},
		"recordSession": {clientOp(`mutation($id: ID!) { recordSession(clientId: $id, input: {date: "2026-11-02", kind: TELEPHONE}) { id } }`, nil), teamOnly},
		"updateSession": {func(f *fixture) (string, map[string]any) {
			id := f.newClient()
			var out struct{ RecordSession struct{ ID string } }
			f.e.ok(`mutation($id: ID!) { recordSession(clientId: $id, input: {date: "2026-11-02", kind: VIDEO}) { id } }`, map[string]any{"id": id}, &out)
			return `mutation($id: ID!) { updateSession(id: $id, version: 1, input: {date: "2026-11-02", kind: VIDEO, attended: true}) { id } }`,
				map[string]any{"id": out.RecordSession.ID}
		}, teamOnly},
		"recordOutcome": {clientOp(`mutation($id: ID!) { recordOutcome(clientId: $id, input: {instrument: SWEMWBS, kind: BASELINE, date: "2026-11-02", scores: [2,3,2,3,2,3,2]}) { id } }`, nil), teamOnly},
		"createReferral": {func(f *fixture) (string, map[string]any) {
			return `mutation($c: ID!, $s: ID!) { createReferral(input: {clientId: $c, serviceId: $s}) { id } }`,
				map[string]any{"c": f.newClient(), "s": f.svcA}
		}, teamOnly},
		// Answering is the receiving organisation's: partner B cannot see
		// the referral; the link worker is on the wrong side of the move.
		"moveReferral": {func(f *fixture) (string, map[string]any) {
			_, r, v := f.sentReferral()
			return `mutation($id: ID!, $v: Int!) { moveReferral(id: $id, version: $v, to: ACCEPTED) { id status } }`,
				map[string]any{"id": r, "v": v}
		}, map[string]string{"anonymous": unauth, "link worker": forb, "partner A": ok, "partner B": nf,
			"admin": forb, "revoked token": unauth, "expired session": unauth}},
		"clients": {func(f *fixture) (string, map[string]any) {
			return `{ clients(first: 5) { edges { node { id } } } }`, nil
		}, map[string]string{"anonymous": unauth, "link worker": ok, "partner A": forb, "partner B": forb,
			"admin": forb, "revoked token": unauth, "expired session": unauth}},
		"client": {clientOp(`query($id: ID!) { client(id: $id) { id firstName } }`, nil), teamOnly},
		// Partner B and others who may not see it get null (tested below).
		"referral": {func(f *fixture) (string, map[string]any) {
			_, r, _ := f.sentReferral()
			return `query($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": r}
		}, map[string]string{"anonymous": unauth, "link worker": ok, "partner A": ok, "partner B": ok,
			"admin": forb, "revoked token": unauth, "expired session": unauth}},
		"exportClient": {clientOp(`query($id: ID!) { exportClient(id: $id) }`, nil), teamOnly},
		// An administrator (the data protection officer) may act on an
		// erasure request; the reason is required of everyone.
		"eraseClient": {clientOp(`mutation($id: ID!) { eraseClient(id: $id, reason: "asked by phone") { id } }`, nil),
			map[string]string{"anonymous": unauth, "link worker": ok, "partner A": forb, "partner B": forb,
				"admin": ok, "revoked token": unauth, "expired session": unauth}},
		"caseworkReport": {func(f *fixture) (string, map[string]any) {
			f.sentReferral()
			return `{ caseworkReport { clientsReferred services { serviceName sent acceptanceRate } } }`, nil
		}, map[string]string{"anonymous": unauth, "link worker": ok, "partner A": forb, "partner B": forb,
			"admin": ok, "revoked token": unauth, "expired session": unauth}},
		"incomingReferrals": {func(f *fixture) (string, map[string]any) {
			return `{ incomingReferrals { edges { node { id } } } }`, nil
		}, map[string]string{"anonymous": unauth, "link worker": forb, "partner A": ok, "partner B": ok,
			"admin": forb, "revoked token": unauth, "expired session": unauth}},
	}
}

// TestCaseworkThroughTheAPI follows a client from first meeting to a
// completed referral, as the link worker and the receiving partner see it.
// step runs one step of a story told through the API as a subtest: the
// environment reports through the subtest while it runs. Steps share the
// story's state, so they run in order.
func (e *env) step(t *testing.T, name string, fn func(t *testing.T)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		parent := e.t
		e.t = t
		defer func() { e.t = parent }()
		fn(t)
	})
}

func TestCaseworkThroughTheAPI(t *testing.T) {
	f := newFixture(t)
	client, ref, v := f.sentReferral()

	f.e.step(t, "the link worker sees the whole record", func(t *testing.T) { linkWorkerSeesTheRecord(t, f, client) })
	f.e.step(t, "partners see only what is theirs", func(t *testing.T) { partnersSeeTheirShare(t, f, client, ref) })
	f.e.step(t, "a referral moves and keeps its history", func(t *testing.T) { v = referralMoves(t, f, ref, v) })
	f.e.step(t, "validation names the field and writes nothing", func(t *testing.T) { invalidClientIsNotWritten(t, f) })
	f.e.step(t, "outcomes show the change from baseline", func(t *testing.T) { outcomesShowChange(t, f, client) })
	f.e.step(t, "suggestions leave out services referred to", func(t *testing.T) { suggestionsFromTheRecord(t, f, client) })
	f.e.step(t, "the subject access export holds the record and its audit", func(t *testing.T) { exportHoldsTheRecord(t, f, client) })
}

func linkWorkerSeesTheRecord(t *testing.T, f *fixture, client string) {
	var got struct {
		Client struct {
			FirstName, NhsNumber string
			Age                  int
			Needs                []struct {
				Need     string
				Priority int
			}
			Referrals []struct{ ID, Status string }
		}
	}
	f.as("link worker")
	f.e.ok(`query($id: ID!) { client(id: $id) { firstName nhsNumber age needs { need priority } referrals { id status } } }`,
		map[string]any{"id": client}, &got)
	c := got.Client
	if c.FirstName != "Ruth" || c.NhsNumber != "943 476 5919" || c.Age < 65 || len(c.Needs) != 1 ||
		len(c.Referrals) != 1 || c.Referrals[0].Status != "SENT" {
		t.Errorf("link worker's view: %+v", c)
	}
}

func partnersSeeTheirShare(t *testing.T, f *fixture, client, ref string) {
	e := f.e
	// Partner A sees the referral with only a first name (no consent to share).
	f.as("partner A")
	var in struct {
		IncomingReferrals struct {
			Edges []struct {
				Node struct {
					ID, Status, Message string
					Person              struct {
						FirstName, LastName, Phone string
						LinkWorkerEmail            string
					}
				}
			}
		}
	}
	e.ok(`{ incomingReferrals(status: [SENT]) { edges { node { id status message person { firstName lastName phone linkWorkerEmail } } } } }`, nil, &in)
	if len(in.IncomingReferrals.Edges) != 1 {
		t.Fatalf("partner A has %d incoming referrals", len(in.IncomingReferrals.Edges))
	}
	p := in.IncomingReferrals.Edges[0].Node
	if p.ID != ref || p.Person.FirstName != "Ruth" || p.Person.LastName != "" || p.Person.Phone != "" ||
		p.Person.LinkWorkerEmail != "lw@test.example" {
		t.Errorf("partner A's view: %+v", p)
	}
	// Partner A cannot open the client record at all.
	e.fails(`query($id: ID!) { client(id: $id) { id } }`, map[string]any{"id": client}, "FORBIDDEN")

	// Partner B sees nothing of it.
	f.as("partner B")
	var none struct{ Referral *struct{ ID string } }
	e.ok(`query($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": ref}, &none)
	if none.Referral != nil {
		t.Error("partner B can read partner A's referral")
	}
}

// referralMoves takes the sent referral at version v to COMPLETED and
// returns its new version.
func referralMoves(t *testing.T, f *fixture, ref string, v int) int {
	e := f.e
	// Declining needs a reason, named as the field.
	f.as("partner A")
	if err := e.fails(`mutation($id: ID!, $v: Int!) { moveReferral(id: $id, version: $v, to: DECLINED) { id } }`,
		map[string]any{"id": ref, "v": v}, "BAD_USER_INPUT"); err.Extensions["field"] != "reason" {
		t.Errorf("decline without reason: %+v", err)
	}
	for _, to := range []string{"ACCEPTED", "ATTENDED", "COMPLETED"} {
		var out struct{ MoveReferral struct{ Version int } }
		e.ok(`mutation($id: ID!, $v: Int!, $to: ReferralStatus!) { moveReferral(id: $id, version: $v, to: $to, reason: "ok") { version } }`,
			map[string]any{"id": ref, "v": v, "to": to}, &out)
		v = out.MoveReferral.Version
	}
	// A stale version is a conflict.
	e.fails(`mutation($id: ID!) { moveReferral(id: $id, version: 1, to: WITHDRAWN) { id } }`, map[string]any{"id": ref}, "CONFLICT")

	f.as("link worker")
	var hist struct {
		Referral struct {
			Status  string
			History []struct{ From, To, By string }
		}
	}
	e.ok(`query($id: ID!) { referral(id: $id) { status history { from to by } } }`, map[string]any{"id": ref}, &hist)
	var moves []string
	for _, h := range hist.Referral.History {
		moves = append(moves, h.From+">"+h.To+" by "+h.By)
	}
	want := "DRAFT>SENT by lw@test.example, SENT>ACCEPTED by pa@test.example, ACCEPTED>ATTENDED by pa@test.example, ATTENDED>COMPLETED by pa@test.example"
	if hist.Referral.Status != "COMPLETED" || strings.Join(moves, ", ") != want {
		t.Errorf("history: %s %v", hist.Referral.Status, moves)
	}
	return v
}

func invalidClientIsNotWritten(t *testing.T, f *fixture) {
	e := f.e
	f.as("link worker")
	in := clientIn(f.team)
	in["nhsNumber"] = "943 476 5918"
	if err := e.fails(createClient, map[string]any{"in": in}, "BAD_USER_INPUT"); err.Extensions["field"] != "input.nhsNumber" {
		t.Errorf("bad NHS number: %+v", err)
	}
	var list struct {
		Clients struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	e.ok(`{ clients { edges { node { id } } } }`, nil, &list)
	if len(list.Clients.Edges) != 1 {
		t.Errorf("the link worker's team has %d clients, want 1", len(list.Clients.Edges))
	}
}

func outcomesShowChange(t *testing.T, f *fixture, client string) {
	e := f.e
	f.as("link worker")
	for _, m := range []string{`{instrument: SWEMWBS, kind: BASELINE, date: "2026-09-01", scores: [2,2,2,2,2,2,2]}`,
		`{instrument: SWEMWBS, kind: FINAL, date: "2026-11-01", scores: [3,3,3,3,3,3,4]}`} {
		e.ok(`mutation($id: ID!) { recordOutcome(clientId: $id, input: `+m+`) { id } }`, map[string]any{"id": client}, nil)
	}
	var wc struct {
		Client struct {
			WellbeingChange []struct {
				Instrument  string
				TotalChange int
				ItemChanges []int
			}
		}
	}
	e.ok(`query($id: ID!) { client(id: $id) { wellbeingChange { instrument totalChange itemChanges } } }`, map[string]any{"id": client}, &wc)
	if len(wc.Client.WellbeingChange) != 1 || wc.Client.WellbeingChange[0].TotalChange != 8 {
		t.Errorf("wellbeing change: %+v", wc.Client.WellbeingChange)
	}
}

func suggestionsFromTheRecord(t *testing.T, f *fixture, client string) {
	e := f.e
	f.as("link worker")
	e.synced()
	fresh := f.newClient()
	suggested := func(id string) []string {
		var out struct {
			Client struct {
				SuggestedServices []struct {
					Service struct{ ID string }
				}
			}
		}
		e.ok(`query($id: ID!) { client(id: $id) { suggestedServices(first: 5) { service { id } } } }`, map[string]any{"id": id}, &out)
		var ids []string
		for _, m := range out.Client.SuggestedServices {
			ids = append(ids, m.Service.ID)
		}
		return ids
	}
	if ids := suggested(fresh); !slices.Contains(ids, f.svcA) {
		t.Errorf("a lonely 65-year-old is not offered the lunch club: %v", ids)
	}
	if ids := suggested(client); slices.Contains(ids, f.svcA) {
		t.Errorf("the service already referred to is suggested again: %v", ids)
	}

	// Suggestions for a whole page of clients cost too much to run at once.
	r := e.do(`{ clients(first: 100) { edges { node { suggestedServices(first: 10) { service { id } } } } } }`, nil)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "complexity") {
		t.Errorf("suggestions for 100 clients at once were not refused: %+v", r.Errors)
	}
}

func exportHoldsTheRecord(t *testing.T, f *fixture, client string) {
	f.as("link worker")
	var x struct{ ExportClient string }
	f.e.ok(`query($id: ID!) { exportClient(id: $id) }`, map[string]any{"id": client}, &x)
	var doc struct {
		Client    struct{ FirstName string }
		Referrals []struct{ History []any }
		Audit     []any
	}
	if err := json.Unmarshal([]byte(x.ExportClient), &doc); err != nil || doc.Client.FirstName != "Ruth" ||
		len(doc.Referrals) != 1 || len(doc.Referrals[0].History) != 4 || len(doc.Audit) == 0 {
		t.Errorf("export: %v %.300s", err, x.ExportClient)
	}
}

// TestDemoCaseloadFillsEveryReport checks the demo caseload: referrals in
// every state, wellbeing pairs, unmet needs, and work for the partner.
func TestDemoCaseloadFillsEveryReport(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	ctx := context.Background()
	creds, err := seed.DemoAccounts(ctx, e.st, e.acc)
	if err != nil {
		t.Fatal(err)
	}
	n, err := seed.DemoCasework(ctx, e.st)
	if err != nil || n != 4 {
		t.Fatalf("demo caseload: %d clients, %v", n, err)
	}
	if again, err := seed.DemoCasework(ctx, e.st); err != nil || again != 0 {
		t.Errorf("a second load added %d clients (%v)", again, err)
	}
	pw := map[string]string{}
	for _, c := range creds {
		pw[c.Email] = c.Password
	}
	linkWorker := e.login(seed.DemoLinkWorker, pw[seed.DemoLinkWorker])
	partner := e.login(seed.DemoPartner, pw[seed.DemoPartner])
	e.step(t, "the link worker's report has every part", func(t *testing.T) {
		e.cookie = linkWorker
		demoReportHasEveryPart(t, e)
	})
	e.step(t, "the partner's inbox costs the same statements for 1 and 7", func(t *testing.T) {
		e.cookie = partner
		demoInboxStatements(t, e)
	})
	e.step(t, "the partner's inbox pages newest first, each once", func(t *testing.T) {
		e.cookie = partner
		demoInboxPages(t, e)
	})
}

func demoReportHasEveryPart(t *testing.T, e *env) {
	var rep struct {
		CaseworkReport struct {
			ClientsReferred   int
			BySource          []struct{ Key string }
			Needs             []struct{ Unmet int }
			ReferralsByStatus []struct{ Key string }
			Services          []struct{ AcceptanceRate, AttendanceRate *float64 }
			Organisations     []struct{ Sent int }
			Wellbeing         []struct{ Pairs int }
			Unverified        []struct{ ServiceName string } `json:"unverifiedServices"`
		}
	}
	e.ok(`{ caseworkReport { clientsReferred bySource { key } needs { unmet } referralsByStatus { key }
		services { acceptanceRate attendanceRate } organisations { sent } wellbeing { pairs }
		unverifiedServices { serviceName } } }`, nil, &rep)
	r := rep.CaseworkReport
	var statuses []string
	for _, k := range r.ReferralsByStatus {
		statuses = append(statuses, k.Key)
	}
	slices.Sort(statuses)
	if strings.Join(statuses, " ") != "ACCEPTED ATTENDED COMPLETED DECLINED DID_NOT_ATTEND DRAFT SENT WITHDRAWN" {
		t.Errorf("referral statuses in the demo: %v", statuses)
	}
	unmet := 0
	for _, nd := range r.Needs {
		unmet += nd.Unmet
	}
	rated := 0
	for _, s := range r.Services {
		if s.AcceptanceRate != nil && s.AttendanceRate != nil {
			rated++
		}
	}
	if r.ClientsReferred != 4 || len(r.BySource) != 3 || unmet == 0 || rated == 0 || len(r.Organisations) != 1 ||
		len(r.Wellbeing) != 2 || r.Wellbeing[1].Pairs != 2 || len(r.Unverified) == 0 {
		t.Errorf("demo report: %+v", r)
	}
}

// demoInboxStatements: the partner's inbox costs the same number of
// statements for one referral as for seven: services, organisations,
// people and link workers are loaded a page at a time.
func demoInboxStatements(t *testing.T, e *env) {
	stmts := map[int]int64{}
	for _, n := range []int{1, 7} {
		before := e.queries.n.Load()
		var in struct {
			IncomingReferrals struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		e.ok(`query($n: Int) { incomingReferrals(first: $n) { edges { node { id service { name } organisation { name }
			person { firstName linkWorkerEmail } } } } }`, map[string]any{"n": n}, &in)
		if len(in.IncomingReferrals.Edges) != n {
			t.Fatalf("%d referrals, want %d", len(in.IncomingReferrals.Edges), n)
		}
		stmts[n] = e.queries.n.Load() - before
	}
	t.Logf("statements for an inbox page of 1 and 7: %v", stmts)
	if stmts[1] != stmts[7] {
		t.Errorf("the inbox's statements grow with its size: %v", stmts)
	}

}

// demoInboxPages: paged three at a time, newest first, each once.
func demoInboxPages(t *testing.T, e *env) {
	seen := map[string]bool{}
	var after *string
	for page := 0; ; page++ {
		var in struct {
			IncomingReferrals struct {
				Edges    []struct{ Node struct{ ID, Status string } }
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		e.ok(`query($after: String) { incomingReferrals(first: 3, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"after": after}, &in)
		for _, ed := range in.IncomingReferrals.Edges {
			if seen[ed.Node.ID] || ed.Node.Status == "DRAFT" {
				t.Errorf("page %d: %s %s seen twice or a draft", page, ed.Node.ID, ed.Node.Status)
			}
			seen[ed.Node.ID] = true
		}
		if !in.IncomingReferrals.PageInfo.HasNextPage || page > 5 {
			break
		}
		after = in.IncomingReferrals.PageInfo.EndCursor
	}
	if len(seen) != 7 {
		t.Errorf("the demo partner has %d referrals, want every one but the draft", len(seen))
	}
}
