package store_test

import (
	"context"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	head, err := st.OutboxHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, b := newID(), newID()
	must(t, st.AddToOutbox(ctx, store.EntityService, a, b))
	must(t, st.AddToOutbox(ctx, store.EntityOrganisation)) // nothing to add

	entries, err := st.OutboxFrom(ctx, head, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].EntityID != a || entries[1].EntityID != b || entries[0].ID >= entries[1].ID {
		t.Fatalf("OutboxFrom = %+v; want a then b, in id order", entries)
	}
	if rest, err := st.OutboxFrom(ctx, entries[0].ID, 10); err != nil || len(rest) != 1 || rest[0].EntityID != b {
		t.Fatalf("OutboxFrom after the first = %+v, %v; want only b", rest, err)
	}
	if h, err := st.OutboxHead(ctx); err != nil || h != entries[1].ID {
		t.Fatalf("OutboxHead = %d, %v; want %d", h, err, entries[1].ID)
	}
}
