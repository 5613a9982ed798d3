// Package pgtest gives tests a real PostgreSQL: one throwaway cluster per
// test binary, started by TestMain through Main, and a fresh, migrated
// database per test through NewStore. Tests connect as the application's
// role, as the server does, with the audit trail sealed.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/signpost/signpost/pgserver"
	"github.com/signpost/signpost/store"
)

const template = "signpost_template"

var (
	server *pgserver.Server
	serial atomic.Int64
)

// Main starts the cluster, migrates a template database, runs the tests and
// stops the cluster. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "signpost-pgtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	root = dir
	// The server may run as the postgres user, which must reach its data.
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	server, err = pgserver.Start(ctx, pgserver.Options{DataDir: filepath.Join(dir, "pg"), Ephemeral: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest: starting PostgreSQL:", err)
		return 1
	}
	defer server.Stop(context.Background())
	if err := prepareTemplate(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest: preparing template database:", err)
		return 1
	}
	return m.Run()
}

func prepareTemplate(ctx context.Context) error {
	if err := server.CreateDatabase(ctx, template, ""); err != nil {
		return err
	}
	st, err := store.Open(ctx, server.AppURL(template))
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err = st.MigrateUp(ctx); err != nil {
		return err
	}
	admin, err := store.Open(ctx, server.URL(template))
	if err != nil {
		return err
	}
	defer admin.Close()
	return admin.SealAuditTrail(ctx, pgserver.AppRole, pgserver.AuditRole)
}

// Server returns the running cluster (nil outside Main).
func Server() *pgserver.Server { return server }

// root is the cluster's temporary directory, removed when it stops.
var root string

// ScratchDir returns a new directory that is removed when the cluster
// stops, for state that the tests of one process share (a test's own
// t.TempDir goes when that test ends).
func ScratchDir() (string, error) {
	if root == "" {
		return "", fmt.Errorf("pgtest: call pgtest.Main from TestMain")
	}
	return os.MkdirTemp(root, "scratch-")
}

// NewDatabase creates a fresh, migrated database and returns its URL for
// the application's role. When empty is true the database has no
// migrations applied (and its audit trail, once migrated, is not sealed).
func NewDatabase(t testing.TB, empty bool) string {
	t.Helper()
	if server == nil {
		t.Fatal("pgtest: call pgtest.Main from TestMain")
	}
	name := fmt.Sprintf("test_%d", serial.Add(1))
	tmpl := template
	if empty {
		tmpl = "template0"
	}
	if err := server.CreateDatabase(context.Background(), name, tmpl); err != nil {
		t.Fatalf("pgtest: creating database: %v", err)
	}
	return server.AppURL(name)
}

// NewStore opens a fresh, migrated database, closed when the test ends.
func NewStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), NewDatabase(t, false))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
