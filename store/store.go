// Package store talks SQL: it opens the database through Bun, runs the
// embedded migrations and holds every query the domain packages need, named
// for what they answer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("not found")

// ErrVersionMismatch is returned by a versioned update whose expected version
// is no longer current.
var ErrVersionMismatch = errors.New("version mismatch")

// Store is the database. Its embedded Queries run outside a transaction;
// InTx gives Queries bound to one.
type Store struct {
	Queries
	DB *bun.DB
}

// Queries holds every query, bound to the database or to a transaction.
type Queries struct {
	db bun.IDB
}

// Open connects to the database at dsn (a postgres:// URL) and checks that it
// answers.
func Open(ctx context.Context, dsn string) (_ *Store, err error) {
	defer fault.Wrap(&err, "store.Open()")
	connector := pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithTimeout(10*time.Second),
		pgdriver.WithApplicationName("signpost"))
	sqldb := sql.OpenDB(connector)
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	// Generated columns such as services.search come back from RETURNING *
	// but have no field; they are not needed in Go.
	db := bun.NewDB(sqldb, pgdialect.New(), bun.WithDiscardUnknownColumns())
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	return New(db), nil
}

// New wraps an open Bun database.
func New(db *bun.DB) *Store {
	return &Store{Queries: Queries{db: db}, DB: db}
}

// Close closes the connection pool.
func (s *Store) Close() (err error) {
	defer fault.Wrap(&err, "store.Close()")
	return s.DB.Close()
}

// InTx runs fn in one transaction, committed when fn returns nil. Queries
// already bound to a transaction (the q an outer InTx gave) run fn in that
// same transaction, so a caller can make several domain writes commit or
// fail together by handing them its q; nothing travels in ctx.
//
// Errors from fn pass through unwrapped: they carry the domain's kinds and
// messages to clients.
func (q Queries) InTx(ctx context.Context, fn func(ctx context.Context, q Queries) error) error {
	if tx, ok := q.db.(bun.Tx); ok {
		return fn(ctx, Queries{db: tx})
	}
	return q.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, Queries{db: tx})
	})
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) (err error) {
	defer fault.Wrap(&err, "store.Ping()")
	return s.DB.PingContext(ctx)
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
