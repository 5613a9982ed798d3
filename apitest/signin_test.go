package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/server"
	"github.com/signpost/signpost/store"
)

// Sign-in end to end: throttling, one session per person, two-factor
// sign-in, breached passwords, administrators' reasons, and refusals in
// the audit trail.

// fixClock stops the server's clock at a fixed time and returns it and a
// way to move it on.
func (e *env) fixClock() (func() time.Time, func(time.Duration)) {
	var at atomic.Int64
	at.Store(time.Now().UnixNano())
	now := func() time.Time { return time.Unix(0, at.Load()) }
	e.acc.SetClock(now)
	return now, func(d time.Duration) { at.Add(int64(d)) }
}

// signIn posts a login without a cookie and returns the new session's
// cookie (empty when refused) and the response. It is safe to call from
// several goroutines.
func (e *env) signIn(email, password, code string) (string, gqlResponse, error) {
	vars := map[string]any{"e": email, "p": password}
	if code != "" {
		vars["c"] = code
	}
	body, _ := json.Marshal(map[string]any{"query": `mutation($e: String!, $p: String!, $c: String) { login(email: $e, password: $p, code: $c) { id } }`,
		"variables": vars})
	resp, err := http.Post(e.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", gqlResponse{}, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", out, fmt.Errorf("decoding %q: %w", raw, err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie && c.Value != "" {
			return c.Value, out, nil
		}
	}
	return "", out, nil
}

// refusedSignIn signs in expecting UNAUTHENTICATED and returns its message.
func (e *env) refusedSignIn(email, password, code string) string {
	e.t.Helper()
	cookie, r, err := e.signIn(email, password, code)
	if err != nil {
		e.t.Fatal(err)
	}
	if cookie != "" || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
		e.t.Fatalf("sign-in as %s was not refused: %+v", email, r)
	}
	return r.Errors[0].Message
}

func (e *env) auditRows(where string, args ...any) int {
	e.t.Helper()
	var n int
	q := e.st.DB.NewSelect().TableExpr("audit_log").ColumnExpr("count(*)")
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Scan(context.Background(), &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) lastAuditID() int64 {
	e.t.Helper()
	var id int64
	if err := e.st.DB.NewSelect().TableExpr("audit_log").ColumnExpr("coalesce(max(id), 0)").Scan(context.Background(), &id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// TestParallelSignInsAreThrottledBeforeTheyAreChecked is finding 6 over
// HTTP: of 40 simultaneous guesses (the 20th right), only the free
// attempts of one e-mail address from one place are checked; the audit
// trail shows which were.
func TestParallelSignInsAreThrottledBeforeTheyAreChecked(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.fixClock()
	mark := e.lastAuditID()
	type result struct {
		cookie string
		err    error
	}
	results := make(chan result, 40)
	for i := range 40 {
		pw := fmt.Sprintf("guess number %d", i)
		if i == 19 {
			pw = testPassword
		}
		go func() {
			cookie, _, err := e.signIn(testAdmin, pw, "")
			results <- result{cookie, err}
		}()
	}
	signedIn := 0
	for range 40 {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.cookie != "" {
			signedIn++
		}
	}
	checked := e.auditRows("id > ? AND action = 'session.login' AND reason <> 'throttled'", mark)
	throttled := e.auditRows("id > ? AND action = 'session.login' AND reason = 'throttled'", mark)
	if checked > 3 || checked+throttled != 40 || signedIn > 1 {
		t.Fatalf("of 40 parallel guesses %d were checked (at most 3 may be), %d throttled, %d signed in", checked, throttled, signedIn)
	}
}

// TestFailedSignInsDelayTheNextRatherThanLockOut: the right password
// after the delay works; before, five failures locked the e-mail address
// for 15 minutes whatever the password.
func TestFailedSignInsDelayTheNextRatherThanLockOut(t *testing.T) {
	e := newEnv(t, envOptions{})
	_, advance := e.fixClock()
	wrong := e.refusedSignIn(testAdmin, "guess number 1", "")
	for i := 2; i <= 5; i++ {
		e.refusedSignIn(testAdmin, fmt.Sprintf("guess number %d", i), "")
	}
	msg := e.refusedSignIn(testAdmin, testPassword, "")
	if msg == wrong || !strings.Contains(msg, "too many sign-in attempts") || !strings.Contains(msg, "try again in 1s") {
		t.Fatalf("the right password too soon after failures: %q", msg)
	}
	advance(time.Second)
	if cookie, r, err := e.signIn(testAdmin, testPassword, ""); err != nil || cookie == "" {
		t.Fatalf("the right password after the delay: %+v %v", r, err)
	}
}

// TestSigningInAgainEndsTheOlderSession: one session per person.
func TestSigningInAgainEndsTheOlderSession(t *testing.T) {
	e := newEnv(t, envOptions{})
	older := e.cookie
	newer := e.login(testAdmin, testPassword)
	e.cookie = older
	if e.me() != nil {
		t.Fatal("the older session still works after signing in again")
	}
	e.cookie = newer
	if m := e.me(); m == nil || m.Email != testAdmin {
		t.Fatalf("the newer session: %+v", m)
	}
}

// TestLogoutEverywhere ends every session of the person, including any
// from before sign-in ended older ones, and clears the cookie.
func TestLogoutEverywhere(t *testing.T) {
	e := newEnv(t, envOptions{})
	var me struct{ Me struct{ ID string } }
	e.ok(`{ me { id } }`, nil, &me)
	_, id, _ := parseGID(me.Me.ID)
	a, err := e.st.AccountByEmail(context.Background(), testAdmin)
	if err != nil || a.ID.String() != id {
		t.Fatalf("account %v: %v", a, err)
	}
	now := time.Now()
	if err := e.st.InsertSession(context.Background(), &store.Session{TokenHash: "an old session", AccountID: a.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	body := strings.NewReader(`{"query":"mutation { logoutEverywhere }"}`)
	req, _ := http.NewRequest(http.MethodPost, e.url+"/graphql", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.CSRFHeader, "1")
	req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cleared := false
	for _, c := range resp.Cookies() {
		cleared = cleared || c.Name == server.SessionCookie && c.MaxAge < 0
	}
	if !cleared {
		t.Error("logoutEverywhere did not clear the cookie")
	}
	if e.me() != nil {
		t.Fatal("the session still works after logoutEverywhere")
	}
	var left int
	e.st.DB.NewSelect().TableExpr("sessions").ColumnExpr("count(*)").Where("account_id = ?", a.ID).Scan(context.Background(), &left)
	if left != 0 {
		t.Fatalf("%d sessions left", left)
	}
	e.fails(`mutation { logoutEverywhere }`, nil, "UNAUTHENTICATED")
}

// TestTwoFactorSignInForAdministrators follows an administrator turning
// TOTP on, signing in with it, and turning it off.
func TestTwoFactorSignInForAdministrators(t *testing.T) {
	e := newEnv(t, envOptions{})
	now, advance := e.fixClock()
	code := func(secret string) string {
		c, err := access.TOTPCode(secret, now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	e.cookie = e.login(testAdmin, testPassword) // under the fixed clock
	// A borrowed session alone cannot enrol: the password is asked for.
	e.fails(`mutation { enrolTotp(password: "not the password 42") { secret } }`, nil, "UNAUTHENTICATED")
	var pending int
	if err := e.st.DB.NewRaw("SELECT count(*) FROM accounts WHERE totp_secret IS NOT NULL").Scan(context.Background(), &pending); err != nil || pending != 0 {
		t.Fatalf("a refused enrolment stored %d secrets (%v)", pending, err)
	}
	var enrol struct{ EnrolTotp struct{ Secret, URI string } }
	e.ok(`mutation($p: String!) { enrolTotp(password: $p) { secret uri } }`, map[string]any{"p": testPassword}, &enrol)
	secret := enrol.EnrolTotp.Secret
	if len(secret) < 32 || !strings.HasPrefix(enrol.EnrolTotp.URI, "otpauth://totp/Signpost:") ||
		!strings.Contains(enrol.EnrolTotp.URI, "secret="+secret) {
		t.Fatalf("enrolment %+v", enrol)
	}
	// Not in force until confirmed.
	e.cookie = e.login(testAdmin, testPassword)
	err := e.fails(`mutation($c: String!) { confirmTotp(code: $c) { totpEnabled } }`, map[string]any{"c": wrongCode(secret, now())}, "BAD_USER_INPUT")
	if err.Extensions["field"] != "code" {
		t.Fatalf("a wrong confirmation code: %+v", err)
	}
	var confirmed struct{ ConfirmTotp struct{ TotpEnabled bool } }
	e.ok(`mutation($c: String!) { confirmTotp(code: $c) { totpEnabled } }`, map[string]any{"c": code(secret)}, &confirmed)
	if !confirmed.ConfirmTotp.TotpEnabled {
		t.Fatal("two-factor sign-in is not on after confirming")
	}
	e.fails(`mutation($p: String!) { enrolTotp(password: $p) { secret } }`, map[string]any{"p": testPassword}, "CONFLICT")

	// Signing in now needs the code: a missing or wrong one is the same
	// answer as a wrong password.
	advance(access.TOTPPeriod)
	wrongPassword := e.refusedSignIn(testAdmin, "not the password", code(secret))
	if msg := e.refusedSignIn(testAdmin, testPassword, ""); msg != wrongPassword {
		t.Errorf("no code: %q, wrong password: %q", msg, wrongPassword)
	}
	if msg := e.refusedSignIn(testAdmin, testPassword, wrongCode(secret, now())); msg != wrongPassword {
		t.Errorf("wrong code: %q, wrong password: %q", msg, wrongPassword)
	}
	advance(time.Minute) // past the throttle's first delay
	cookie, r, errPost := e.signIn(testAdmin, testPassword, code(secret))
	if errPost != nil || cookie == "" {
		t.Fatalf("signing in with the code: %+v %v", r, errPost)
	}
	// The same code cannot be used twice.
	if msg := e.refusedSignIn(testAdmin, testPassword, code(secret)); msg != wrongPassword {
		t.Errorf("a replayed code: %q", msg)
	}
	// Turning it off needs the password and a fresh code.
	e.cookie = cookie
	advance(access.TOTPPeriod)
	e.fails(`mutation($c: String!) { disableTotp(password: "not the password", code: $c) { id } }`, map[string]any{"c": code(secret)}, "UNAUTHENTICATED")
	advance(time.Minute)
	e.fails(`mutation($c: String!) { disableTotp(password: "`+testPassword+`", code: $c) { id } }`, map[string]any{"c": wrongCode(secret, now())}, "UNAUTHENTICATED")
	advance(time.Minute)
	var off struct{ DisableTotp struct{ TotpEnabled bool } }
	e.ok(`mutation($c: String!) { disableTotp(password: "`+testPassword+`", code: $c) { totpEnabled } }`, map[string]any{"c": code(secret)}, &off)
	if off.DisableTotp.TotpEnabled {
		t.Fatal("two-factor sign-in is still on")
	}
	e.cookie = e.login(testAdmin, testPassword)
	if e.auditRows("action = 'account.totp' AND outcome = 'allowed' AND reason IN ('two-factor sign-in on', 'two-factor sign-in off')") != 2 {
		t.Error("turning two-factor sign-in on and off is not in the audit trail")
	}
}

// wrongCode is a six-digit code that is none of the codes accepted at t.
func wrongCode(secret string, t time.Time) string {
	accepted := map[string]bool{}
	for _, d := range []time.Duration{-access.TOTPPeriod, 0, access.TOTPPeriod} {
		c, _ := access.TOTPCode(secret, t.Add(d))
		accepted[c] = true
	}
	for n := 0; ; n++ {
		if c := fmt.Sprintf("%06d", n); !accepted[c] {
			return c
		}
	}
}

// TestBreachedPasswordsAreRefused: passwords from the breach list, also
// with a little added, are refused naming the field; a passphrase is not.
func TestBreachedPasswordsAreRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	const create = `mutation($p: String!) { createAccount(input: {email: "bob@test.example", role: ADMIN, password: $p}) { id } }`
	for _, pw := range []string{"password12345678", "Signpost2026", "summer2024!!"} {
		err := e.fails(create, map[string]any{"p": pw}, "BAD_USER_INPUT")
		if err.Extensions["field"] != "input.password" || !strings.Contains(err.Message, "breaches") {
			t.Errorf("%q: %+v", pw, err)
		}
	}
	e.ok(create, map[string]any{"p": "tram lantern Ashbridge allotment"}, nil)
}

// TestAnAdministratorsReasonMustSaySomething: a reason of a space, a word
// or with control characters is refused naming the field; the audit trail
// keeps a real one.
func TestAnAdministratorsReasonMustSaySomething(t *testing.T) {
	f := newFixture(t)
	client := f.newClient()
	f.admin()
	const read = `query($id: ID!, $r: String) { client(id: $id, reason: $r) { id } }`
	for _, reason := range []string{" ", "because", "subject access\x00request", strings.Repeat("why ", 130)} {
		err := f.e.fails(read, map[string]any{"id": client, "r": reason}, "BAD_USER_INPUT")
		if err.Extensions["field"] != "reason" {
			t.Errorf("%q: %+v", reason, err)
		}
	}
	f.e.fails(read, map[string]any{"id": client}, "FORBIDDEN")
	var out struct{ Client *struct{ ID string } }
	f.e.ok(read, map[string]any{"id": client, "r": "  subject access request 2026-114  "}, &out)
	if out.Client == nil {
		t.Fatal("a good reason was refused")
	}
	if f.e.auditRows("action = 'client.read' AND outcome = 'allowed' AND reason = 'subject access request 2026-114'") != 1 {
		t.Error("the reason is not in the audit trail, trimmed")
	}
}

// TestRefusedMutationsAreAuditedOncePerRequest: one anonymous request of
// several refused mutations adds one audit row, not one per field.
func TestRefusedMutationsAreAuditedOncePerRequest(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.cookie = ""
	before := e.auditRows("")
	var q strings.Builder
	q.WriteString("mutation {")
	for i := range 5 {
		fmt.Fprintf(&q, ` t%d: createTeam(name: "Team %d") { id }`, i, i)
	}
	q.WriteString(" }")
	r := e.do(q.String(), nil)
	if len(r.Errors) != 5 {
		t.Fatalf("errors %+v", r.Errors)
	}
	for _, err := range r.Errors {
		if err.Extensions["code"] != "UNAUTHENTICATED" {
			t.Fatalf("error %+v", err)
		}
	}
	if got := e.auditRows("") - before; got != 1 {
		t.Fatalf("5 refused mutations in one request added %d audit rows, want 1", got)
	}
	// Another request is audited again.
	e.fails(`mutation { createTeam(name: "x") { id } }`, nil, "UNAUTHENTICATED")
	if got := e.auditRows("") - before; got != 2 {
		t.Fatalf("a second request: %d rows in all, want 2", got)
	}
}
