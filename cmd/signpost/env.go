package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/signpost/signpost/config"
	"github.com/signpost/signpost/pgserver"
	"github.com/signpost/signpost/server"
	"github.com/signpost/signpost/store"
)

// configFlags lets flags override the environment.
type configFlags struct {
	databaseURL, listen, dataDir, logFormat *string
}

func addConfigFlags(fs *flag.FlagSet, withListen bool) *configFlags {
	f := &configFlags{
		databaseURL: fs.String("database-url", "", "PostgreSQL URL (overrides $DATABASE_URL; empty starts a private PostgreSQL)"),
		dataDir:     fs.String("data-dir", "", "data directory (overrides $SIGNPOST_DATA_DIR, default ./.data)"),
		logFormat:   fs.String("log-format", "", "log format, text or json (overrides $SIGNPOST_LOG_FORMAT)"),
	}
	if withListen {
		f.listen = fs.String("listen", "", "HTTP address host:port (overrides $SIGNPOST_LISTEN, default 127.0.0.1:8080)")
	}
	return f
}

func (f *configFlags) load() (config.Config, error) {
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return cfg, err
	}
	if *f.databaseURL != "" {
		cfg.DatabaseURL = *f.databaseURL
	}
	if f.listen != nil && *f.listen != "" {
		cfg.Listen = *f.listen
	}
	if *f.dataDir != "" {
		cfg.DataDir = *f.dataDir
	}
	if *f.logFormat != "" {
		cfg.LogFormat = *f.logFormat
	}
	return cfg, cfg.Validate()
}

func newLogger(format string, w io.Writer) *slog.Logger {
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, nil)
	} else {
		h = slog.NewTextHandler(w, nil)
	}
	return slog.New(server.ContextHandler{Handler: h})
}

// database is an open store and, when no DATABASE_URL was given, the
// private PostgreSQL behind it with a superuser's connection for the
// privileged steps around migrations.
type database struct {
	*store.Store
	private *pgserver.Server
	admin   *store.Store
	log     *slog.Logger
}

// MigrateUp applies pending migrations and, on the private cluster, seals
// the audit trail so that the application's role can only add to it. The
// trail is handed back while migrations run, before the server answers
// anyone, since a migration may change it.
func (d *database) MigrateUp(ctx context.Context) ([]string, error) {
	if d.admin == nil {
		names, err := d.Store.MigrateUp(ctx)
		if err == nil {
			d.warnUnsealed(ctx)
		}
		return names, err
	}
	if err := d.admin.UnsealAuditTrail(ctx, pgserver.AppRole); err != nil {
		return nil, err
	}
	names, err := d.Store.MigrateUp(ctx)
	return names, errors.Join(err, d.admin.SealAuditTrail(ctx, pgserver.AppRole, pgserver.AuditRole))
}

// warnUnsealed says, with DATABASE_URL, when the operator has not sealed the
// audit trail (README, "Security: the database"): the server's own role
// could then rewrite or delete audit entries.
func (d *database) warnUnsealed(ctx context.Context) {
	sealed, err := d.Store.AuditTrailSealed(ctx)
	switch {
	case err != nil:
		d.log.WarnContext(ctx, "could not check the audit trail's owner", "err", err)
	case !sealed:
		d.log.WarnContext(ctx, "the audit trail is not sealed: this database role may update or delete audit entries; "+
			"connect as a role without those rights and give audit_log to another role (README: Security: the database)")
	}
}

// MigrateDown rolls back the latest group; on the private cluster the audit
// trail is handed back to the application's role for it, then sealed again.
func (d *database) MigrateDown(ctx context.Context) ([]string, error) {
	if d.admin == nil {
		return d.Store.MigrateDown(ctx)
	}
	if err := d.admin.UnsealAuditTrail(ctx, pgserver.AppRole); err != nil {
		return nil, err
	}
	names, err := d.Store.MigrateDown(ctx)
	return names, errors.Join(err, d.admin.SealAuditTrail(ctx, pgserver.AppRole, pgserver.AuditRole))
}

// openDatabase connects to DATABASE_URL, or starts the private PostgreSQL
// under the data directory and connects to its signpost database as the
// application's role (pgserver.AppRole).
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*database, error) {
	if cfg.DatabaseURL != "" {
		st, err := store.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		return &database{Store: st, log: log}, nil
	}
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "postgres"))
	if err != nil {
		return nil, err
	}
	pg, err := pgserver.Start(ctx, pgserver.Options{DataDir: dir, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("starting the private PostgreSQL (set DATABASE_URL to use your own): %w", err)
	}
	fail := func(err error, closers ...*store.Store) (*database, error) {
		for _, c := range closers {
			c.Close()
		}
		pg.Stop(context.Background())
		return nil, err
	}
	if err := pg.CreateDatabase(ctx, "signpost", ""); err != nil {
		return fail(err)
	}
	admin, err := store.Open(ctx, pg.URL("signpost"))
	if err != nil {
		return fail(err)
	}
	// A database migrated before the application had its own role.
	if err := admin.HandOver(ctx, pgserver.AppRole); err != nil {
		return fail(err, admin)
	}
	st, err := store.Open(ctx, pg.AppURL("signpost"))
	if err != nil {
		return fail(err, admin)
	}
	return &database{Store: st, private: pg, admin: admin}, nil
}

// Close closes the pool and stops the private PostgreSQL, if any.
func (d *database) Close() error {
	err := d.Store.Close()
	if d.admin != nil {
		err = errors.Join(err, d.admin.Close())
	}
	if d.private != nil {
		if stopErr := d.private.Stop(context.Background()); stopErr != nil && err == nil {
			err = stopErr
		}
	}
	return err
}

// withDatabase loads the configuration, makes the logger, opens the database
// (starting the private PostgreSQL if needed) and runs fn, closing it after.
func withDatabase(ctx context.Context, cf *configFlags, stderr io.Writer,
	fn func(ctx context.Context, cfg config.Config, db *database, log *slog.Logger) error) error {
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("closing the database", "err", err)
		} else if db.private != nil {
			log.Info("private PostgreSQL stopped")
		}
	}()
	return fn(ctx, cfg, db, log)
}
