package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func tableExists(t *testing.T, st *store.Store, name string) bool {
	t.Helper()
	var ok bool
	if err := st.DB.QueryRowContext(context.Background(), "SELECT to_regclass(?) IS NOT NULL", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestMigrationsUpDownUp(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, pgtest.NewDatabase(t, true))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	if n, err := st.Pending(ctx); err == nil {
		t.Fatalf("Pending on an empty database = %d, nil; want an error (no migration table)", n)
	}
	applied, err := st.MigrateUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 {
		t.Fatal("first MigrateUp applied nothing")
	}
	if !tableExists(t, st, "services") {
		t.Fatal("services table missing after up")
	}
	needs, err := st.NeedTerms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(needs) != 20 {
		t.Fatalf("needs vocabulary has %d terms, want 20", len(needs))
	}
	if again, err := st.MigrateUp(ctx); err != nil || len(again) != 0 {
		t.Fatalf("second MigrateUp = %v, %v; want nothing applied", again, err)
	}
	if n, err := st.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("Pending after up = %d, %v", n, err)
	}

	down, err := st.MigrateDown(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(down) != len(applied) {
		t.Fatalf("down rolled back %v, want %v", down, applied)
	}
	if tableExists(t, st, "services") {
		t.Fatal("services table still there after down")
	}
	if n, err := st.Pending(ctx); err != nil || n != len(applied) {
		t.Fatalf("Pending after down = %d, %v; want %d", n, err, len(applied))
	}

	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	statuses, err := st.MigrationStatuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range statuses {
		if !s.Applied {
			t.Errorf("migration %s not applied after up/down/up", s.Name)
		}
	}
	if !tableExists(t, st, "services") {
		t.Fatal("services table missing after up/down/up")
	}
}

func TestVersionedUpdateReportsConflictAndNotFound(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	o := &store.Organisation{ID: newID(), Name: "Ashby Carers Centre"}
	if err := st.InsertOrganisation(ctx, o); err != nil {
		t.Fatal(err)
	}
	if o.Version != 1 {
		t.Fatalf("new organisation version = %d, want 1", o.Version)
	}
	o.Name = "Ashby Carers"
	if err := st.UpdateOrganisation(ctx, o, 1); err != nil {
		t.Fatal(err)
	}
	if o.Version != 2 {
		t.Fatalf("version after update = %d, want 2", o.Version)
	}
	stale := &store.Organisation{ID: o.ID, Name: "Lost edit"}
	if err := st.UpdateOrganisation(ctx, stale, 1); !errors.Is(err, store.ErrVersionMismatch) {
		t.Fatalf("stale update error = %v, want ErrVersionMismatch", err)
	}
	got, err := st.OrganisationByID(ctx, o.ID)
	if err != nil || got.Name != "Ashby Carers" {
		t.Fatalf("after stale update the name is %q (%v), want it unchanged", got.Name, err)
	}
	missing := &store.Organisation{ID: newID(), Name: "Nobody"}
	if err := st.UpdateOrganisation(ctx, missing, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of a missing row error = %v, want ErrNotFound", err)
	}
}

// TestInTxJoinsTheTransactionItIsGiven: InTx on Queries bound to a
// transaction runs in that transaction, so when the outer one fails the
// inner write is gone too; on the Store it starts a transaction of its own.
func TestInTxJoinsTheTransactionItIsGiven(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	joined := &store.Organisation{ID: newID(), Name: "Joined"}
	failure := errors.New("the outer write fails")
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if err := q.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			return q.InsertOrganisation(ctx, joined)
		}); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("InTx = %v, want the outer failure unwrapped", err)
	}
	if _, err := st.OrganisationByID(ctx, joined.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the inner write outlived the failed transaction: %v", err)
	}
	committed := &store.Organisation{ID: newID(), Name: "Committed"}
	must(t, st.InTx(ctx, func(ctx context.Context, q store.Queries) error { return q.InsertOrganisation(ctx, committed) }))
	if _, err := st.OrganisationByID(ctx, committed.ID); err != nil {
		t.Fatalf("a committed write is missing: %v", err)
	}
}
