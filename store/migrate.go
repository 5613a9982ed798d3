package store

import (
	"context"
	"embed"
	"fmt"

	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the advisory lock that serialises migrations between
// replicas starting at the same time. A session lock, unlike Bun's lock
// table, cannot be left behind by a crashed process.
const migrationLockKey = 0x5167_6e70_6f73_74 // "Signpost"

// Migrations lists the embedded SQL migrations.
func Migrations() (*migrate.Migrations, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(migrationFiles); err != nil {
		return nil, fmt.Errorf("reading embedded migrations: %w", err)
	}
	return ms, nil
}

func (s *Store) migrator() (*migrate.Migrator, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	return migrate.NewMigrator(s.DB, ms, migrate.WithMarkAppliedOnSuccess(true)), nil
}

// withMigrationLock holds the advisory lock on a dedicated connection while
// fn runs.
func (s *Store) withMigrationLock(ctx context.Context, fn func(m *migrate.Migrator) error) error {
	m, err := s.migrator()
	if err != nil {
		return err
	}
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("creating migration tables: %w", err)
	}
	return fn(m)
}

// MigrateUp applies every pending migration and returns the names applied.
func (s *Store) MigrateUp(ctx context.Context) ([]string, error) {
	var names []string
	err := s.withMigrationLock(ctx, func(m *migrate.Migrator) error {
		group, err := m.Migrate(ctx)
		if group != nil {
			for _, mg := range group.Migrations {
				names = append(names, mg.Name)
			}
		}
		if err != nil {
			return fmt.Errorf("migrating up: %w", err)
		}
		return nil
	})
	return names, err
}

// MigrateDown rolls back the most recently applied group of migrations and
// returns the names rolled back.
func (s *Store) MigrateDown(ctx context.Context) ([]string, error) {
	var names []string
	err := s.withMigrationLock(ctx, func(m *migrate.Migrator) error {
		group, err := m.Rollback(ctx)
		if group != nil {
			for _, mg := range group.Migrations {
				names = append(names, mg.Name)
			}
		}
		if err != nil {
			return fmt.Errorf("migrating down: %w", err)
		}
		return nil
	})
	return names, err
}

// MigrationStatus describes one migration.
type MigrationStatus struct {
	Name    string
	Comment string
	Applied bool
	GroupID int64
}

// MigrationStatuses lists every known migration and whether it is applied.
func (s *Store) MigrationStatuses(ctx context.Context) ([]MigrationStatus, error) {
	var out []MigrationStatus
	err := s.withMigrationLock(ctx, func(m *migrate.Migrator) error {
		ms, err := m.MigrationsWithStatus(ctx)
		if err != nil {
			return err
		}
		for _, mg := range ms {
			out = append(out, MigrationStatus{Name: mg.Name, Comment: mg.Comment, Applied: mg.IsApplied(), GroupID: mg.GroupID})
		}
		return nil
	})
	return out, err
}

// Pending reports how many migrations are not yet applied, without taking the
// lock; /readyz uses it.
func (s *Store) Pending(ctx context.Context) (int, error) {
	m, err := s.migrator()
	if err != nil {
		return 0, err
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return 0, err
	}
	return len(ms.Unapplied()), nil
}
