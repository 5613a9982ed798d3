package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/signpost/signpost/pgserver"
	"github.com/uptrace/bun/driver/pgdriver"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "signpost-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "signpost")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building signpost: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// dataDir is a fresh SIGNPOST_DATA_DIR the postgres user can reach.
func dataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "signpost-cli-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	return dir
}

func signpost(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(cleanEnv(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// cleanEnv drops Signpost's variables from the test's own environment.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SIGNPOST_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			out = append(out, kv)
		}
	}
	return out
}

func TestHelpAndVersion(t *testing.T) {
	out, _, code := signpost(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "signpost ") {
		t.Fatalf("version: %q, exit %d", out, code)
	}
	for _, c := range []string{"serve", "migrate", "seed", "version"} {
		out, _, code := signpost(t, nil, c, "--help")
		if code != 0 || !strings.Contains(out, "Usage: signpost "+c) {
			t.Errorf("%s --help: exit %d, output %q", c, code, out)
		}
	}
	out, _, code = signpost(t, nil, "--help")
	if code != 0 || !strings.Contains(out, "migrate") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
	_, errOut, code := signpost(t, nil, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	_, errOut, code = signpost(t, nil, "migrate", "sideways")
	if code != 2 || !strings.Contains(errOut, "up, down, status") {
		t.Errorf("migrate sideways: exit %d, %q", code, errOut)
	}
	_, errOut, code = signpost(t, nil, "serve", "--no-such-flag")
	if code != 2 || !strings.Contains(errOut, "no-such-flag") {
		t.Errorf("bad flag: exit %d, %q", code, errOut)
	}
}

func TestInvalidConfigurationStopsStartUpNamingTheVariable(t *testing.T) {
	for _, kv := range []string{"SIGNPOST_LOG_FORMAT=xml", "SIGNPOST_LISTEN=nowhere", "SIGNPOST_INTROSPECTION=perhaps", "DATABASE_URL=mysql://x/y",
		"SIGNPOST_TRUSTED_PROXIES=proxy.example", "SIGNPOST_CLIENT_IP_HEADER=X Real IP", "SIGNPOST_COOKIE_SECURE=sometimes",
		"SIGNPOST_PUBLIC_URL=ftp://x", "SIGNPOST_METRICS_LISTEN=9090", "SIGNPOST_METRICS_TOKEN=short"} {
		_, errOut, code := signpost(t, []string{kv}, "serve")
		name := strings.SplitN(kv, "=", 2)[0]
		if code != 1 || !strings.Contains(errOut, name) {
			t.Errorf("%s: exit %d, stderr %q", kv, code, errOut)
		}
	}
}

var readyRE = regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/`)

// startServe runs `signpost serve` and waits for its ready line.
func startServe(t *testing.T, env []string, args ...string) (*exec.Cmd, string, *lockedBuffer) {
	cmd, base, stderr, _ := startServeOutput(t, env, args...)
	return cmd, base, stderr
}

// startServeOutput also returns what serve printed before it was ready.
func startServeOutput(t *testing.T, env []string, args ...string) (*exec.Cmd, string, *lockedBuffer, string) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Env = append(cleanEnv(), env...)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	var before strings.Builder
	for lines.Scan() {
		if m := readyRE.FindStringSubmatch(lines.Text()); m != nil {
			go io.Copy(io.Discard, stdout)
			return cmd, m[1], stderr, before.String()
		}
		before.WriteString(lines.Text() + "\n")
	}
	cmd.Wait()
	t.Fatalf("serve exited before it was ready:\n%s", stderr)
	return nil, "", nil, ""
}

func countServices(t *testing.T, base string) int {
	t.Helper()
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ services { totalCount } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct{ Services struct{ TotalCount int } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Data.Services.TotalCount
}

func stop(t *testing.T, cmd *exec.Cmd, stderr *lockedBuffer) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM:\n%s", err, stderr)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve did not stop within 60s of SIGTERM:\n%s", stderr)
	}
}

// TestServeWithPrivatePostgres is `make run` in miniature: a fresh data
// directory, the private PostgreSQL, demo data, SIGTERM, and a second start
// that reuses the data.
func TestServeWithPrivatePostgres(t *testing.T) {
	dir := dataDir(t)
	metricsAddr := freeAddr(t)
	env := []string{"SIGNPOST_DATA_DIR=" + dir, "SIGNPOST_LISTEN=127.0.0.1:0", "SIGNPOST_METRICS_LISTEN=" + metricsAddr}
	cmd, base, stderr, printed := startServeOutput(t, env, "--demo")
	checkMetricsApart(t, base, metricsAddr)
	checkDatabaseRoles(t, filepath.Join(dir, "postgres"))
	if n := countServices(t, base); n < 150 {
		t.Fatalf("demo services = %d, want at least 150", n)
	}
	// The printed demo sign-ins work.
	m := regexp.MustCompile(`ADMIN\s+(\S+)\s+(\S+)`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("no demo admin printed:\n%s", printed)
	}
	body := fmt.Sprintf(`{"query":"mutation { login(email: \"%s\", password: \"%s\") { role } }"}`, m[1], m[2])
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), `"role":"ADMIN"`) {
		t.Fatalf("signing in with the printed demo password: %s", raw)
	}
	for _, who := range []string{"LINK_WORKER", "PARTNER"} {
		if !strings.Contains(printed, who) {
			t.Errorf("no demo %s printed", who)
		}
	}
	if resp, err := http.Get(base + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/readyz: %v %v", resp, err)
	}
	pidFile := filepath.Join(dir, "postgres", "postmaster.pid")
	if _, err := os.Stat(pidFile); err != nil {
		t.Fatalf("no private PostgreSQL running: %v", err)
	}
	stop(t, cmd, stderr)
	if _, err := os.Stat(pidFile); !os.IsNotExist(err) {
		t.Fatalf("PostgreSQL still running after serve stopped (postmaster.pid: %v)", err)
	}
	if !strings.Contains(stderr.String(), "private PostgreSQL stopped") {
		t.Errorf("no log line for stopping PostgreSQL:\n%s", stderr)
	}

	cmd, base, stderr = startServe(t, env, "--demo")
	if n := countServices(t, base); n < 150 {
		t.Fatalf("after restart, services = %d", n)
	}
	if strings.Contains(stderr.String(), "demo directory loaded") {
		t.Error("the demo was loaded again on a second start")
	}
	stop(t, cmd, stderr)

	// The operator commands use the same data.
	out, _, code := signpost(t, env, "seed", "--demo")
	if code != 0 || !strings.Contains(out, "already loaded") {
		t.Errorf("second seed: exit %d, %q", code, out)
	}
	out, _, code = signpost(t, env, "migrate", "status")
	if code != 0 || !strings.Contains(out, "applied") {
		t.Errorf("migrate status: exit %d, %q", code, out)
	}
	out, _, code = signpost(t, env, "migrate", "up")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("migrate up: exit %d, %q", code, out)
	}
}

func TestMigrateDownAndUpThroughTheCLI(t *testing.T) {
	env := []string{"SIGNPOST_DATA_DIR=" + dataDir(t)}
	out, _, code := signpost(t, env, "migrate", "up")
	if code != 0 || !strings.Contains(out, "applied ") {
		t.Fatalf("migrate up: exit %d, %q", code, out)
	}
	out, _, code = signpost(t, env, "migrate", "down")
	if code != 0 || !strings.Contains(out, "rolled back ") {
		t.Fatalf("migrate down: exit %d, %q", code, out)
	}
	out, _, _ = signpost(t, env, "migrate", "status")
	if !strings.Contains(out, "pending") {
		t.Fatalf("status after down: %q", out)
	}
	out, _, code = signpost(t, env, "seed", "--demo")
	if code != 0 || !strings.Contains(out, "loaded the demo directory") {
		t.Fatalf("seed after down: exit %d, %q", code, out)
	}
	cmd := exec.Command(binary, "admin", "create", "--email", "ops@example.org", "--password-stdin")
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = strings.NewReader("a long operator password\n")
	if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "created administrator ops@example.org") {
		t.Fatalf("admin create: %v\n%s", err, b)
	}
	cmd = exec.Command(binary, "admin", "create", "--email", "weak@example.org", "--password-stdin")
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = strings.NewReader("short\n")
	if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "12 characters") {
		t.Fatalf("admin create with a weak password: %v\n%s", err, b)
	}
	out, errOut, code := signpost(t, env, "reindex")
	if code != 0 || !strings.Contains(out, "indexed 155 services") || !strings.Contains(errOut, "indexing") {
		t.Fatalf("reindex: exit %d, %q, %q", code, out, errOut)
	}
}

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// checkMetricsApart: with SIGNPOST_METRICS_LISTEN, /metrics answers there
// and not on the application's address.
func checkMetricsApart(t *testing.T, base, metricsAddr string) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the application's address: %d, want 404", resp.StatusCode)
	}
	resp, err = http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "signpost_http_requests_total") {
		t.Errorf("/metrics on %s: %d %.200s", metricsAddr, resp.StatusCode, b)
	}
}

// checkDatabaseRoles connects to the private cluster as its superuser (as
// an operator could) and checks that the server works as the application's
// role, which owns its tables, while the audit trail has its own owner.
func checkDatabaseRoles(t *testing.T, pgDir string) {
	t.Helper()
	pw, err := os.ReadFile(filepath.Join(pgDir, "signpost.password"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := os.ReadFile(filepath.Join(pgDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	port := strings.Split(string(pid), "\n")[3]
	dsn := (&url.URL{Scheme: "postgres", User: url.UserPassword(pgserver.Superuser, strings.TrimSpace(string(pw))),
		Host: "127.0.0.1:" + strings.TrimSpace(port), Path: "/signpost", RawQuery: "sslmode=disable"}).String()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	owners := map[string]string{}
	rows, err := db.Query("SELECT tablename, tableowner FROM pg_tables WHERE tablename IN ('audit_log', 'services', 'clients')")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, owner string
		rows.Scan(&table, &owner)
		owners[table] = owner
	}
	rows.Close()
	want := map[string]string{"audit_log": pgserver.AuditRole, "services": pgserver.AppRole, "clients": pgserver.AppRole}
	if fmt.Sprint(owners) != fmt.Sprint(want) {
		t.Errorf("table owners = %v, want %v", owners, want)
	}
	var appConns int
	if err := db.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE datname = 'signpost' AND usename = $1", pgserver.AppRole).Scan(&appConns); err != nil {
		t.Fatal(err)
	}
	if appConns == 0 {
		t.Errorf("the server holds no connection as %s", pgserver.AppRole)
	}
}
