package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/signpost/signpost/config"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/postcodes"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "postcodes" {
		return runImportPostcodes(ctx, args[1:], stdout, stderr)
	}
	fs := newFlagSet("import", "import [flags] PATH\n       signpost import postcodes [flags] FILE.csv",
		"Imports an Open Referral directory: HSDS 3 / Open Referral UK JSON (one service, a list page\n"+
			"or many), or an HSDS tabular data package (datapackage.json with CSV files, HSDS 1.x, 2.x or 3\n"+
			"table names), as a file, a folder or a zip. Importing the same data again changes nothing;\n"+
			"changed records are updated in place. Bad rows are reported and skipped.\n\n"+
			"`signpost import postcodes` loads postcode coordinates (see its --help).")
	cf := addConfigFlags(fs, false)
	source := fs.String("source", "", "name of the data's source; records are matched on it (default: from the file name)")
	archive := fs.Bool("archive-missing", false, "archive services and organisations of this source that the input no longer has")
	strict := fs.Bool("strict", false, "treat any problem in the input as fatal; nothing is written")
	quiet := fs.Bool("quiet", false, "no progress output")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "import needs exactly one PATH")
		fs.SetOutput(stderr)
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	src := *source
	if src == "" {
		src = sourceName(path)
	}
	fmt.Fprintf(stdout, "reading %s\n", path)
	ds, format, err := openreferral.Read(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "read %s: %d organisations, %d services, %d locations, %d taxonomy terms (source %q)\n",
		format, len(ds.Organisations), len(ds.Services), len(ds.Locations), len(ds.Terms), src)
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, _ config.Config, db *database, _ *slog.Logger) error {
		if _, err := db.MigrateUp(ctx); err != nil {
			return err
		}
		var prog func(openreferral.Progress)
		if !*quiet {
			prog = newProgress(stderr).update
		}
		sum, err := openreferral.Import(ctx, db.Store, ds, openreferral.Options{Source: src, ArchiveMissing: *archive,
			Strict: *strict, Progress: prog})
		if sum != nil {
			printSummary(stdout, sum)
		}
		return err
	})
}

// sourceName derives a source name from a path: the file or folder name,
// or its parent's when the name is the generic "datapackage".
func sourceName(p string) string {
	abs, _ := filepath.Abs(p)
	base := filepath.Base(abs)
	name := strings.TrimSuffix(strings.TrimSuffix(base, filepath.Ext(base)), ".tar")
	if strings.EqualFold(name, "datapackage") || name == "data" {
		name = filepath.Base(filepath.Dir(abs))
	}
	return name
}

func printSummary(w io.Writer, s *openreferral.Summary) {
	fmt.Fprintf(w, "\nimported from source %q in %s\n", s.Source, s.Duration.Round(time.Millisecond))
	fmt.Fprintf(w, "  %-15s %8s %8s %10s %8s\n", "", "created", "updated", "unchanged", "skipped")
	for _, r := range []struct {
		name string
		c    openreferral.Counts
	}{{"organisations", s.Organisations}, {"services", s.Services}, {"locations", s.Locations},
		{"schedules", s.Schedules}, {"taxonomy terms", s.Terms}} {
		fmt.Fprintf(w, "  %-15s %8d %8d %10d %8d\n", r.name, r.c.Created, r.c.Updated, r.c.Unchanged, r.c.Skipped)
	}
	if s.Archived.Services+s.Archived.Organisations > 0 {
		fmt.Fprintf(w, "  archived as missing from the input: %d services, %d organisations\n", s.Archived.Services, s.Archived.Organisations)
	}
	groups := openreferral.GroupProblems(s.Problems, 3)
	if len(groups) == 0 {
		fmt.Fprintln(w, "no problems found")
		return
	}
	fmt.Fprintf(w, "\n%d problems, by kind:\n", len(s.Problems))
	for _, g := range groups {
		what := "repaired or dropped a field"
		if g.Skipped {
			what = "row skipped"
		}
		fmt.Fprintf(w, "  %6d × %s (%s)\n", g.Count, g.Kind, what)
		for _, e := range g.Examples {
			fmt.Fprintf(w, "           e.g. %s\n", e)
		}
	}
}

// progress draws a bar on a terminal and plain lines elsewhere.
type progress struct {
	w        io.Writer
	terminal bool
	stage    string
	start    time.Time
	last     time.Time
	lastPct  int
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) update(ev openreferral.Progress) {
	now := time.Now()
	if ev.Stage != p.stage {
		p.stage, p.start, p.lastPct = ev.Stage, now, -1
	}
	done := ev.Done >= ev.Total
	if p.terminal {
		if !done && now.Sub(p.last) < 100*time.Millisecond {
			return
		}
		p.last = now
		const width = 30
		filled := width
		if ev.Total > 0 {
			filled = width * ev.Done / ev.Total
		}
		rate := float64(ev.Done) / max(now.Sub(p.start).Seconds(), 1e-3)
		fmt.Fprintf(p.w, "\r%-15s [%s%s] %d/%d  %.0f/s ", ev.Stage, strings.Repeat("█", filled),
			strings.Repeat("░", width-filled), ev.Done, ev.Total, rate)
		if done {
			fmt.Fprintln(p.w)
		}
		return
	}
	// Plain lines: every quarter and at the end.
	pct := 100
	if ev.Total > 0 {
		pct = 100 * ev.Done / ev.Total
	}
	if pct/25 > p.lastPct/25 || done && p.lastPct != 100 {
		p.lastPct = pct
		fmt.Fprintf(p.w, "%s: %d/%d (%d%%)\n", ev.Stage, ev.Done, ev.Total, pct)
	}
}

func runImportPostcodes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import postcodes", "import postcodes [flags] FILE.csv",
		"Loads postcode coordinates for proximity searches. Reads the ONS Postcode Directory and NSPL\n"+
			"layouts and plain files with a postcode, a latitude and a longitude column (headers such as\n"+
			"pcd, pcds or postcode; lat or latitude; long or longitude; other columns are ignored), or\n"+
			"district centroid files (outcode,lat,long). Loading again replaces the coordinates.")
	cf := addConfigFlags(fs, false)
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "import postcodes needs exactly one FILE")
		fs.SetOutput(stderr)
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, _ config.Config, db *database, _ *slog.Logger) error {
		if _, err := db.MigrateUp(ctx); err != nil {
			return err
		}
		p := newProgress(stderr)
		sum, err := postcodes.ImportCSV(ctx, db.Store, f, func(done int) {
			p.update(openreferral.Progress{Stage: "postcodes", Done: done, Total: done + 1})
		})
		if err != nil {
			return fmt.Errorf("%s: %w (nothing was loaded)", fs.Arg(0), err)
		}
		fmt.Fprintf(stdout, "loaded %d %s from %s; skipped %d rows\n", sum.Loaded, sum.Kind, fs.Arg(0), sum.Skipped)
		for _, p := range sum.Problems {
			fmt.Fprintf(stdout, "  e.g. %s\n", p)
		}
		return nil
	})
}
