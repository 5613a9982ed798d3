package apitest

import (
	"context"
	"fmt"
	"maps"
	"os"
	"sort"
	"testing"

	"github.com/signpost/signpost/store"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// fixture holds the objects and callers of the authorisation matrix.
type fixture struct {
	e          *env
	orgA, orgB string // global ids
	orgAID     string // uuid
	svcA       string
	team       string
	lw         string // link worker account id
	callers    map[string]caller
	// secret, when a call's prepare sets it, is text the call must not
	// show a role whose outcome is "HIDDEN", and must show one whose
	// outcome is "OK".
	secret string
	// locB is partner B's location, made on first use.
	locB string
}

// caller is how a role reaches the API.
type caller struct{ cookie, bearer string }

var roles = []string{"anonymous", "link worker", "partner A", "partner B", "admin", "revoked token", "expired session"}

func (f *fixture) as(role string) {
	c := f.callers[role]
	f.e.cookie, f.e.bearer = c.cookie, c.bearer
}

func (f *fixture) admin() { f.as("admin") }

func newFixture(t *testing.T) *fixture {
	e := newEnv(t, envOptions{})
	f := &fixture{e: e, callers: map[string]caller{"anonymous": {}, "admin": {cookie: e.cookie}}}
	f.orgA, f.orgB = e.newOrg("Partner A").ID, e.newOrg("Partner B").ID
	_, id, _ := parseGID(f.orgA)
	f.orgAID = id
	var svc struct{ CreateService service }
	e.ok(createService, map[string]any{"org": f.orgA, "in": validService()}, &svc)
	f.svcA = svc.CreateService.ID
	var team struct{ CreateTeam struct{ ID string } }
	e.ok(`mutation { createTeam(name: "Burn Lane") { id } }`, nil, &team)
	f.team = team.CreateTeam.ID
	mk := func(email string, role string, org *string) string {
		in := map[string]any{"email": email, "role": role, "password": testPassword}
		if org != nil {
			in["organisationId"] = *org
		}
		var out struct{ CreateAccount struct{ ID string } }
		e.ok(`mutation($in: AccountInput!) { createAccount(input: $in) { id } }`, map[string]any{"in": in}, &out)
		return out.CreateAccount.ID
	}
	f.lw = mk("lw@test.example", "LINK_WORKER", nil)
	e.ok(`mutation($t: ID!, $a: ID!) { addTeamMember(teamId: $t, accountId: $a) { id } }`, map[string]any{"t": f.team, "a": f.lw}, nil)
	mk("pa@test.example", "PARTNER", &f.orgA)
	mk("pb@test.example", "PARTNER", &f.orgB)
	mk("expired@test.example", "LINK_WORKER", nil)
	for role, email := range map[string]string{"link worker": "lw@test.example", "partner A": "pa@test.example",
		"partner B": "pb@test.example", "expired session": "expired@test.example"} {
		f.callers[role] = caller{cookie: e.login(email, testPassword)}
	}
	// A revoked token of partner A.
	var tok struct {
		CreateApiToken struct {
			Token  struct{ ID string }
			Secret string
		}
	}
	e.ok(`mutation($o: ID!) { createApiToken(organisationId: $o, name: "old CRM") { token { id } secret } }`, map[string]any{"o": f.orgA}, &tok)
	e.ok(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": tok.CreateApiToken.Token.ID}, nil)
	f.callers["revoked token"] = caller{bearer: tok.CreateApiToken.Secret}
	// The expired session: past its absolute end.
	if _, err := e.st.DB.ExecContext(context.Background(), `UPDATE sessions SET expires_at = now() - interval '1 minute'
		WHERE account_id = (SELECT id FROM accounts WHERE email = 'expired@test.example')`); err != nil {
		t.Fatal(err)
	}
	return f
}

func parseGID(gid string) (string, string, bool) {
	b, err := decodeB64(gid)
	if err != nil {
		return "", "", false
	}
	for i := range b {
		if b[i] == ':' {
			return string(b[:i]), string(b[i+1:]), true
		}
	}
	return "", "", false
}

// op is one call of the matrix: prepare runs as admin and returns the
// query and variables for a fresh attempt.
type op struct {
	prepare func(f *fixture) (string, map[string]any)
	want    map[string]string // role → "OK" or an error code
}

const (
	ok     = "OK"
	unauth = "UNAUTHENTICATED"
	forb   = "FORBIDDEN"
	nf     = "NOT_FOUND"
	bad    = "BAD_USER_INPUT"
	// hidden: answered without error, and without the call's secret.
	hidden = "HIDDEN"
)

// adminOnly: only administrators.
var adminOnly = map[string]string{"anonymous": unauth, "link worker": forb, "partner A": forb, "partner B": forb,
	"admin": ok, "revoked token": unauth, "expired session": unauth}

// editorsOfA: administrators and partner A.
var editorsOfA = map[string]string{"anonymous": unauth, "link worker": forb, "partner A": ok, "partner B": forb,
	"admin": ok, "revoked token": unauth, "expired session": unauth}

func version(f *fixture, id string) int {
	var out struct{ Node struct{ Version int } }
	f.e.ok(`query($id: ID!) { node(id: $id) { ... on Service { version } ... on Organisation { version } ... on Account { version } } }`,
		map[string]any{"id": id}, &out)
	return out.Node.Version
}

func (f *fixture) freshService() string {
	var svc struct{ CreateService service }
	in := validService()
	in["name"] = fmt.Sprintf("Temporary %d", serialN())
	f.e.ok(createService, map[string]any{"org": f.orgA, "in": in}, &svc)
	return svc.CreateService.ID
}

var serial int

func serialN() int { serial++; return serial }

// matrix lists every mutation and every non-public query with what each
// role gets. TestEveryFieldHasARule fails when a field is missing here.
func matrix() map[string]op {
	m := map[string]op{
		"createOrganisation": {func(f *fixture) (string, map[string]any) {
			return createOrg, map[string]any{"in": map[string]any{"name": fmt.Sprintf("New org %d", serialN())}}
		}, adminOnly},
		"updateOrganisation": {func(f *fixture) (string, map[string]any) {
			return `mutation($id: ID!, $v: Int!) { updateOrganisation(id: $id, version: $v, input: {name: "Partner A"}) { id } }`,
				map[string]any{"id": f.orgA, "v": version(f, f.orgA)}
		}, editorsOfA},
		"archiveOrganisation": {func(f *fixture) (string, map[string]any) {
			o := f.e.newOrg(fmt.Sprintf("Short-lived %d", serialN()))
			return `mutation($id: ID!) { archiveOrganisation(id: $id, version: 1) { id } }`, map[string]any{"id": o.ID}
		}, adminOnly},
		"createService": {func(f *fixture) (string, map[string]any) {
			return createService, map[string]any{"org": f.orgA, "in": validService()}
		}, editorsOfA},
		"updateService": {func(f *fixture) (string, map[string]any) {
			return updateService, map[string]any{"id": f.svcA, "v": version(f, f.svcA), "in": validService()}
		}, editorsOfA},
		"archiveService": {func(f *fixture) (string, map[string]any) {
			return `mutation($id: ID!) { archiveService(id: $id, version: 1) { id } }`, map[string]any{"id": f.freshService()}
		}, editorsOfA},
		"setServiceAudience": {func(f *fixture) (string, map[string]any) {
			return `mutation($id: ID!, $v: Int!) { setServiceAudience(id: $id, version: $v, input: {minimumAge: 60, groups: ["carer"]}) { id } }`,
				map[string]any{"id": f.svcA, "v": version(f, f.svcA)}
		}, editorsOfA},
		"clearServiceAudience": {func(f *fixture) (string, map[string]any) {
			return `mutation($id: ID!, $v: Int!) { clearServiceAudience(id: $id, version: $v) { id } }`,
				map[string]any{"id": f.svcA, "v": version(f, f.svcA)}
		}, editorsOfA},
		"verifyService": {func(f *fixture) (string, map[string]any) {
			return `mutation($id: ID!, $v: Int!) { verifyService(id: $id, version: $v, assurer: "check@test.example") { id } }`,
				map[string]any{"id": f.svcA, "v": version(f, f.svcA)}
		}, editorsOfA},
		"login": {func(f *fixture) (string, map[string]any) {
			return `mutation { login(email: "nobody@test.example", password: "wrong password 123") { id } }`, nil
		}, allRoles(unauth)}, // everyone may try; a wrong password is UNAUTHENTICATED for all
		// Two-factor sign-in: administrators manage their own. Confirming a
		// code that cannot be right, and disabling while it is off, get
		// past the gate to the domain's answer.
		"enrolTotp": {func(f *fixture) (string, map[string]any) {
			return `mutation { enrolTotp(password: "a long test password 42") { secret uri } }`, nil
		}, adminOnly},
		"confirmTotp": {func(f *fixture) (string, map[string]any) {
			f.e.ok(`mutation { enrolTotp(password: "a long test password 42") { secret } }`, nil, nil)
			return `mutation { confirmTotp(code: "not a code") { id } }`, nil
		}, withAdmin(adminOnly, "BAD_USER_INPUT")},
		"disableTotp": {func(f *fixture) (string, map[string]any) {
			return `mutation { disableTotp(password: "a long test password 42", code: "123456") { id } }`, nil
		}, withAdmin(adminOnly, "CONFLICT")},
		"createAccount": {func(f *fixture) (string, map[string]any) {
			return `mutation($in: AccountInput!) { createAccount(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"email": fmt.Sprintf("new%d@test.example", serialN()), "role": "LINK_WORKER", "password": testPassword}}
		}, adminOnly},
		"updateAccount": {func(f *fixture) (string, map[string]any) {
			return `mutation($id: ID!, $v: Int!) { updateAccount(id: $id, version: $v, input: {email: "lw@test.example", role: LINK_WORKER, name: "Lee"}) { id } }`,
				map[string]any{"id": f.lw, "v": version(f, f.lw)}
		}, adminOnly},
		"disableAccount": {func(f *fixture) (string, map[string]any) {
			var out struct{ CreateAccount struct{ ID string } }
			f.e.ok(`mutation($in: AccountInput!) { createAccount(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"email": fmt.Sprintf("leaver%d@test.example", serialN()), "role": "LINK_WORKER", "password": testPassword}}, &out)
			return `mutation($id: ID!) { disableAccount(id: $id, version: 1) { id } }`, map[string]any{"id": out.CreateAccount.ID}
		}, adminOnly},
		"createTeam": {func(f *fixture) (string, map[string]any) {
			return `mutation($n: String!) { createTeam(name: $n) { id } }`, map[string]any{"n": fmt.Sprintf("Team %d", serialN())}
		}, adminOnly},
		"addTeamMember": {func(f *fixture) (string, map[string]any) {
			return `mutation($t: ID!, $a: ID!) { addTeamMember(teamId: $t, accountId: $a) { id } }`, map[string]any{"t": f.team, "a": f.lw}
		}, adminOnly},
		"removeTeamMember": {func(f *fixture) (string, map[string]any) {
			var out struct{ CreateAccount struct{ ID string } }
			f.e.ok(`mutation($in: AccountInput!) { createAccount(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"email": fmt.Sprintf("mover%d@test.example", serialN()), "role": "LINK_WORKER", "password": testPassword}}, &out)
			return `mutation($t: ID!, $a: ID!) { removeTeamMember(teamId: $t, accountId: $a) { id } }`, map[string]any{"t": f.team, "a": out.CreateAccount.ID}
		}, adminOnly},
		"createApiToken": {func(f *fixture) (string, map[string]any) {
			return `mutation($o: ID!) { createApiToken(organisationId: $o, name: "sync") { secret } }`, map[string]any{"o": f.orgA}
		}, editorsOfA},
		"revokeApiToken": {func(f *fixture) (string, map[string]any) {
			var tok struct {
				CreateApiToken struct{ Token struct{ ID string } }
			}
			f.e.ok(`mutation($o: ID!) { createApiToken(organisationId: $o, name: "temp") { token { id } } }`, map[string]any{"o": f.orgA}, &tok)
			return `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": tok.CreateApiToken.Token.ID}
		}, map[string]string{"anonymous": unauth, "link worker": forb, "partner A": ok, "partner B": nf,
			"admin": ok, "revoked token": unauth, "expired session": unauth}},
		"accounts": {func(f *fixture) (string, map[string]any) { return `{ accounts { id } }`, nil }, adminOnly},
		"teams": {func(f *fixture) (string, map[string]any) { return `{ teams { id name } }`, nil },
			map[string]string{"anonymous": unauth, "link worker": ok, "partner A": forb, "partner B": forb,
				"admin": ok, "revoked token": unauth, "expired session": unauth}},
		"apiTokens": {func(f *fixture) (string, map[string]any) { return `{ apiTokens { id name } }`, nil },
			map[string]string{"anonymous": unauth, "link worker": forb, "partner A": ok, "partner B": ok,
				"admin": ok, "revoked token": unauth, "expired session": unauth}},
		"auditLog": {func(f *fixture) (string, map[string]any) {
			return `{ auditLog(first: 5) { edges { node { action } } } }`, nil
		}, adminOnly},
	}
	for name, o := range caseworkMatrix() {
		m[name] = o
	}
	for name, o := range tenancyMatrix() {
		m[name] = o
	}
	return m
}

// withAdmin is want with the admin's expectation replaced.
func withAdmin(want map[string]string, code string) map[string]string {
	m := maps.Clone(want)
	m["admin"] = code
	return m
}

// tenancyMatrix holds the calls that cross organisations: another
// organisation's location named in a service, and referrals that were
// never sent (which the organisation they name must never see). Their
// names are not fields; each runs a field of the schema in a situation.
func tenancyMatrix() map[string]op {
	// The link worker is on the wrong side of an answer; administrators
	// do not read referrals without a client's reason.
	answerNeverSent := map[string]string{"anonymous": unauth, "link worker": bad, "partner A": nf, "partner B": nf,
		"admin": forb, "revoked token": unauth, "expired session": unauth}
	readNeverSent := map[string]string{"anonymous": unauth, "link worker": ok, "partner A": hidden, "partner B": hidden,
		"admin": forb, "revoked token": unauth, "expired session": unauth}
	inboxNeverSent := map[string]string{"anonymous": unauth, "link worker": forb, "partner A": hidden, "partner B": hidden,
		"admin": forb, "revoked token": unauth, "expired session": unauth}
	readRef := func(withdrawn bool) func(f *fixture) (string, map[string]any) {
		return func(f *fixture) (string, map[string]any) {
			f.as("link worker")
			id, msg := f.draftReferral(withdrawn)
			f.secret = msg
			return `query($id: ID!) { referral(id: $id) { id message person { firstName } } }`, map[string]any{"id": id}
		}
	}
	inbox := func(withdrawn bool) func(f *fixture) (string, map[string]any) {
		return func(f *fixture) (string, map[string]any) {
			f.as("link worker")
			_, f.secret = f.draftReferral(withdrawn)
			return `{ incomingReferrals(first: 100) { edges { node { id message } } } }`, nil
		}
	}
	answer := func(withdrawn bool) func(f *fixture) (string, map[string]any) {
		return func(f *fixture) (string, map[string]any) {
			f.as("link worker")
			id, _ := f.draftReferral(withdrawn)
			return `mutation($id: ID!, $v: Int!) { moveReferral(id: $id, version: $v, to: DECLINED, reason: "full") { id message } }`,
				map[string]any{"id": id, "v": map[bool]int{false: 1, true: 2}[withdrawn]}
		}
	}
	// Partner A names B's location; partner B may not edit A's services.
	othersLocation := map[string]string{"anonymous": unauth, "link worker": forb, "partner A": bad, "partner B": forb,
		"admin": bad, "revoked token": unauth, "expired session": unauth}
	withB := func(f *fixture, change bool) map[string]any {
		in := validService()
		l := map[string]any{"locationId": f.locationOfB()}
		if change {
			l["location"] = map[string]any{"name": "A's words in B's hall", "postcode": "NE46 1BG"}
		}
		in["locations"] = []any{l}
		return in
	}
	create := func(change bool) func(f *fixture) (string, map[string]any) {
		return func(f *fixture) (string, map[string]any) {
			return createService, map[string]any{"org": f.orgA, "in": withB(f, change)}
		}
	}
	update := func(change bool) func(f *fixture) (string, map[string]any) {
		return func(f *fixture) (string, map[string]any) {
			return updateService, map[string]any{"id": f.svcA, "v": version(f, f.svcA), "in": withB(f, change)}
		}
	}
	return map[string]op{
		"referral (draft)":                      {readRef(false), readNeverSent},
		"referral (draft withdrawn)":            {readRef(true), readNeverSent},
		"incomingReferrals (a draft)":           {inbox(false), inboxNeverSent},
		"incomingReferrals (a draft withdrawn)": {inbox(true), inboxNeverSent},
		"moveReferral (draft)":                  {answer(false), answerNeverSent},
		"moveReferral (draft withdrawn)":        {answer(true), answerNeverSent},
		"createService (B's location listed)":   {create(false), othersLocation},
		"createService (B's location changed)":  {create(true), othersLocation},
		"updateService (B's location listed)":   {update(false), othersLocation},
		"updateService (B's location changed)":  {update(true), othersLocation},
		"referral (sent, then withdrawn)": {func(f *fixture) (string, map[string]any) {
			_, id, v := f.sentReferral()
			f.e.ok(`mutation($id: ID!, $v: Int!) { moveReferral(id: $id, version: $v, to: WITHDRAWN) { id } }`, map[string]any{"id": id, "v": v}, nil)
			f.secret = id
			return `query($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": id}
		}, map[string]string{"anonymous": unauth, "link worker": ok, "partner A": ok, "partner B": hidden,
			"admin": forb, "revoked token": unauth, "expired session": unauth}},
	}
}

// locationOfB is partner B's location, with a service of B there.
func (f *fixture) locationOfB() string {
	if f.locB == "" {
		_, _, f.locB = f.serviceOfB("B's Lunch Club", "")
	}
	return f.locB
}

func allRoles(code string) map[string]string {
	m := map[string]string{}
	for _, r := range roles {
		m[r] = code
	}
	return m
}

// handledElsewhere are covered by their own tests (logout and
// logoutEverywhere would end the session the matrix runs under; see
// signin_test.go).
var handledElsewhere = map[string]bool{"logout": true, "logoutEverywhere": true}

func TestAuthorisationMatrix(t *testing.T) {
	f := newFixture(t)
	m := matrix()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	checks := 0
	defer func() { t.Logf("%d calls x %d roles: %d checks", len(names), len(roles), checks) }()
	defer func() {
		f.admin()
		if n := f.locationName(f.locationOfB()); n != "B's Hall" {
			t.Errorf("B's location is now called %q", n)
		}
	}()
	for _, name := range names {
		o := m[name]
		for _, role := range roles {
			want, ok := o.want[role]
			if !ok {
				t.Fatalf("%s has no expectation for %s", name, role)
			}
			f.admin()
			f.secret = ""
			q, vars := o.prepare(f)
			f.as(role)
			r := f.e.do(q, vars)
			checks++
			got := errorCode(r)
			if got == "OK" && f.secret != "" && !contains(string(r.Data), f.secret) {
				got = hidden
			}
			if got != want {
				t.Errorf("%s as %s: got %s, want %s (%+v)", name, role, got, want, r.Errors)
			}
		}
	}
}

// TestEveryFieldHasARule fails when a Query or Mutation field lacks a
// @policy directive, or when a mutation or non-public query is missing
// from the matrix.
func TestEveryFieldHasARule(t *testing.T) {
	src, err := os.ReadFile("../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(src)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	m := matrix()
	for _, typ := range []*ast.Definition{schema.Query, schema.Mutation} {
		for _, fd := range typ.Fields {
			if len(fd.Name) > 1 && fd.Name[:2] == "__" {
				continue
			}
			d := fd.Directives.ForName("policy")
			if d == nil {
				t.Errorf("%s.%s has no @policy rule", typ.Name, fd.Name)
				continue
			}
			rule := d.Arguments.ForName("rule").Value.Raw
			if (typ == schema.Mutation || rule != "PUBLIC") && m[fd.Name].want == nil && !handledElsewhere[fd.Name] {
				t.Errorf("%s.%s (%s) is not in the authorisation matrix", typ.Name, fd.Name, rule)
			}
		}
	}
}

var _ = store.ErrNotFound
