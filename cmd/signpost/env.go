package main

import (
	"context"
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
// private PostgreSQL behind it.
type database struct {
	*store.Store
	private *pgserver.Server
}

// openDatabase connects to DATABASE_URL, or starts the private PostgreSQL
// under the data directory and connects to its signpost database.
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*database, error) {
	if cfg.DatabaseURL != "" {
		st, err := store.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		return &database{Store: st}, nil
	}
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "postgres"))
	if err != nil {
		return nil, err
	}
	pg, err := pgserver.Start(ctx, pgserver.Options{DataDir: dir, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("starting the private PostgreSQL (set DATABASE_URL to use your own): %w", err)
	}
	if err := pg.CreateDatabase(ctx, "signpost", ""); err != nil {
		pg.Stop(context.Background())
		return nil, err
	}
	st, err := store.Open(ctx, pg.URL("signpost"))
	if err != nil {
		pg.Stop(context.Background())
		return nil, err
	}
	return &database{Store: st, private: pg}, nil
}

// Close closes the pool and stops the private PostgreSQL, if any.
func (d *database) Close() error {
	err := d.Store.Close()
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
