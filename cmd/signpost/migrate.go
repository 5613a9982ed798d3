package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/signpost/signpost/config"
	"text/tabwriter"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "migrate [flags] up|down|status",
		"up applies every pending migration; down rolls back the last group applied;\n"+
			"status lists each migration and whether it is applied.")
	cf := addConfigFlags(fs, false)
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "up" && fs.Arg(0) != "down" && fs.Arg(0) != "status") {
		fmt.Fprintln(stderr, "migrate needs exactly one of: up, down, status")
		fs.SetOutput(stderr)
		fs.Usage()
		return errUsage
	}
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, _ config.Config, db *database, _ *slog.Logger) error {
		return migrate(ctx, db, fs.Arg(0), stdout)
	})
}

func migrate(ctx context.Context, db *database, verb string, stdout io.Writer) error {
	switch verb {
	case "up":
		names, err := db.MigrateUp(ctx)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			fmt.Fprintln(stdout, "nothing to apply: the database is up to date")
		}
		for _, n := range names {
			fmt.Fprintf(stdout, "applied %s\n", n)
		}
	case "down":
		names, err := db.MigrateDown(ctx)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			fmt.Fprintln(stdout, "nothing to roll back")
		}
		for _, n := range names {
			fmt.Fprintf(stdout, "rolled back %s\n", n)
		}
	case "status":
		ms, err := db.MigrationStatuses(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MIGRATION\tSTATUS\tGROUP")
		for _, m := range ms {
			status, group := "pending", "-"
			if m.Applied {
				status, group = "applied", fmt.Sprint(m.GroupID)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, status, group)
		}
		tw.Flush()
	}
	return nil
}
