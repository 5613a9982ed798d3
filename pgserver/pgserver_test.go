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
