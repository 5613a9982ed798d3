package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/config"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/seed"
)

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("seed", "seed --demo [flags]",
		"Loads the demo town's directory (a fictional but realistic set of organisations,\n"+
			"services, venues and sessions). Running it again changes nothing.")
	cf := addConfigFlags(fs, false)
	demo := fs.Bool("demo", false, "load the demo directory")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if !*demo {
		fmt.Fprintln(stderr, "seed needs --demo (the only data set so far)")
		fs.SetOutput(stderr)
		fs.Usage()
		return errUsage
	}
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, _ config.Config, db *database, _ *slog.Logger) error {
		return seedDemo(ctx, db, stdout)
	})
}

func seedDemo(ctx context.Context, db *database, stdout io.Writer) error {
	if _, err := db.MigrateUp(ctx); err != nil {
		return err
	}
	res, err := seed.Demo(ctx, directory.New(db.Store, access.Open{}), db.Store)
	if err != nil {
		return err
	}
	if !res.Loaded {
		fmt.Fprintln(stdout, "the demo directory is already loaded; nothing changed")
		return nil
	}
	fmt.Fprintf(stdout, "loaded the demo directory: %d organisations, %d services\n", res.Organisations, res.Services)
	return nil
}
