package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/server"
)

func (e *env) me() *struct{ Email, Role string } {
	e.t.Helper()
	var out struct{ Me *struct{ Email, Role string } }
	e.ok(`{ me { email role } }`, nil, &out)
	return out.Me
}

func TestLoginLogoutAndCookie(t *testing.T) {
	e := newEnv(t, envOptions{})
	if m := e.me(); m == nil || m.Email != testAdmin || m.Role != "ADMIN" {
		t.Fatalf("me = %+v", m)
	}
	// The cookie is HttpOnly and SameSite.
	body, _ := json.Marshal(map[string]any{"query": `mutation { login(email: "` + testAdmin + `", password: "` + testPassword + `") { id } }`})
	resp, err := http.Post(e.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == server.SessionCookie {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Fatalf("session cookie = %+v", c)
	}
	// Wrong password and unknown e-mail get the same answer.
	e.cookie = ""
	a := e.fails(`mutation { login(email: "`+testAdmin+`", password: "not the password") { id } }`, nil, "UNAUTHENTICATED")
	b := e.fails(`mutation { login(email: "nobody@test.example", password: "not the password") { id } }`, nil, "UNAUTHENTICATED")
	if a.Message != b.Message {
		t.Fatalf("messages differ: %q vs %q", a.Message, b.Message)
	}
	// Logout ends the session: the cookie no longer works.
	e.cookie = c.Value
	var out struct{ Logout bool }
	e.ok(`mutation { logout }`, nil, &out)
	if !out.Logout || e.me() != nil {
		t.Fatal("the session still works after logout")
	}
	e.fails(`mutation { createTeam(name: "x") { id } }`, nil, "UNAUTHENTICATED")
}

func TestSessionsExpire(t *testing.T) {
	e := newEnv(t, envOptions{})
	now := time.Now()
	e.acc.SetClock(func() time.Time { return now })
	e.cookie = e.login(testAdmin, testPassword)
	// Used within the idle window, it stays alive.
	for i := 0; i < 3; i++ {
		now = now.Add(20 * time.Minute)
		if e.me() == nil {
			t.Fatalf("the session died after %d active periods of 20 minutes", i+1)
		}
	}
	// Idle for longer than IdleTimeout: gone.
	now = now.Add(access.IdleTimeout + time.Minute)
	if e.me() != nil {
		t.Fatal("an idle session survived")
	}
	// Absolute end: even an active session ends.
	e.cookie = e.login(testAdmin, testPassword)
	for elapsed := time.Duration(0); elapsed <= access.AbsoluteTimeout; elapsed += 25 * time.Minute {
		now = now.Add(25 * time.Minute)
		e.me()
	}
	if e.me() != nil {
		t.Fatal("a session outlived its absolute lifetime")
	}
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	post := func(headers map[string]string, cookie bool) int {
		body := strings.NewReader(`{"query":"mutation { createTeam(name: \"CSRF\") { id } }"}`)
		req, _ := http.NewRequest(http.MethodPost, e.url+"/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		if cookie {
			req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.cookie})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(nil, true); got != http.StatusForbidden {
		t.Errorf("cookie without %s: status %d, want 403", server.CSRFHeader, got)
	}
	if got := post(map[string]string{server.CSRFHeader: "1", "Origin": "https://evil.example"}, true); got != http.StatusForbidden {
		t.Errorf("cross-origin: status %d, want 403", got)
	}
	if got := post(map[string]string{server.CSRFHeader: "1", "Origin": e.url}, true); got != http.StatusOK {
		t.Errorf("same origin with the header: status %d, want 200", got)
	}
	var teams struct{ Teams []struct{ Name string } }
	e.ok(`{ teams { name } }`, nil, &teams)
	if len(teams.Teams) != 1 {
		t.Fatalf("teams = %+v: refused requests must change nothing", teams.Teams)
	}
}

func TestPartnerTokens(t *testing.T) {
	e := newEnv(t, envOptions{})
	orgA, orgB := e.newOrg("Token Org A"), e.newOrg("Token Org B")
	var a, b struct{ CreateService service }
	e.ok(createService, map[string]any{"org": orgA.ID, "in": validService()}, &a)
	e.ok(createService, map[string]any{"org": orgB.ID, "in": validService()}, &b)
	e.ok(`mutation($o: ID!) { createAccount(input: {email: "pa@test.example", role: PARTNER, organisationId: $o, password: "a long test password 42"}) { id } }`,
		map[string]any{"o": orgA.ID}, nil)
	e.cookie = e.login("pa@test.example", testPassword)
	var tok struct {
		CreateApiToken struct {
			Token  struct{ ID string }
			Secret string
		}
	}
	e.ok(`mutation($o: ID!) { createApiToken(organisationId: $o, name: "CRM sync") { token { id } secret } }`, map[string]any{"o": orgA.ID}, &tok)
	secret := tok.CreateApiToken.Secret
	if !strings.HasPrefix(secret, access.TokenPrefix) || len(secret) < 40 {
		t.Fatalf("secret %q", secret)
	}
	var stored int
	e.st.DB.NewSelect().TableExpr("api_tokens").ColumnExpr("count(*)").Where("token_hash LIKE ?", "%"+strings.TrimPrefix(secret, access.TokenPrefix)+"%").Scan(context.Background(), &stored)
	if stored != 0 {
		t.Fatal("the token's secret is stored in clear")
	}
	e.cookie, e.bearer = "", secret
	e.ok(updateService, map[string]any{"id": a.CreateService.ID, "v": 1, "in": validService()}, nil)
	e.fails(updateService, map[string]any{"id": b.CreateService.ID, "v": 1, "in": validService()}, "FORBIDDEN")
	e.fails(`mutation($o: ID!) { createApiToken(organisationId: $o, name: "more") { secret } }`, map[string]any{"o": orgA.ID}, "FORBIDDEN")
	// Listed with its last use, then revoked: it stops working.
	e.bearer, e.cookie = "", e.login("pa@test.example", testPassword)
	var list struct {
		ApiTokens []struct {
			Name       string
			LastUsedAt *string
		}
	}
	e.ok(`{ apiTokens { name lastUsedAt } }`, nil, &list)
	if len(list.ApiTokens) != 1 || list.ApiTokens[0].LastUsedAt == nil {
		t.Fatalf("tokens = %+v", list.ApiTokens)
	}
	e.ok(`mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, map[string]any{"id": tok.CreateApiToken.Token.ID}, nil)
	e.cookie, e.bearer = "", secret
	e.fails(updateService, map[string]any{"id": a.CreateService.ID, "v": 2, "in": validService()}, "UNAUTHENTICATED")
}

func TestAuditTrail(t *testing.T) {
	e := newEnv(t, envOptions{})
	org := e.newOrg("Audited Org")
	var svc struct{ CreateService service }
	e.ok(createService, map[string]any{"org": org.ID, "in": validService()}, &svc)
	e.ok(`mutation { createAccount(input: {email: "pb@test.example", role: LINK_WORKER, password: "a long test password 42"}) { id } }`, nil, nil)
	admin := e.cookie
	e.cookie = e.login("pb@test.example", testPassword)
	e.fails(updateService, map[string]any{"id": svc.CreateService.ID, "v": 1, "in": validService()}, "FORBIDDEN")
	e.cookie = ""
	e.fails(`mutation($o: ID!) { archiveOrganisation(id: $o, version: 1) { id } }`, map[string]any{"o": org.ID}, "UNAUTHENTICATED")
	e.cookie = admin
	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct{ Actor, Action, ObjectType, ObjectId, Outcome, Address, UserAgent string }
			}
		}
	}
	e.ok(`{ auditLog(first: 50) { edges { node { actor action objectType objectId outcome address userAgent } } } }`, nil, &log)
	found := map[string]bool{}
	for _, ed := range log.AuditLog.Edges {
		n := ed.Node
		found[n.Actor+" "+n.Action+" "+n.Outcome] = true
		if n.Address != "command line" && (n.Address == "" || n.UserAgent == "") {
			t.Errorf("entry without address or user agent: %+v", n)
		}
	}
	for _, want := range []string{testAdmin + " service.create allowed", testAdmin + " organisation.create allowed",
		"pb@test.example graphql.updateService denied", " graphql.archiveOrganisation denied", testAdmin + " session.login allowed"} {
		if !found[want] {
			t.Errorf("no audit entry %q in %v", want, found)
		}
	}
	// The trail is append-only.
	if _, err := e.st.DB.ExecContext(context.Background(), "DELETE FROM audit_log"); err == nil {
		t.Fatal("audit entries could be deleted")
	}
}

func TestWeakPasswordsAreRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, pw := range []string{"short", "password1234", "aaaaaaaaaaaaaaaa", "weakling-password-bob"} {
		err := e.fails(`mutation($p: String!) { createAccount(input: {email: "bob@test.example", role: ADMIN, password: $p}) { id } }`,
			map[string]any{"p": pw}, "BAD_USER_INPUT")
		if err.Extensions["field"] != "input.password" {
			t.Errorf("%q: field %v", pw, err.Extensions["field"])
		}
	}
}

func TestPrivateObjectsDoNotLeakThroughNode(t *testing.T) {
	e := newEnv(t, envOptions{})
	var me struct{ Me struct{ ID string } }
	e.ok(`{ me { id } }`, nil, &me)
	e.ok(`mutation { createAccount(input: {email: "lw@test.example", role: LINK_WORKER, password: "a long test password 42"}) { id } }`, nil, nil)
	e.cookie = e.login("lw@test.example", testPassword)
	var out struct {
		A, Missing *struct {
			Typename string `json:"__typename"`
		}
	}
	e.ok(`query($a: ID!) { a: node(id: $a) { __typename } missing: node(id: "QWNjb3VudDowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA") { __typename } }`,
		map[string]any{"a": me.Me.ID}, &out)
	if out.A != nil || out.Missing != nil {
		t.Fatalf("another account is visible: %+v / %+v", out.A, out.Missing)
	}
}
