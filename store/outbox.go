package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// OutboxChannel is the LISTEN/NOTIFY channel woken by directory writes.
const OutboxChannel = "signpost_outbox"

// Outbox entity kinds.
const (
	EntityService      = "service"
	EntityOrganisation = "organisation"
)

type outboxRow struct {
	bun.BaseModel `bun:"table:outbox"`

	ID       int64     `bun:"id,pk,autoincrement"`
	Entity   string    `bun:"entity"`
	EntityID uuid.UUID `bun:"entity_id,type:uuid"`
}

// AddToOutbox records that the given entities changed, for the index to
// catch up, and wakes listeners when the transaction commits.
func (q Queries) AddToOutbox(ctx context.Context, entity string, ids ...uuid.UUID) (err error) {
	defer fault.Wrap(&err, "store.AddToOutbox(%q, %d)", entity, len(ids))
	if len(ids) == 0 {
		return nil
	}
	rows := make([]outboxRow, len(ids))
	for i, id := range ids {
		rows[i] = outboxRow{Entity: entity, EntityID: id}
	}
	if _, err := q.db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return err
	}
	_, err = q.db.ExecContext(ctx, "SELECT pg_notify(?, ?)", OutboxChannel, entity)
	return err
}

// OutboxSize counts the rows in the outbox.
func (q Queries) OutboxSize(ctx context.Context) (_ int, err error) {
	defer fault.Wrap(&err, "store.OutboxSize()")
	return count(ctx, q.db.NewSelect().Model((*outboxRow)(nil)))
}
