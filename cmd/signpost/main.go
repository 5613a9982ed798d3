// Command signpost is the whole of Signpost in one binary: the server and
// its operator commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the HTTP server (GraphQL API, GraphiQL, health, metrics)", runServe},
		{"migrate", "apply or roll back database migrations (up, down, status)", runMigrate},
		{"seed", "load data into the directory (--demo: the demo town)", runSeed},
		{"import", "import an Open Referral directory (JSON, data package, zip) or postcodes", runImport},
		{"export", "export the directory as Open Referral UK JSON or an HSDS data package", runExport},
		{"reindex", "rebuild the matching index from the database", runReindex},
		{"admin", "manage accounts from the server (admin create)", runAdmin},
		{"version", "print the version", runVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Signpost: the directory and matching service behind social prescribing.\n\n")
	fmt.Fprintf(w, "Usage: signpost <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'signpost <command> --help' for a command's flags.\n")
	fmt.Fprintf(w, "Configuration comes from the environment: DATABASE_URL, SIGNPOST_LISTEN, SIGNPOST_DATA_DIR,\n")
	fmt.Fprintf(w, "SIGNPOST_LOG_FORMAT, SIGNPOST_INTROSPECTION, SIGNPOST_SHUTDOWN_TIMEOUT, SIGNPOST_TRUSTED_PROXIES,\n")
	fmt.Fprintf(w, "SIGNPOST_CLIENT_IP_HEADER, SIGNPOST_COOKIE_SECURE, SIGNPOST_PUBLIC_URL, SIGNPOST_METRICS_LISTEN,\n")
	fmt.Fprintf(w, "SIGNPOST_METRICS_TOKEN (see README.md).\n")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			default:
				fmt.Fprintf(stderr, "signpost %s: %v\n", c.name, err)
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "signpost: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// errUsage reports a usage error already printed by the flag set.
var errUsage = errors.New("usage")

// parseFlags parses args, printing usage to stderr on a bad flag and to
// stdout for --help.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return flag.ErrHelp
	case err != nil:
		fmt.Fprintf(stderr, "%v\n", err)
		fs.SetOutput(stderr)
		fs.Usage()
		return errUsage
	}
	return nil
}

func newFlagSet(name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: signpost %s\n\n%s\n", synopsis, description)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", "Prints Signpost's version.")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signpost %s\n", version)
	return nil
}
