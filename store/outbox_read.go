package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
)

// OutboxEntry is one recorded change.
type OutboxEntry struct {
	ID       int64     `bun:"id"`
	Entity   string    `bun:"entity"`
	EntityID uuid.UUID `bun:"entity_id,type:uuid"`
}

// OutboxFrom returns up to limit outbox entries with ids above after, in
// id order.
func (q Queries) OutboxFrom(ctx context.Context, after int64, limit int) (_ []OutboxEntry, err error) {
	defer fault.Wrap(&err, "store.OutboxFrom(%d, %d)", after, limit)
	var out []OutboxEntry
	err = q.db.NewSelect().Model((*outboxRow)(nil)).Column("id", "entity", "entity_id").
		Where("id > ?", after).Order("id").Limit(int64(limit)).Scan(ctx, &out)
	return out, err
}

// OutboxHead is the highest outbox id, 0 when empty.
func (q Queries) OutboxHead(ctx context.Context) (_ int64, err error) {
	defer fault.Wrap(&err, "store.OutboxHead()")
	var id int64
	err = q.db.NewSelect().Model((*outboxRow)(nil)).ColumnExpr("coalesce(max(id), 0)").Scan(ctx, &id)
	return id, err
}
