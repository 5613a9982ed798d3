package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/google/uuid"
	"github.com/signpost/signpost/config"
	"github.com/signpost/signpost/openreferral"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export --format oruk-json|hsds-datapackage [--out PATH] [--organisation ID]",
		"Exports the directory's listed services (or one organisation's) with their organisations,\n"+
			"locations, schedules and taxonomy terms, as Open Referral UK / HSDS 3 JSON (one list page of\n"+
			"full services) or as an HSDS 3 tabular data package (a folder, or a zip when --out ends .zip).\n"+
			"Either can be imported again with `signpost import`.")
	cf := addConfigFlags(fs, false)
	format := fs.String("format", "oruk-json", "oruk-json or hsds-datapackage")
	out := fs.String("out", "", "where to write (oruk-json: a file, default standard output; hsds-datapackage: a folder or .zip, required)")
	org := fs.String("organisation", "", "export only this organisation's services (its UUID)")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	opts := openreferral.ExportOptions{}
	if *org != "" {
		id, err := uuid.Parse(*org)
		if err != nil {
			return fmt.Errorf("--organisation %q is not a UUID", *org)
		}
		opts.OrganisationID = &id
	}
	switch openreferral.Format(*format) {
	case openreferral.FormatJSON:
	case openreferral.FormatDataPackage:
		if *out == "" {
			return fmt.Errorf("--out is required for hsds-datapackage (a folder, or a file ending .zip)")
		}
	default:
		return fmt.Errorf("--format %q: must be oruk-json or hsds-datapackage", *format)
	}
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, _ config.Config, db *database, _ *slog.Logger) error {
		if pending, err := db.Pending(ctx); err != nil || pending > 0 {
			return fmt.Errorf("the database is not migrated (run `signpost migrate up`)")
		}
		if opts.OrganisationID != nil {
			if _, err := db.OrganisationByID(ctx, *opts.OrganisationID); err != nil {
				return fmt.Errorf("--organisation %s: no such organisation", *opts.OrganisationID)
			}
		}
		opts.Progress = newProgress(stderr).update
		var n int
		var err error
		if openreferral.Format(*format) == openreferral.FormatDataPackage {
			n, err = openreferral.WriteDataPackage(ctx, db.Store, *out, opts)
		} else {
			n, err = writeJSONExport(ctx, db, *out, opts, stdout)
		}
		if err != nil {
			return err
		}
		if *out != "" {
			fmt.Fprintf(stdout, "exported %d services to %s\n", n, *out)
		}
		return nil
	})
}

// writeJSONExport writes to a temporary file renamed into place, so a
// failed export leaves no half-written file.
func writeJSONExport(ctx context.Context, db *database, out string, opts openreferral.ExportOptions, stdout io.Writer) (int, error) {
	if out == "" {
		return openreferral.WriteJSON(ctx, db.Store, stdout, opts)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".signpost-export-*.json")
	if err != nil {
		return 0, err
	}
	n, err := openreferral.WriteJSON(ctx, db.Store, tmp, opts)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return n, err
	}
	return n, os.Rename(tmp.Name(), out)
}
