package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// cheapHashes: these tests sign in often.
var cheapHashes = WithPasswordParams(PasswordParams{Memory: 1024, Time: 1, Threads: 1})

const rightPassword = "a long test password 42"

// signin is a Service over a fresh database with a fixed clock that the
// test moves, and one account.
type signin struct {
	t     *testing.T
	st    *store.Store
	svc   *Service
	clock *atomic.Int64 // UnixNano
	email string
}

func newSignin(t *testing.T) *signin {
	t.Helper()
	st := pgtest.NewStore(t)
	svc := NewService(st, NewRolePolicy(st, nil), cheapHashes)
	clock := &atomic.Int64{}
	clock.Store(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).UnixNano())
	svc.SetClock(func() time.Time { return time.Unix(0, clock.Load()) })
	s := &signin{t: t, st: st, svc: svc, clock: clock, email: "ada@test.example"}
	if _, err := svc.Bootstrap(context.Background(), AccountInput{Email: s.email, Role: RoleAdmin, Password: rightPassword}, false); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *signin) advance(d time.Duration) { s.clock.Add(int64(d)) }

// from is a request from a network address.
func from(address string) context.Context {
	return WithRequest(context.Background(), Request{Address: address, UserAgent: "test", RequestID: address})
}

// login signs in and reports "ok", "wrong" or "throttled".
func (s *signin) login(ctx context.Context, email, password string) string {
	s.t.Helper()
	_, _, err := s.svc.Login(ctx, email, password, "")
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrThrottled) && errors.Is(err, fault.Unauthenticated):
		return "throttled"
	case errors.Is(err, ErrBadCredentials):
		return "wrong"
	}
	s.t.Fatalf("login: %v", err)
	return ""
}

// TestParallelGuessesAreCountedBeforeTheyAreChecked is finding 6: the
// throttle was checked before the password hash and recorded after it, so
// 40 parallel guesses were all checked. Every guess here blocks inside the
// password check until all 40 have either reached it or been refused: only
// the free attempts of the e-mail and address pair may reach it.
func TestParallelGuessesAreCountedBeforeTheyAreChecked(t *testing.T) {
	s := newSignin(t)
	s.svc.hashes = newHashGate(40, 40) // this test is about the throttle, not the gate
	entered, release := make(chan struct{}, 40), make(chan struct{})
	s.svc.checkPassword = func(encoded, password string) bool {
		entered <- struct{}{}
		<-release
		return CheckPassword(encoded, password)
	}
	results := make(chan string, 40)
	for i := range 40 {
		pw := fmt.Sprintf("guess number %d", i)
		if i == 19 {
			pw = rightPassword // the 20th guess is right
		}
		go func() {
			_, _, err := s.svc.Login(from("198.51.100.7"), s.email, pw, "")
			results <- outcome(err)
		}()
	}
	checked, got := 0, map[string]int{}
	for checked+sum(got) < 40 {
		select {
		case <-entered:
			checked++
		case r := <-results:
			got[r]++
		}
	}
	close(release)
	for sum(got) < 40 {
		got[<-results]++
	}
	if checked > throttlePair.free || got["throttled"] < 40-throttlePair.free {
		t.Fatalf("%d of 40 parallel guesses were checked (at most %d may be); outcomes %v", checked, throttlePair.free, got)
	}
	if got["error"] > 0 {
		t.Fatalf("outcomes %v", got)
	}
}

func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrThrottled):
		return "throttled"
	case errors.Is(err, ErrBadCredentials):
		return "wrong"
	}
	return "error"
}

func sum(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// TestFailuresDelayRatherThanLockOut: after the free failures of a pair,
// each attempt waits a delay that doubles, and the right password after
// the delay works (it used to be locked out for 15 minutes).
func TestFailuresDelayRatherThanLockOut(t *testing.T) {
	s := newSignin(t)
	ctx := from("198.51.100.7")
	for i := range throttlePair.free {
		if got := s.login(ctx, s.email, "wrong guess"); got != "wrong" {
			t.Fatalf("free failure %d: %s", i+1, got)
		}
	}
	// Each further failure doubles the wait: 1 s, 2 s, 4 s.
	for _, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		if got := s.login(ctx, s.email, rightPassword); got != "throttled" {
			t.Fatalf("the right password before the %s delay passed: %s", wait, got)
		}
		s.advance(wait - time.Millisecond)
		if got := s.login(ctx, s.email, "wrong guess"); got != "throttled" {
			t.Fatalf("a guess just before the %s delay passed: %s", wait, got)
		}
		s.advance(time.Millisecond)
		if got := s.login(ctx, s.email, "wrong guess"); got != "wrong" {
			t.Fatalf("a guess after the %s delay: %s", wait, got)
		}
	}
	// The delay is capped: long after many failures one attempt waits at most Cap.
	s.advance(throttlePair.cap)
	if got := s.login(ctx, s.email, rightPassword); got != "ok" {
		t.Fatalf("the right password after the delay: %s", got)
	}
	// Success forgets the pair's failures.
	for i := range throttlePair.free {
		if got := s.login(ctx, s.email, "wrong again"); got != "wrong" {
			t.Fatalf("free failure %d after signing in: %s", i+1, got)
		}
	}
}

// TestTheDelayIsCapped: however many failures, the wait is at most Cap.
func TestTheDelayIsCapped(t *testing.T) {
	s := newSignin(t)
	ctx := from("198.51.100.7")
	for i := range 30 {
		if got := s.login(ctx, s.email, "wrong guess"); got != "wrong" {
			t.Fatalf("failure %d: %s", i+1, got)
		}
		s.advance(throttlePair.cap)
	}
	if got := s.login(ctx, s.email, rightPassword); got != "ok" {
		t.Fatalf("after 30 failures, each %s apart: %s", throttlePair.cap, got)
	}
}

// TestGuessesFromManyPlacesSlowAnEmailAddress: the e-mail alone has its
// own, looser limit, and its owner still gets in once the delay has passed.
func TestGuessesFromManyPlacesSlowAnEmailAddress(t *testing.T) {
	s := newSignin(t)
	for i := range throttleEmail.free {
		if got := s.login(from(fmt.Sprintf("203.0.113.%d", i)), s.email, "wrong guess"); got != "wrong" {
			t.Fatalf("failure %d: %s", i+1, got)
		}
	}
	owner := from("192.0.2.10")
	if got := s.login(owner, s.email, rightPassword); got != "throttled" {
		t.Fatalf("after %d failures from other addresses: %s", throttleEmail.free, got)
	}
	if got := s.login(owner, "someone.else@test.example", "wrong guess"); got != "wrong" {
		t.Fatalf("another e-mail address from the same place is not slowed: %s", got)
	}
	s.advance(throttleEmail.base)
	if got := s.login(owner, s.email, rightPassword); got != "ok" {
		t.Fatalf("the owner after the delay: %s", got)
	}
}

// TestOneAddressTryingManyAccountsIsSlowed: per network address.
func TestOneAddressTryingManyAccountsIsSlowed(t *testing.T) {
	s := newSignin(t)
	ctx := from("198.51.100.99")
	for i := range throttleAddress.free {
		if got := s.login(ctx, fmt.Sprintf("user%d@test.example", i), "wrong guess"); got != "wrong" {
			t.Fatalf("failure %d: %s", i+1, got)
		}
	}
	if got := s.login(ctx, "another@test.example", "wrong guess"); got != "throttled" {
		t.Fatalf("after %d failures from one address: %s", throttleAddress.free, got)
	}
	if got := s.login(from("198.51.100.100"), s.email, rightPassword); got != "ok" {
		t.Fatalf("another address: %s", got)
	}
}

// TestReplicasShareTheThrottle: the counts live in PostgreSQL, so a second
// server process (another Service on the same database) sees them.
func TestReplicasShareTheThrottle(t *testing.T) {
	s := newSignin(t)
	other := NewService(s.st, NewRolePolicy(s.st, nil), cheapHashes)
	other.SetClock(s.svc.now)
	ctx := from("198.51.100.7")
	for range throttlePair.free {
		s.login(ctx, s.email, "wrong guess")
	}
	if _, _, err := other.Login(ctx, s.email, rightPassword, ""); !errors.Is(err, ErrThrottled) {
		t.Fatalf("the other replica let the attempt through: %v", err)
	}
}

// TestOldAttemptsAreForgottenAndPruned.
func TestOldAttemptsAreForgottenAndPruned(t *testing.T) {
	s := newSignin(t)
	ctx := from("198.51.100.7")
	for range throttlePair.free + 1 {
		s.login(ctx, s.email, "wrong guess")
	}
	rows := func() (n int) {
		if err := s.st.DB.NewSelect().TableExpr("login_throttle").ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := rows(); n != 3 {
		t.Fatalf("%d rows, want 3 (e-mail, address, pair)", n)
	}
	s.advance(ForgetFailuresAfter + time.Minute)
	// Free again, and the old rows are pruned: only this attempt's remain.
	if got := s.login(from("192.0.2.1"), "other@test.example", "wrong guess"); got != "wrong" {
		t.Fatalf("after a day: %s", got)
	}
	if n := rows(); n != 3 {
		t.Fatalf("%d rows after pruning, want 3", n)
	}
	for i := range throttlePair.free {
		if got := s.login(ctx, s.email, "wrong guess"); got != "wrong" {
			t.Fatalf("failure %d after a day: %s", i+1, got)
		}
	}
	var stored int
	s.st.DB.NewSelect().TableExpr("login_throttle").ColumnExpr("count(*)").Where("key LIKE ?", "%ada%").Scan(context.Background(), &stored)
	if stored != 0 {
		t.Fatal("e-mail addresses are stored in the throttle table")
	}
}

// TestPasswordChecksAreBounded: past the gate's slots and queue, a sign-in
// is refused at once with the throttled error, and is not counted.
func TestPasswordChecksAreBounded(t *testing.T) {
	s := newSignin(t)
	s.svc.hashes = newHashGate(1, 0)
	if err := s.svc.hashes.enter(context.Background()); err != nil { // a check in progress
		t.Fatal(err)
	}
	ctx := from("198.51.100.7")
	for range throttlePair.free + 2 {
		if got := s.login(ctx, s.email, rightPassword); got != "throttled" {
			t.Fatalf("with the gate full: %s", got)
		}
	}
	s.svc.hashes.leave()
	// Refusals at the gate were taken back: the free attempts remain.
	for i := range throttlePair.free {
		if got := s.login(ctx, s.email, "wrong guess"); got != "wrong" {
			t.Fatalf("free failure %d: %s", i+1, got)
		}
	}
}

func TestHashGateQueueAndContext(t *testing.T) {
	g := newHashGate(1, 1)
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A waiter whose request has gone stops waiting.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.enter(ctx); !errors.Is(err, ErrThrottled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("waiting with a cancelled context: %v", err)
	}
	g.leave()
	if err := g.enter(context.Background()); err != nil {
		t.Fatalf("after leave: %v", err)
	}
}

// TestSigningInEndsOtherSessions: one session per person.
func TestSigningInEndsOtherSessions(t *testing.T) {
	s := newSignin(t)
	_, first, err := s.svc.Login(from("192.0.2.1"), s.email, rightPassword, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.svc.Login(from("192.0.2.2"), s.email, rightPassword, ""); err != nil {
		t.Fatal(err)
	}
	if id, err := s.svc.SessionIdentity(context.Background(), first); err != nil || id != nil {
		t.Fatalf("the first session survived a second sign-in: %+v, %v", id, err)
	}
}

// TestRFC6238Vectors checks TOTP against RFC 6238 appendix B (SHA-1), in
// its eight digits and in the six an authenticator shows.
func TestRFC6238Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		want string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"}, {1234567890, "89005924"},
		{2000000000, "69279037"}, {20000000000, "65353130"}} {
		at := time.Unix(v.unix, 0)
		if got := hotp(key, TOTPStep(at), 8); got != v.want {
			t.Errorf("T=%d: %s, want %s", v.unix, got, v.want)
		}
		if got, err := TOTPCode(b32.EncodeToString(key), at); err != nil || got != v.want[2:] {
			t.Errorf("T=%d: six digits %s (%v), want %s", v.unix, got, err, v.want[2:])
		}
	}
}

func TestTOTPWindowAndReplay(t *testing.T) {
	key := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	step := TOTPStep(now)
	code := func(st int64) string { return hotp(key, st, TOTPDigits) }
	for _, c := range []struct {
		name string
		code string
		last int64
		ok   bool
	}{
		{"current", code(step), 0, true},
		{"with a space", code(step)[:3] + " " + code(step)[3:], 0, true},
		{"previous step", code(step - 1), 0, true},
		{"next step", code(step + 1), 0, true},
		{"two steps old", code(step - 2), 0, false},
		{"two steps ahead", code(step + 2), 0, false},
		{"replayed", code(step), step, false},
		{"older than the last used", code(step - 1), step, false},
		{"empty", "", 0, false},
		{"letters", "abcdef", 0, false},
	} {
		if _, ok := verifyTOTP(key, c.code, now, c.last); ok != c.ok {
			t.Errorf("%s: accepted %v, want %v", c.name, ok, c.ok)
		}
	}
	uri := totpURI(key, "ada@test.example")
	if !strings.HasPrefix(uri, "otpauth://totp/Signpost:ada@test.example?") || !strings.Contains(uri, "secret="+b32.EncodeToString(key)) ||
		!strings.Contains(uri, "issuer=Signpost") || !strings.Contains(uri, "digits=6") || !strings.Contains(uri, "period=30") {
		t.Errorf("uri %s", uri)
	}
}

// TestBreachedPasswordsAreRefused: the embedded list, and listed passwords
// with a little added.
func TestBreachedPasswordsAreRefused(t *testing.T) {
	if n := len(breachedPasswords()); n < 95000 {
		t.Fatalf("the embedded list has %d passwords", n)
	}
	for _, pw := range []string{"password12345678", "Signpost2026", "summer2024!!", "Baseball1234", "1qaz2wsx3edc",
		"P@ssw0rd2024!", "!!2024football", "iloveyou12345"} {
		if err := CheckStrength(pw, "jane.doe@example.org"); !errors.Is(err, ErrWeakPassword) {
			t.Errorf("%q was accepted", pw)
		}
	}
	for _, pw := range []string{"correct horse battery staple", "a long test password 42", "tram-lantern-Ashbridge-49",
		"my nan's allotment in 1962"} {
		if err := CheckStrength(pw, "jane.doe@example.org"); err != nil {
			t.Errorf("%q: %v", pw, err)
		}
	}
}

func TestAdminReasons(t *testing.T) {
	for reason, ok := range map[string]bool{
		"subject access request 2026-114":  true,
		" ":                                false,
		"because":                          false,
		"          because   ":             false,
		"complaint 42":                     true,
		strings.Repeat("x", 501):           false,
		strings.Repeat("x", 500):           true,
		"safeguarding\x00 review":          false,
		"safeguarding\u202e review":        false,
		"safeguarding\nreview of referral": false,
	} {
		err := CheckReason(reason)
		var invalid *fault.Invalid
		if ok && err != nil || !ok && (!errors.As(err, &invalid) || invalid.Problems[0].Field != "reason") {
			t.Errorf("%q: %v", reason, err)
		}
	}
	admin := &Identity{Kind: ByAccount, Role: RoleAdmin}
	var invalid *fault.Invalid
	if err := Decide(admin, ReadClient, Resource{Reason: " "}); !errors.As(err, &invalid) {
		t.Errorf("an admin's reason of one space: %v", err)
	}
	if err := Decide(admin, ReadClient, Resource{}); !errors.Is(err, fault.Forbidden) {
		t.Errorf("an admin with no reason: %v", err)
	}
}

// TestOneRefusalPerRequestIsAudited: refusals are audited, but one request
// writes at most one refusal; allowed decisions are all written.
func TestOneRefusalPerRequestIsAudited(t *testing.T) {
	s := newSignin(t)
	policy := NewRolePolicy(s.st, nil)
	count := func() (n int) {
		if err := s.st.DB.NewSelect().TableExpr("audit_log").ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	ctx := from("198.51.100.7")
	for range 100 {
		if err := policy.Authorize(ctx, CreateOrganisation, Resource{Kind: "organisation"}); !errors.Is(err, fault.Unauthenticated) {
			t.Fatalf("anonymous: %v", err)
		}
	}
	if got := count() - before; got != 1 {
		t.Fatalf("100 refusals in one request wrote %d audit rows, want 1", got)
	}
	if n := UnrecordedRefusals(ctx); n != 99 {
		t.Fatalf("%d refusals counted but not written, want 99", n)
	}
	admin := WithIdentity(ctx, &Identity{Kind: ByAccount, Role: RoleAdmin, Label: "admin"})
	for range 3 {
		if err := policy.Authorize(admin, CreateOrganisation, Resource{Kind: "organisation"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := count() - before; got != 4 {
		t.Fatalf("allowed decisions: %d rows, want 4", got)
	}
	policy.Authorize(from("198.51.100.8"), CreateOrganisation, Resource{Kind: "organisation"})
	if got := count() - before; got != 5 {
		t.Fatalf("another request's refusal: %d rows, want 5", got)
	}
	// A signed-in caller's refusals are each written.
	partner := WithIdentity(from("198.51.100.9"), &Identity{Kind: ByAccount, Role: RolePartner, Label: "partner"})
	for range 3 {
		if err := policy.Authorize(partner, CreateOrganisation, Resource{Kind: "organisation"}); !errors.Is(err, fault.Forbidden) {
			t.Fatalf("partner: %v", err)
		}
	}
	if got := count() - before; got != 8 {
		t.Fatalf("a partner's three refusals in one request: %d rows in all, want 8", got)
	}
}

// TestAnIPv6NetworkCountsAsOneAddress: a guesser holding a /64 cannot
// escape the per-address count by rotating through its addresses; the
// next /64 is someone else.
func TestAnIPv6NetworkCountsAsOneAddress(t *testing.T) {
	s := newSignin(t)
	for i := range throttleAddress.free {
		ctx := from(fmt.Sprintf("2001:db8:1:2::%x", i+1))
		if got := s.login(ctx, fmt.Sprintf("user%d@test.example", i), "wrong guess"); got != "wrong" {
			t.Fatalf("failure %d: %s", i+1, got)
		}
	}
	if got := s.login(from("2001:db8:1:2:ffff::1"), "another@test.example", "wrong guess"); got != "throttled" {
		t.Fatalf("after %d failures from one /64: %s", throttleAddress.free, got)
	}
	if got := s.login(from("2001:db8:1:3::1"), s.email, rightPassword); got != "ok" {
		t.Fatalf("the next /64: %s", got)
	}
	for _, c := range []struct{ in, want string }{
		{"192.0.2.7", "192.0.2.7"}, {"::ffff:192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"}, {"fe80::1%eth0", "fe80::/64"}, {"command line", "command line"},
	} {
		if got := networkOf(c.in); got != c.want {
			t.Errorf("networkOf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
