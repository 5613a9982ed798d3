package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/signpost/signpost/config"
	"github.com/signpost/signpost/pgserver"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/server"
	"github.com/signpost/signpost/store"
)

// raw sends one request with the given headers and returns the response,
// body read.
func (e *env) raw(method, path string, body string, headers map[string]string) (*http.Response, string) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		if k == "Cookie" {
			req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: v})
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func trustLoopback(o *server.Options) {
	o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
}

func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	e := newEnv(t, envOptions{})
	routes := []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/", "", 200},
		{"GET", "/graphql?query=" + url.QueryEscape("{ services { totalCount } }"), "", 200},
		{"POST", "/graphql", `{"query":"{ services { totalCount } }"}`, 200},
		{"POST", "/graphql", `{"query":`, 400},
		{"GET", "/openreferral/", "", 200},
		{"GET", "/openreferral/services?page=0", "", 400},
		{"GET", "/healthz", "", 200},
		{"GET", "/readyz", "", 200},
		{"GET", "/metrics", "", 200},
		{"GET", "/no/such/page", "", 404},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			resp, body := e.raw(rt.method, rt.path, rt.body, nil)
			if resp.StatusCode != rt.status {
				t.Fatalf("status %d, want %d: %.200s", resp.StatusCode, rt.status, body)
			}
			h := resp.Header
			if got := h.Get("Content-Security-Policy"); got != server.ContentSecurityPolicy {
				t.Errorf("Content-Security-Policy = %q", got)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
				"Referrer-Policy": "no-referrer"} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if got := h.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("HSTS %q over plain HTTP", got)
			}
		})
	}
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(server.ContentSecurityPolicy, want) {
			t.Errorf("the policy lacks %s", want)
		}
	}
	if strings.Contains(server.ContentSecurityPolicy, "unsafe-inline") || strings.Contains(server.ContentSecurityPolicy, "https:") {
		t.Errorf("the policy allows inline code or other origins: %s", server.ContentSecurityPolicy)
	}
	_, page := e.raw("GET", "/", "", nil)
	if strings.Contains(strings.ToLower(page), "<script") || !strings.Contains(page, "/graphql") {
		t.Errorf("the front page must name the API and run no script:\n%s", page)
	}
}

func TestGraphiQLIsADeveloperToolWithItsOwnPolicy(t *testing.T) {
	e := newEnv(t, envOptions{})
	resp, body := e.raw("GET", "/graphiql", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "graphiql") {
		t.Fatalf("GraphiQL: %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'sha256-", "https://cdn.jsdelivr.net", "frame-ancestors 'none'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("GraphiQL's policy %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("GraphiQL's policy allows any inline script: %s", csp)
	}
	if resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("GraphiQL may be framed")
	}

	off := newEnv(t, envOptions{introspectionOff: true})
	resp, _ = off.raw("GET", "/graphiql", "", nil)
	if resp.StatusCode != 404 || resp.Header.Get("Content-Security-Policy") != server.ContentSecurityPolicy {
		t.Errorf("with introspection off, /graphiql = %d with policy %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
}

func TestHSTSOnlyOverTLS(t *testing.T) {
	https := map[string]string{"X-Forwarded-Proto": "https"}
	direct := newEnv(t, envOptions{})
	if resp, _ := direct.raw("GET", "/healthz", "", https); resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("an untrusted peer's X-Forwarded-Proto turned HSTS on")
	}
	proxied := newEnv(t, envOptions{edge: trustLoopback})
	if resp, _ := proxied.raw("GET", "/healthz", "", https); !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS behind a trusted TLS proxy")
	}
	if resp, _ := proxied.raw("GET", "/healthz", "", nil); resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP through the proxy")
	}
}

// A cross-site link carries the session cookie (SameSite=Lax) but cannot
// add the CSRF header: such a GET runs as anonymous, so an audited export
// cannot be triggered by a navigation.
func TestCookieGETWithoutTheCSRFHeaderIsAnonymous(t *testing.T) {
	f := newFixture(t)
	client := f.newClient()
	lw := f.callers["link worker"].cookie
	q := "/graphql?query=" + url.QueryEscape(`query($id: ID!) { exportClient(id: $id) }`) +
		"&variables=" + url.QueryEscape(`{"id":"`+client+`"}`)
	exports := func() int {
		var n int
		if err := f.e.st.DB.NewSelect().TableExpr("audit_log").ColumnExpr("count(*)").
			Where("outcome = 'allowed' AND object_type = 'client'").Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := exports()
	resp, body := f.e.raw("GET", q, "", map[string]string{"Cookie": lw, "Accept": "application/json"})
	var out gqlResponse
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
		t.Fatalf("cookie GET without %s: %s", server.CSRFHeader, body)
	}
	if exports() != before {
		t.Fatal("a cookie GET without the header exported the client")
	}
	_, body = f.e.raw("GET", q, "", map[string]string{"Cookie": lw, server.CSRFHeader: "1", "Accept": "application/json"})
	var with gqlResponse
	if err := json.Unmarshal([]byte(body), &with); err != nil || len(with.Errors) > 0 {
		t.Fatalf("cookie GET with the header: %s", body)
	}
	if exports() <= before {
		t.Fatal("the export with the header was not audited")
	}
}

func TestOriginMustMatchSchemeHostAndPort(t *testing.T) {
	const mutation = `{"query":"mutation { createTeam(name: \"Origin test\") { id } }"}`
	post := func(e *env, headers map[string]string) int {
		t.Helper()
		h := map[string]string{"Cookie": e.cookie, server.CSRFHeader: "1"}
		for k, v := range headers {
			h[k] = v
		}
		resp, _ := e.raw("POST", "/graphql", `{"query":"{ me { email } }"}`, h)
		return resp.StatusCode
	}
	e := newEnv(t, envOptions{})
	u, _ := url.Parse(e.url)
	cases := []struct {
		name, origin string
		status       int
	}{
		{"same origin", e.url, 200},
		{"https instead of http", "https://" + u.Host, 403},
		{"other port", "http://" + u.Hostname() + ":1", 403},
		{"other host", "http://evil.example:" + u.Port(), 403},
		{"no host", "null", 403},
	}
	for _, c := range cases {
		if got := post(e, map[string]string{"Origin": c.origin}); got != c.status {
			t.Errorf("%s (%s): status %d, want %d", c.name, c.origin, got, c.status)
		}
	}
	// A refused request changes nothing.
	resp, _ := e.raw("POST", "/graphql", mutation, map[string]string{"Cookie": e.cookie, server.CSRFHeader: "1", "Origin": "https://" + u.Host})
	if resp.StatusCode != 403 {
		t.Fatalf("cross-scheme mutation: %d", resp.StatusCode)
	}
	var teams struct{ Teams []struct{ Name string } }
	e.ok(`{ teams { name } }`, nil, &teams)
	if len(teams.Teams) != 0 {
		t.Fatalf("a refused mutation created %+v", teams.Teams)
	}

	// Behind a trusted TLS proxy the browser's origin is https.
	proxied := newEnv(t, envOptions{edge: trustLoopback})
	pu, _ := url.Parse(proxied.url)
	if got := post(proxied, map[string]string{"Origin": "https://" + pu.Host, "X-Forwarded-Proto": "https"}); got != 200 {
		t.Errorf("https origin through a TLS proxy: %d", got)
	}
	if got := post(proxied, map[string]string{"Origin": "http://" + pu.Host, "X-Forwarded-Proto": "https"}); got != 403 {
		t.Errorf("http origin through a TLS proxy: %d", got)
	}

	// A configured public URL is the only origin.
	public := newEnv(t, envOptions{edge: func(o *server.Options) {
		o.PublicURL = &url.URL{Scheme: "https", Host: "signpost.example"}
	}})
	if got := post(public, map[string]string{"Origin": "https://signpost.example"}); got != 200 {
		t.Errorf("the public origin: %d", got)
	}
	if got := post(public, map[string]string{"Origin": "https://signpost.example:443"}); got != 200 {
		t.Errorf("the public origin with its default port: %d", got)
	}
	if got := post(public, map[string]string{"Origin": public.url}); got != 403 {
		t.Errorf("the listening address when a public URL is set: %d", got)
	}
}

func TestSessionCookieSecure(t *testing.T) {
	https := map[string]string{"X-Forwarded-Proto": "https"}
	cases := []struct {
		name    string
		setting config.CookieSecure
		trust   bool
		headers map[string]string
		secure  bool
	}{
		{"auto, plain HTTP", config.CookieSecureAuto, false, nil, false},
		{"auto, untrusted peer claims https", config.CookieSecureAuto, false, https, false},
		{"auto, trusted TLS proxy", config.CookieSecureAuto, true, https, true},
		{"auto, trusted proxy over http", config.CookieSecureAuto, true, map[string]string{"X-Forwarded-Proto": "http"}, false},
		{"true, plain HTTP", config.CookieSecureAlways, false, nil, true},
		{"false, trusted TLS proxy", config.CookieSecureNever, true, https, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, envOptions{edge: func(o *server.Options) {
				o.CookieSecure = c.setting
				if c.trust {
					trustLoopback(o)
				}
			}})
			body, _ := json.Marshal(map[string]any{"query": `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { id } }`,
				"variables": map[string]any{"e": testAdmin, "p": testPassword}})
			resp, _ := e.raw("POST", "/graphql", string(body), c.headers)
			var cookie *http.Cookie
			for _, k := range resp.Cookies() {
				if k.Name == server.SessionCookie {
					cookie = k
				}
			}
			if cookie == nil {
				t.Fatal("no session cookie")
			}
			if cookie.Secure != c.secure || !cookie.HttpOnly {
				t.Errorf("Secure = %v, want %v (HttpOnly %v)", cookie.Secure, c.secure, cookie.HttpOnly)
			}
		})
	}
}

// The client's address (sessions, audit, throttling) is the peer's unless
// the peer is a trusted proxy; then the right-most forwarded address that
// is not itself a trusted proxy.
func TestClientAddressBehindATrustedProxy(t *testing.T) {
	twoProxies := func(o *server.Options) {
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
	}
	realIP := func(o *server.Options) { trustLoopback(o); o.ClientIPHeader = "X-Real-Ip" }
	cases := []struct {
		name    string
		edge    func(*server.Options)
		headers map[string]string
		want    string
	}{
		{"no trusted proxy: header ignored", nil, map[string]string{"X-Forwarded-For": "203.0.113.9"}, "127.0.0.1"},
		{"trusted peer, forged left part", trustLoopback, map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{"chain of trusted proxies", twoProxies, map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"IPv6 client", trustLoopback, map[string]string{"X-Forwarded-For": "2001:db8::7"}, "2001:db8::7"},
		{"unreadable header", trustLoopback, map[string]string{"X-Forwarded-For": "not an address"}, "127.0.0.1"},
		{"no header", trustLoopback, nil, "127.0.0.1"},
		{"X-Real-IP configured", realIP, map[string]string{"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "198.51.100.1"}, "203.0.113.7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, envOptions{edge: c.edge})
			body, _ := json.Marshal(map[string]any{"query": `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { id } }`,
				"variables": map[string]any{"e": testAdmin, "p": testPassword}})
			if resp, raw := e.raw("POST", "/graphql", string(body), c.headers); resp.StatusCode != 200 {
				t.Fatalf("login: %d %s", resp.StatusCode, raw)
			}
			var addr string
			if err := e.st.DB.NewSelect().TableExpr("sessions").Column("address").OrderExpr("created_at DESC").Limit(1).
				Scan(context.Background(), &addr); err != nil {
				t.Fatal(err)
			}
			if addr != c.want {
				t.Errorf("session address = %q, want %q", addr, c.want)
			}
		})
	}
}

func TestMetricsLabelsAndAccess(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, m := range []string{"BREW", "X-ANYTHING-1", "X-ANYTHING-2"} {
		e.raw(m, "/healthz", "", nil)
	}
	resp, body := e.raw("GET", "/metrics", "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics from loopback: %d", resp.StatusCode)
	}
	if strings.Contains(body, "BREW") || strings.Contains(body, "X-ANYTHING") || !strings.Contains(body, `method="other"`) {
		t.Errorf("unknown methods must share one label:\n%s", grepLines(body, "signpost_http_requests_total"))
	}

	// A proxy on the same machine that nobody declared trusted: its
	// loopback address does not make its clients local.
	if resp, _ := e.raw("GET", "/metrics", "", map[string]string{"X-Forwarded-For": "203.0.113.9"}); resp.StatusCode != 403 {
		t.Errorf("/metrics through an undeclared local proxy: %d, want 403", resp.StatusCode)
	}

	// Without a token, /metrics on the main address is for loopback
	// clients only, as the trusted proxy reports them.
	proxied := newEnv(t, envOptions{edge: trustLoopback})
	if resp, _ := proxied.raw("GET", "/metrics", "", map[string]string{"X-Forwarded-For": "203.0.113.9"}); resp.StatusCode != 403 {
		t.Errorf("/metrics for a remote client: %d, want 403", resp.StatusCode)
	}
	if resp, _ := proxied.raw("GET", "/metrics", "", map[string]string{"X-Forwarded-For": "127.0.0.1"}); resp.StatusCode != 200 {
		t.Errorf("/metrics for a local client through the trusted proxy: %d, want 200", resp.StatusCode)
	}

	const token = "a-metrics-token-of-some-length"
	tok := newEnv(t, envOptions{edge: func(o *server.Options) { o.MetricsToken = token }})
	for _, c := range []struct {
		auth   string
		status int
	}{{"", 401}, {"Bearer wrong", 401}, {"Bearer " + token, 200}} {
		h := map[string]string{}
		if c.auth != "" {
			h["Authorization"] = c.auth
		}
		if resp, _ := tok.raw("GET", "/metrics", "", h); resp.StatusCode != c.status {
			t.Errorf("/metrics with %q: %d, want %d", c.auth, resp.StatusCode, c.status)
		}
	}

	apart := newEnv(t, envOptions{edge: func(o *server.Options) { o.SeparateMetrics = true }})
	if resp, _ := apart.raw("GET", "/metrics", "", nil); resp.StatusCode != 404 {
		t.Errorf("/metrics on the main address with a separate listener: %d, want 404", resp.StatusCode)
	}
}

func grepLines(s, sub string) string {
	var out bytes.Buffer
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out.WriteString(l + "\n")
		}
	}
	return out.String()
}

// Every feed parameter is checked and bounded: a bad value is HTTP 400
// with a JSON error naming the parameter, never a 500.
func TestFeedParametersAreValidated(t *testing.T) {
	e := newEnv(t, envOptions{})
	long := strings.Repeat("x", 65)
	words := strings.Repeat("lunch club ", 5000)
	cases := []struct {
		param, value string
	}{
		{"page", "0"}, {"page", "NaN"}, {"page", "99999999999999999999"}, {"page", "%00"},
		{"per_page", "0"}, {"per_page", "101"}, {"per_page", "1e2"},
		{"search", "%00"}, {"search", "a%00b"}, {"search", url.QueryEscape(words)}, {"search", strings.Repeat("é", 201)},
		{"search", "%ff%fe"}, {"search", "tab%09here"},
		{"taxonomy_term_id", "not-a-uuid"}, {"taxonomy_term_id", "%00"},
		{"taxonomy_id", "1"}, {"organization_id", long},
		{"modified_after", "0000-01-01"}, {"modified_after", "0001-01-01T00:00:00%2B14:00"}, {"modified_after", "yesterday"},
		{"modified_after", "2026-13-01"}, {"modified_after", long},
		{"minimum_age", "NaN"}, {"minimum_age", "Inf"}, {"minimum_age", "-1"}, {"minimum_age", "131"},
		{"maximum_age", "nan"}, {"maximum_age", "-Inf"}, {"maximum_age", "1e309"},
		{"day", "Caturday"}, {"day", "8"}, {"day", "%00"},
		{"start_time", "25:00"}, {"start_time", "noonish"}, {"end_time", "12:61"}, {"end_time", long},
		{"postcode", "NOT+A+POSTCODE"}, {"postcode", "%00"}, {"postcode", long},
		{"proximity", "NaN"}, {"proximity", "Inf"}, {"proximity", "0"}, {"proximity", "-5"}, {"proximity", "1e7"},
	}
	endpoints := []string{"/services", "/organizations", "/taxonomies", "/taxonomy_terms", "/service_at_locations"}
	for i, c := range cases {
		// Every case on /services, which uses every filter, and on one
		// other endpoint in turn: all share ParseFeedQuery.
		for _, endpoint := range []string{"/services", endpoints[i%len(endpoints)]} {
			path := endpoint + "?" + c.param + "=" + c.value
			if c.param == "proximity" {
				path += "&postcode=TS1"
			}
			t.Run(endpoint+"?"+c.param+"="+c.value[:min(len(c.value), 30)], func(t *testing.T) {
				resp, body := e.raw("GET", "/openreferral"+path, "", nil)
				var out struct {
					Status  int
					Field   string
					Message string
				}
				if err := json.Unmarshal([]byte(body), &out); err != nil {
					t.Fatalf("status %d, body %.200q", resp.StatusCode, body)
				}
				if resp.StatusCode != 400 || out.Status != 400 || out.Field != c.param {
					t.Fatalf("status %d, field %q, want 400 naming %s: %.300s", resp.StatusCode, out.Field, c.param, body)
				}
				if len(out.Message) > 300 {
					t.Errorf("the error echoes the value: %d bytes", len(out.Message))
				}
			})
		}
	}
	// Good values at the bounds are accepted.
	for _, q := range []string{"search=" + url.QueryEscape(strings.Repeat("é", 200)), "modified_after=0001-01-01",
		"modified_after=2026-01-01T00:00:00Z", "minimum_age=0&maximum_age=130", "per_page=100&page=1000000",
		"day=MO&start_time=09:00&end_time=17:30"} {
		if resp, body := e.raw("GET", "/openreferral/services?"+q, "", nil); resp.StatusCode != 200 {
			t.Errorf("%s: %d %.300s", q, resp.StatusCode, body)
		}
	}
	if resp, body := e.raw("GET", "/openreferral/services/%00", "", nil); resp.StatusCode != 400 || !strings.Contains(body, `"field":"id"`) {
		t.Errorf("a NUL id: %d %s", resp.StatusCode, body)
	}
}

// The application connects as a role that is no superuser and holds only
// SELECT and INSERT on the audit trail: it can neither rewrite the trail
// nor switch its append-only trigger off.
func TestAppRoleCannotTouchTheAuditTrail(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	var role struct {
		Name                                          string
		Super, CreateDB, CreateRole, Replication, RLS bool
	}
	if err := e.st.DB.NewRaw(`SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls
		FROM pg_roles WHERE rolname = current_user`).Scan(ctx, &role.Name, &role.Super, &role.CreateDB, &role.CreateRole,
		&role.Replication, &role.RLS); err != nil {
		t.Fatal(err)
	}
	if role.Super || role.CreateDB || role.CreateRole || role.Replication || role.RLS {
		t.Fatalf("the application's role %s has powers it must not: %+v", role.Name, role)
	}
	var before int
	var dbName string
	e.st.DB.NewRaw("SELECT count(*), current_database() FROM audit_log").Scan(ctx, &before, &dbName)
	if before == 0 {
		t.Fatal("signing in wrote no audit entry")
	}
	for _, stmt := range []string{
		"SET session_replication_role = replica",
		"UPDATE audit_log SET reason = 'rewritten'",
		"DELETE FROM audit_log",
		"TRUNCATE audit_log",
		"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
		"DROP TRIGGER audit_log_no_change ON audit_log",
		"CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
		"DROP TABLE audit_log",
		"ALTER TABLE audit_log RENAME TO old_audit_log",
		"CREATE RULE quiet AS ON INSERT TO audit_log DO INSTEAD NOTHING",
		"CREATE TRIGGER skip BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
		"ALTER DATABASE " + dbName + " SET session_replication_role = replica",
		"SET log_min_error_statement = error",
	} {
		t.Run(stmt[:min(len(stmt), 40)], func(t *testing.T) {
			if _, err := e.st.DB.ExecContext(ctx, stmt); err == nil {
				t.Errorf("the application's role may run %q", stmt)
			}
		})
	}
	var after int
	e.st.DB.NewRaw("SELECT count(*) FROM audit_log").Scan(ctx, &after)
	if after < before {
		t.Fatalf("audit entries went from %d to %d", before, after)
	}
	// It still adds entries: sign in again.
	e.login(testAdmin, testPassword)
	e.st.DB.NewRaw("SELECT count(*) FROM audit_log").Scan(ctx, &after)
	if after <= before {
		t.Fatal("the application's role can no longer add to the audit trail")
	}
}

// A private cluster from before the application had its own role holds
// tables the superuser owns: HandOver gives them to the application's role
// and SealAuditTrail then takes the audit trail from it.
func TestHandOverADatabaseMigratedByTheSuperuser(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.Server()
	if err := pg.CreateDatabase(ctx, "handover_old", "template0"); err != nil {
		t.Fatal(err)
	}
	admin, err := store.Open(ctx, pg.URL("handover_old"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := admin.HandOver(ctx, pgserver.AppRole); err != nil {
		t.Fatal(err)
	}
	app, err := store.Open(ctx, pg.AppURL("handover_old"))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if n, err := app.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("the application cannot read its migrations: %d, %v", n, err)
	}
	if _, err := app.DB.ExecContext(ctx, "INSERT INTO teams (id, name) VALUES (gen_random_uuid(), 'Handed over')"); err != nil {
		t.Fatalf("the application cannot write its tables: %v", err)
	}
	if err := admin.SealAuditTrail(ctx, pgserver.AppRole, pgserver.AuditRole); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB.ExecContext(ctx, "INSERT INTO audit_log (actor_kind, action, outcome) VALUES ('anonymous', 'test', 'denied')"); err != nil {
		t.Fatalf("the application cannot add to the sealed trail: %v", err)
	}
	if _, err := app.DB.ExecContext(ctx, "TRUNCATE audit_log"); err == nil {
		t.Fatal("the application may truncate the sealed trail")
	}
	// Sealing again (every start) changes nothing.
	if err := admin.SealAuditTrail(ctx, pgserver.AppRole, pgserver.AuditRole); err != nil {
		t.Fatal(err)
	}
}
