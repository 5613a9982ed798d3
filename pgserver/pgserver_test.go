package pgserver

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"
)

func TestNoBinariesGivesAnActionableError(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	old := binGlob
	binGlob = filepath.Join(t.TempDir(), "*", "bin")
	defer func() { binGlob = old }()
	_, err := FindBinaries()
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	if !strings.Contains(err.Error(), "install PostgreSQL") || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("message %q should say to install PostgreSQL or set DATABASE_URL", err)
	}
}

func TestClusterPersistsAcrossRestartsAndStopsCleanly(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(reachableDir(t), "pg")

	s, err := Start(ctx, Options{DataDir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses root: the server must run as postgres.
		st, err := os.Stat("/proc/" + strconv.Itoa(s.PID()))
		if err != nil {
			t.Fatal(err)
		}
		if uid := st.Sys().(*syscall.Stat_t).Uid; uid == 0 {
			t.Fatal("postgres runs as root")
		}
	}
	if err := s.CreateDatabase(ctx, "kept", ""); err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s.URL("kept"))))
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (v text); INSERT INTO t VALUES ('still here')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); !os.IsNotExist(err) {
		t.Fatalf("postmaster.pid left after stop: %v", err)
	}

	s2, err := Start(ctx, Options{DataDir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Stop(ctx)
	db = sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s2.URL("kept"))))
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "SELECT v FROM t").Scan(&v); err != nil || v != "still here" {
		t.Fatalf("after restart: %q, %v", v, err)
	}
	// Listening on loopback only, with a password.
	if !strings.Contains(s2.URL("x"), "127.0.0.1:") || !strings.Contains(s2.URL("x"), Superuser+":") {
		t.Fatalf("URL = %s", s2.URL("x"))
	}
	wrong := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(strings.Replace(s2.URL("kept"), s2.password, "wrong", 1))))
	defer wrong.Close()
	if err := wrong.PingContext(ctx); err == nil {
		t.Fatal("a wrong password was accepted")
	}
}

func TestRefusesANonEmptyDirectoryThatIsNoCluster(t *testing.T) {
	dir := filepath.Join(reachableDir(t), "pg")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("x"), 0o644)
	_, err := Start(context.Background(), Options{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "precious.txt")); err != nil {
		t.Fatal("the existing file was touched")
	}
}

func TestUnreachableDataDirectoryIsExplainedWhenRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to the postgres user")
	}
	root := t.TempDir() // mode 0700, owned by root
	_, err := Start(context.Background(), Options{DataDir: filepath.Join(root, "pg")})
	if err == nil || !strings.Contains(err.Error(), "SIGNPOST_DATA_DIR") {
		t.Fatalf("err = %v, want advice to set SIGNPOST_DATA_DIR", err)
	}
}

// reachableDir is a temporary directory the postgres user can enter.
func reachableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgserver-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLogHoldsNoStatementsOrValues makes statements fail with a marker in
// their values, as Bun's interpolated statements do with an NHS number or
// a password hash, and checks that the cluster's log never holds it.
func TestLogHoldsNoStatementsOrValues(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(reachableDir(t), "pg")
	s, err := Start(ctx, Options{DataDir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(ctx)
	if err := s.CreateDatabase(ctx, "logs", ""); err != nil {
		t.Fatal(err)
	}
	const marker = "9434765919-argon2id-MARKER"
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s.AppURL("logs"))))
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE people (nhs text UNIQUE, age int CHECK (age > 0), id uuid)"); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"INSERT INTO people (nhs) VALUES ('" + marker + "')",
		"INSERT INTO people (nhs) VALUES ('" + marker + "')",               // unique violation: DETAIL quotes the key
		"INSERT INTO people (nhs, age) VALUES ('" + marker + "-2', -1)",    // check violation: DETAIL quotes the row
		"INSERT INTO people (nhs, id) VALUES ('x', '" + marker + "')",      // the error text quotes the value
		"SELECT * FROM people WHERE nhs = '" + marker + "' AND",            // syntax error
		"SELECT pg_sleep(0) FROM people WHERE nhs = '" + marker + "'::int", // invalid input
	} {
		db.ExecContext(ctx, stmt) // failing is the point
	}
	// Bound parameters too.
	db.ExecContext(ctx, "INSERT INTO people (nhs) VALUES ($1)", marker)
	// The application's role cannot turn logging back on.
	if _, err := db.ExecContext(ctx, "SET log_min_error_statement = error"); err == nil {
		t.Error("the application's role may change what is logged")
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	logs := []string{s.logPath}
	more, _ := filepath.Glob(filepath.Join(dir, "log", "*"))
	logs = append(logs, more...)
	var all strings.Builder
	for _, p := range logs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	if !strings.Contains(all.String(), "database system is ready") {
		t.Fatalf("not the server's log (%v):\n%s", logs, all.String())
	}
	if strings.Contains(all.String(), marker) {
		t.Fatalf("the log holds a statement's value:\n%s", all.String())
	}
}

// TestAppRoleHasNoSuperpowers checks the role AppURL connects as.
func TestAppRoleHasNoSuperpowers(t *testing.T) {
	ctx := context.Background()
	s, err := Start(ctx, Options{DataDir: filepath.Join(reachableDir(t), "pg"), Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(ctx)
	if err := s.CreateDatabase(ctx, "app", ""); err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(s.AppURL("app"))))
	defer db.Close()
	var name string
	var super, createDB, createRole, replication bool
	if err := db.QueryRowContext(ctx, `SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication
		FROM pg_roles WHERE rolname = current_user`).Scan(&name, &super, &createDB, &createRole, &replication); err != nil {
		t.Fatal(err)
	}
	if name != AppRole || super || createDB || createRole || replication {
		t.Fatalf("role %s: superuser %v, createdb %v, createrole %v, replication %v", name, super, createDB, createRole, replication)
	}
	// It creates and owns its tables, but not the schema they are in.
	if _, err := db.ExecContext(ctx, "CREATE TABLE mine (v text)"); err != nil {
		t.Fatalf("the application cannot create its tables: %v", err)
	}
	if _, err := db.ExecContext(ctx, "SET session_replication_role = replica"); err == nil {
		t.Fatal("the application may set session_replication_role")
	}
}
