package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/store"
	"github.com/uptrace/bun/driver/pgdriver"
)

const (
	metaPosition = "outbox_position"
	// lookback re-reads this many ids below the position on every pass:
	// a transaction that took an id early may commit after later ones.
	// Entries already applied are remembered and skipped.
	lookback = 1000
	// pollEvery is the fallback when a notification is missed.
	pollEvery = time.Second
	loadBatch = 500
)

// Indexer keeps one replica's index in step with the database.
type Indexer struct {
	st  *store.Store
	ix  *matcher.Index
	log *slog.Logger

	mu      sync.Mutex
	pos     int64
	applied map[int64]bool
	changed chan struct{} // closed and replaced whenever pos advances
}

// Open opens (or creates) the index in dir. A new, stale or corrupt index
// is rebuilt from the database before Open returns.
func Open(ctx context.Context, st *store.Store, dir string, log *slog.Logger, progress func(done, total int)) (_ *Indexer, err error) {
	defer fault.Wrap(&err, "indexer.Open(%q)", dir)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ix, err := matcher.Open(dir)
	if err != nil {
		return nil, err
	}
	x := &Indexer{st: st, ix: ix, log: log, applied: map[int64]bool{}, changed: make(chan struct{})}
	if ix.Fresh() {
		log.Info("building the matching index from the database", "dir", dir)
		if err := x.Rebuild(ctx, progress); err != nil {
			ix.Close()
			return nil, fmt.Errorf("building the index: %w", err)
		}
	} else {
		v, _ := ix.Meta(metaPosition)
		x.pos, _ = strconv.ParseInt(v, 10, 64)
	}
	return x, nil
}

// Index is the matcher index.
func (x *Indexer) Index() *matcher.Index { return x.ix }

// Close closes the index.
func (x *Indexer) Close() (err error) {
	defer fault.Wrap(&err, "indexer.Close()")
	return x.ix.Close()
}

// Position is the highest outbox id applied.
func (x *Indexer) Position() int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.pos
}

// Rebuild indexes every listed service. Changes made while it runs are
// caught up afterwards from the outbox.
func (x *Indexer) Rebuild(ctx context.Context, progress func(done, total int)) (err error) {
	defer fault.Wrap(&err, "indexer.Rebuild()")
	head, err := x.st.OutboxHead(ctx)
	if err != nil {
		return err
	}
	total, err := x.st.CountServices(ctx, store.ServiceFilter{})
	if err != nil {
		return err
	}
	var after *store.CursorKey
	done := 0
	for {
		rows, err := x.st.ServicesPage(ctx, store.ServiceFilter{}, after, loadBatch)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			break
		}
		docs, err := build(ctx, x.st.Queries, rows)
		if err != nil {
			return err
		}
		if err := x.ix.Apply(ctx, docs, nil); err != nil {
			return err
		}
		done += len(rows)
		if progress != nil {
			progress(done, total)
		}
		key := rows[len(rows)-1].CursorKey()
		after = &key
	}
	x.advance(head, nil)
	return nil
}

// Run applies outbox entries until ctx ends: woken by NOTIFY, and polling
// every second in case a notification is lost.
func (x *Indexer) Run(ctx context.Context) error {
	ln := pgdriver.NewListener(x.st.DB)
	defer ln.Close()
	if err := ln.Listen(ctx, store.OutboxChannel); err != nil {
		x.log.Warn("LISTEN failed; polling only", "err", err)
	}
	for {
		if err := x.CatchUp(ctx); err != nil && ctx.Err() == nil {
			x.log.Error("applying the outbox to the index", "err", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		_, _, err := ln.ReceiveTimeout(ctx, pollEvery)
		if err != nil && ctx.Err() == nil && !isTimeout(err) {
			// The listener reconnects by itself; wait before trying again.
			select {
			case <-ctx.Done():
			case <-time.After(pollEvery):
			}
		}
	}
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

// CatchUp applies every outbox entry not yet applied.
func (x *Indexer) CatchUp(ctx context.Context) (err error) {
	var low int64
	defer func() { fault.Wrap(&err, "indexer.CatchUp(after %d)", low) }()
	for {
		x.mu.Lock()
		low = max(x.pos-lookback, 0)
		x.mu.Unlock()
		entries, err := x.st.OutboxFrom(ctx, low, 5000)
		if err != nil {
			return err
		}
		var todo []store.OutboxEntry
		x.mu.Lock()
		// Every entry is above low, the start of the lookback window that
		// catches ids committed after higher ones; the applied set alone
		// says which are done.
		for _, e := range entries {
			if !x.applied[e.ID] {
				todo = append(todo, e)
			}
		}
		x.mu.Unlock()
		if len(todo) == 0 {
			if len(entries) > 0 {
				x.advance(entries[len(entries)-1].ID, nil)
			}
			return nil
		}
		if err := x.apply(ctx, todo); err != nil {
			return err
		}
		ids := make([]int64, len(todo))
		for i, e := range todo {
			ids[i] = e.ID
		}
		x.advance(entries[len(entries)-1].ID, ids)
		if len(entries) < 5000 {
			return nil
		}
	}
}

func (x *Indexer) apply(ctx context.Context, entries []store.OutboxEntry) (err error) {
	defer fault.Wrap(&err, "indexer.apply(%d entries)", len(entries))
	seen := map[uuid.UUID]bool{}
	var ids []uuid.UUID
	for _, e := range entries {
		switch e.Entity {
		case store.EntityService:
			if !seen[e.EntityID] {
				seen[e.EntityID] = true
				ids = append(ids, e.EntityID)
			}
		case store.EntityOrganisation:
			// An organisation's name is part of its services' documents.
			sids, err := x.st.ServiceIDsOfOrganisation(ctx, e.EntityID)
			if err != nil {
				return err
			}
			for _, id := range sids {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
	}
	for len(ids) > 0 {
		n := min(loadBatch, len(ids))
		docs, deletes, err := documents(ctx, x.st.Queries, ids[:n])
		if err != nil {
			return err
		}
		if err := x.ix.Apply(ctx, docs, deletes); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// advance records applied entries and moves the position to head.
func (x *Indexer) advance(head int64, applied []int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range applied {
		x.applied[id] = true
	}
	if head > x.pos {
		x.pos = head
		if err := x.ix.SetMeta(metaPosition, strconv.FormatInt(head, 10)); err != nil {
			x.log.Error("saving the index position", "err", err)
		}
	}
	for id := range x.applied {
		if id <= x.pos-lookback {
			delete(x.applied, id)
		}
	}
	close(x.changed)
	x.changed = make(chan struct{})
}

// WaitFor blocks until the outbox entry id (and all before it that have
// committed) has been applied, or ctx ends.
func (x *Indexer) WaitFor(ctx context.Context, id int64) error {
	for {
		x.mu.Lock()
		done, ch := x.pos >= id, x.changed
		x.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
