package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/signpost/signpost/config"
	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/openreferral"
)

// openIndex opens the matching index under the data directory, building
// it when it is new, stale or corrupt.
func openIndex(ctx context.Context, cfg config.Config, db *database, log *slog.Logger, progress func(done, total int)) (*indexer.Indexer, error) {
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "index"))
	if err != nil {
		return nil, err
	}
	start := time.Now()
	x, err := indexer.Open(ctx, db.Store, dir, log, progress)
	if err != nil {
		return nil, fmt.Errorf("opening the matching index in %s (is another Signpost using it?): %w", dir, err)
	}
	if err := x.CatchUp(ctx); err != nil {
		x.Close()
		return nil, err
	}
	log.Info("matching index ready", "dir", dir, "services", x.Index().Len(), "took", time.Since(start).Round(time.Millisecond))
	return x, nil
}

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reindex", "reindex [flags]",
		"Rebuilds the matching index under $SIGNPOST_DATA_DIR/index from the database. The server\n"+
			"does this by itself when the index is missing, corrupt or built by another version; run\n"+
			"this while the server is stopped.")
	cf := addConfigFlags(fs, false)
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, cfg config.Config, db *database, log *slog.Logger) error {
		if _, err := db.MigrateUp(ctx); err != nil {
			return err
		}
		dir, _ := filepath.Abs(filepath.Join(cfg.DataDir, "index"))
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		p := newProgress(stderr)
		start := time.Now()
		x, err := openIndex(ctx, cfg, db, log, func(done, total int) {
			p.update(openreferral.Progress{Stage: "indexing", Done: done, Total: total})
		})
		if err != nil {
			return err
		}
		defer x.Close()
		fmt.Fprintf(stdout, "indexed %d services in %s\n", x.Index().Len(), time.Since(start).Round(time.Millisecond))
		return nil
	})
}
