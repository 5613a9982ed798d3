// Package apitest tests the HTTP API end to end: a real server on
// 127.0.0.1 over a real PostgreSQL.
package apitest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/server"
	"github.com/signpost/signpost/store"
	"github.com/uptrace/bun"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// cheapHashes: tests sign in often; production costs are in access.
var cheapHashes = access.WithPasswordParams(access.PasswordParams{Memory: 1024, Time: 1, Threads: 1})

// statementCounter counts SQL statements sent through Bun while serving
// HTTP requests (not the indexer's own polling).
type statementCounter struct{ n atomic.Int64 }

type inRequest struct{}

func (c *statementCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (c *statementCounter) AfterQuery(ctx context.Context, _ *bun.QueryEvent) {
	if ctx.Value(inRequest{}) != nil {
		c.n.Add(1)
	}
}

func markRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), inRequest{}, true)))
	})
}

type env struct {
	t       testing.TB
	url     string
	st      *store.Store
	dir     *directory.Directory
	queries *statementCounter
	x       *indexer.Indexer
	acc     *access.Service
	// cookie is the session every request carries: a signed-in
	// administrator unless a test chooses otherwise ("" is anonymous).
	cookie string
	// bearer, when set, is sent as an API token instead.
	bearer string
}

const testAdmin, testPassword = "admin@test.example", "a long test password 42"

type envOptions struct {
	introspectionOff bool
	demo             bool
	// edge, when set, adjusts the server's options (proxies, cookie, metrics).
	edge func(*server.Options)
}

func newEnv(t testing.TB, opts envOptions) *env {
	t.Helper()
	st := pgtest.NewStore(t)
	counter := &statementCounter{}
	//lint:ignore SA1019 the store comes ready-made from pgtest; a hook added afterwards is what counting needs
	st.DB.AddQueryHook(counter)
	policy := access.NewRolePolicy(st, nil)
	acc := access.NewService(st, policy, cheapHashes)
	dir := directory.New(st, policy)
	if opts.demo {
		// Seeding is the command line's job, not a caller's.
		if _, err := seed.Demo(context.Background(), directory.New(st, access.Open{}), st); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := acc.Bootstrap(context.Background(), access.AccountInput{Email: testAdmin, Role: access.RoleAdmin, Password: testPassword}, false); err != nil {
		t.Fatal(err)
	}
	x, err := indexer.Open(context.Background(), st, filepath.Join(t.TempDir(), "index"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); x.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; x.Close() })
	match := matching.New(st, x.Index(), policy)
	dir.UseSearcher(match)
	so := server.Options{Store: st, Directory: dir, Matching: match, Access: acc, Casework: casework.New(st, policy),
		Introspection: !opts.introspectionOff, Logger: slog.New(slog.DiscardHandler)}
	if opts.edge != nil {
		opts.edge(&so)
	}
	h := server.NewHandler(so)
	srv := httptest.NewServer(markRequests(h))
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL, st: st, dir: dir, queries: counter, x: x, acc: acc}
	e.cookie = e.login(testAdmin, testPassword)
	return e
}

// login signs in through the API and returns the session cookie's value.
func (e *env) login(email, password string) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { id } }`,
		"variables": map[string]any{"e": email, "p": password}})
	resp, err := http.Post(e.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie && c.Value != "" {
			return c.Value
		}
	}
	raw, _ := io.ReadAll(resp.Body)
	e.t.Fatalf("login as %s set no session cookie: %s", email, raw)
	return ""
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

func (e *env) do(query string, vars map[string]any) gqlResponse {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if e.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+e.bearer)
	} else if e.cookie != "" {
		req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: e.cookie})
		req.Header.Set(server.CSRFHeader, "1")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("decoding response %q: %v", raw, err)
	}
	return out
}

// ok runs a query that must succeed and decodes its data into dst.
func (e *env) ok(query string, vars map[string]any, dst any) {
	e.t.Helper()
	r := e.do(query, vars)
	if len(r.Errors) > 0 {
		e.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if dst != nil {
		if err := json.Unmarshal(r.Data, dst); err != nil {
			e.t.Fatalf("decoding data %s: %v", r.Data, err)
		}
	}
}

// fails runs a query that must fail with code, returning the error.
func (e *env) fails(query string, vars map[string]any, code string) gqlError {
	e.t.Helper()
	r := e.do(query, vars)
	if len(r.Errors) == 0 {
		e.t.Fatalf("expected a %s error, got data %s", code, r.Data)
	}
	if got := r.Errors[0].Extensions["code"]; got != code {
		e.t.Fatalf("error code = %v, want %s (error %+v)", got, code, r.Errors[0])
	}
	return r.Errors[0]
}

func (e *env) get(path string) (int, string) {
	e.t.Helper()
	resp, err := http.Get(e.url + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// counts returns the number of rows in the directory's tables, to check a
// failed write changed nothing.
func (e *env) counts() map[string]int {
	e.t.Helper()
	out := map[string]int{}
	for _, table := range []string{"organisations", "services", "locations", "service_at_locations", "schedules",
		"cost_options", "contacts", "service_terms", "outbox"} {
		var n int
		if err := e.st.DB.NewSelect().TableExpr(table).ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
			e.t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func sameCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// globalServiceID is the GraphQL id of a service with this UUID.
func globalServiceID(uuid string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("Service:" + uuid))
}

// synced waits until the index has applied every change written so far.
func (e *env) synced() {
	e.t.Helper()
	head, err := e.st.OutboxHead(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	// A deadline only so that a broken indexer fails rather than hangs;
	// how fast changes arrive is measured in the indexer's tests' logs.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := e.x.WaitFor(ctx, head); err != nil {
		e.t.Fatalf("the index did not catch up with outbox entry %d: %v", head, err)
	}
}

func decodeB64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
