package store

import (
	"context"
	"embed"
	"fmt"

	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the advisory lock that serialises migrations between
// replicas starting at the same time. A session lock, unlike Bun's lock
// table, cannot be left behind by a crashed process.
const migrationLockKey = 0x5167_6e70_6f73_74 // "Signpost"

// Migrations lists the embedded SQL migrations.
func Migrations() (_ *migrate.Migrations, err error) {
	defer fault.Wrap(&err, "store.Migrations()")
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
func (s *Store) MigrateUp(ctx context.Context) (_ []string, err error) {
	defer fault.Wrap(&err, "store.MigrateUp()")
	var names []string
	err = s.withMigrationLock(ctx, func(m *migrate.Migrator) error {
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
func (s *Store) MigrateDown(ctx context.Context) (_ []string, err error) {
	defer fault.Wrap(&err, "store.MigrateDown()")
	var names []string
	err = s.withMigrationLock(ctx, func(m *migrate.Migrator) error {
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
func (s *Store) MigrationStatuses(ctx context.Context) (_ []MigrationStatus, err error) {
	defer fault.Wrap(&err, "store.MigrationStatuses()")
	var out []MigrationStatus
	err = s.withMigrationLock(ctx, func(m *migrate.Migrator) error {
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
func (s *Store) Pending(ctx context.Context) (_ int, err error) {
	defer fault.Wrap(&err, "store.Pending()")
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

// The privileged steps below run on a superuser's connection (the private
// cluster's, or an operator's); the application's own role cannot do them.

// HandOver makes role the owner of every table, view, sequence and function
// in the public schema that the connected user owns: a database migrated
// by the superuser, before the application had a role of its own, becomes
// the application's.
func (s *Store) HandOver(ctx context.Context, role string) (err error) {
	defer fault.Wrap(&err, "store.HandOver(%q)", role)
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, db bun.Tx) error {
		mine := `relnamespace = 'public'::regnamespace AND relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`
		// Tables first: their indexes and owned sequences follow them.
		for _, q := range []struct{ kinds, verb string }{{"'r','p'", "TABLE"}, {"'v'", "VIEW"}, {"'m'", "MATERIALIZED VIEW"}, {"'S'", "SEQUENCE"}} {
			var names []string
			if err := db.NewRaw("SELECT relname FROM pg_class WHERE "+mine+" AND relkind IN ("+q.kinds+") ORDER BY relname").Scan(ctx, &names); err != nil {
				return fmt.Errorf("listing %s objects to hand over: %w", q.verb, err)
			}
			for _, n := range names {
				if _, err := db.ExecContext(ctx, "ALTER "+q.verb+" ? OWNER TO ?", bun.Ident(n), bun.Ident(role)); err != nil {
					return fmt.Errorf("handing %s %s over to %s: %w", q.verb, n, role, err)
				}
			}
		}
		var funcs []string
		if err := db.NewRaw(`SELECT oid::regprocedure::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace
			AND proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) ORDER BY 1`).Scan(ctx, &funcs); err != nil {
			return fmt.Errorf("listing functions to hand over: %w", err)
		}
		for _, f := range funcs {
			// regprocedure's text is already a quoted signature.
			if _, err := db.ExecContext(ctx, "ALTER FUNCTION "+f+" OWNER TO ?", bun.Ident(role)); err != nil {
				return fmt.Errorf("handing function %s over to %s: %w", f, role, err)
			}
		}
		return nil
	})
}

// SealAuditTrail gives the audit trail (its table, sequence and trigger
// function) to auditRole and leaves app only SELECT and INSERT on it: app
// then cannot update, delete, truncate, alter or drop entries, nor turn the
// append-only trigger off. Run it after every migration; it does nothing
// before the audit trail exists.
func (s *Store) SealAuditTrail(ctx context.Context, app, auditRole string) (err error) {
	defer fault.Wrap(&err, "store.SealAuditTrail(%q, %q)", app, auditRole)
	return s.setAuditOwner(ctx, auditRole, func(ctx context.Context, db bun.IDB) error {
		for _, q := range []string{
			"REVOKE ALL ON audit_log FROM ?",
			"GRANT SELECT, INSERT ON audit_log TO ?",
			"GRANT USAGE ON SEQUENCE audit_log_id_seq TO ?",
		} {
			if _, err := db.ExecContext(ctx, q, bun.Ident(app)); err != nil {
				return fmt.Errorf("sealing the audit trail: %w", err)
			}
		}
		return nil
	})
}

// AuditTrailSealed reports whether this connection's role is held to
// adding to and reading the audit trail: it is no superuser, does not own
// (nor belong to the owner of) audit_log, and may not update, delete or
// truncate it. Before the audit trail exists it reports true.
func (s *Store) AuditTrailSealed(ctx context.Context) (sealed bool, err error) {
	defer fault.Wrap(&err, "store.AuditTrailSealed")
	err = s.DB.NewRaw(`SELECT to_regclass('audit_log') IS NULL OR NOT (
		(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
		OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass), 'MEMBER')
		OR has_table_privilege('audit_log', 'UPDATE, DELETE, TRUNCATE'))`).Scan(ctx, &sealed)
	return sealed, err
}

// UnsealAuditTrail hands the audit trail back to app, so that app's
// migrations may change or drop it (migrate down); seal it again after.
func (s *Store) UnsealAuditTrail(ctx context.Context, app string) (err error) {
	defer fault.Wrap(&err, "store.UnsealAuditTrail(%q)", app)
	return s.setAuditOwner(ctx, app, nil)
}

func (s *Store) setAuditOwner(ctx context.Context, owner string, then func(context.Context, bun.IDB) error) error {
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, db bun.Tx) error {
		var exists bool
		if err := db.NewRaw("SELECT to_regclass('audit_log') IS NOT NULL").Scan(ctx, &exists); err != nil {
			return fmt.Errorf("looking for the audit trail: %w", err)
		}
		if !exists {
			return nil
		}
		for _, q := range []string{
			"ALTER TABLE audit_log OWNER TO ?", // with its sequence and indexes
			"ALTER FUNCTION audit_log_append_only() OWNER TO ?",
		} {
			if _, err := db.ExecContext(ctx, q, bun.Ident(owner)); err != nil {
				return fmt.Errorf("giving the audit trail to %s: %w", owner, err)
			}
		}
		if then != nil {
			return then(ctx, db)
		}
		return nil
	})
}
