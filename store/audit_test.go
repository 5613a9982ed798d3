package store_test

import (
	"context"
	"testing"

	"github.com/signpost/signpost/pgserver"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// TestAuditTrailSealed tells a sealed trail (the application's role may
// only add and read) from one its connection could rewrite: as the
// superuser, or as the application's role owning it before sealing.
func TestAuditTrailSealed(t *testing.T) {
	ctx := context.Background()
	app := pgtest.NewStore(t)
	sealed, err := app.AuditTrailSealed(ctx)
	if err != nil || !sealed {
		t.Fatalf("the application's role on a sealed trail: sealed %v, %v", sealed, err)
	}
	var db string
	if err := app.DB.NewRaw("SELECT current_database()").Scan(ctx, &db); err != nil {
		t.Fatal(err)
	}
	admin, err := store.Open(ctx, pgtest.Server().URL(db))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if sealed, err := admin.AuditTrailSealed(ctx); err != nil || sealed {
		t.Fatalf("the superuser: sealed %v, %v", sealed, err)
	}
	if err := admin.UnsealAuditTrail(ctx, pgserver.AppRole); err != nil {
		t.Fatal(err)
	}
	if sealed, err := app.AuditTrailSealed(ctx); err != nil || sealed {
		t.Fatalf("the application's role owning the trail: sealed %v, %v", sealed, err)
	}
	if err := admin.SealAuditTrail(ctx, pgserver.AppRole, pgserver.AuditRole); err != nil {
		t.Fatal(err)
	}
	if sealed, err := app.AuditTrailSealed(ctx); err != nil || !sealed {
		t.Fatalf("sealed again: sealed %v, %v", sealed, err)
	}
}
