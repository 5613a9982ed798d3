package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/signpost/signpost/config"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/server"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [flags]",
		"Runs the HTTP server: GraphQL at /graphql, GraphiQL at /, /healthz, /readyz and /metrics.\n"+
			"Migrates the database first. Stops gracefully on SIGINT or SIGTERM.")
	cf := addConfigFlags(fs, true)
	demo := fs.Bool("demo", false, "load the demo town's directory when the directory is empty")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	return withDatabase(ctx, cf, stderr, func(ctx context.Context, cfg config.Config, db *database, log *slog.Logger) error {
		return serve(ctx, cfg, db, log, *demo, stdout)
	})
}

func serve(ctx context.Context, cfg config.Config, db *database, log *slog.Logger, demo bool, stdout io.Writer) error {
	var demoCreds []seed.Credential
	applied, err := db.MigrateUp(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "names", applied)
	}
	policy := access.NewRolePolicy(db.Store, log)
	accounts := access.NewService(db.Store, policy)
	dir := directory.New(db.Store, policy)
	if demo {
		// Loading the demo is the server's own doing, not a caller's.
		res, err := seed.DemoIfEmpty(ctx, directory.New(db.Store, access.Open{}), db.Store)
		if err != nil {
			return fmt.Errorf("loading demo data: %w", err)
		}
		if res.Loaded {
			log.Info("demo directory loaded", "organisations", res.Organisations, "services", res.Services)
		}
		creds, err := seed.DemoAccounts(ctx, db.Store, accounts)
		if err != nil {
			return fmt.Errorf("demo accounts: %w", err)
		}
		demoCreds = creds
		n, err := seed.DemoCasework(ctx, db.Store)
		if err != nil {
			return fmt.Errorf("demo casework: %w", err)
		}
		if n > 0 {
			log.Info("demo caseload loaded", "clients", n)
		}
	}

	x, err := openIndex(ctx, cfg, db, log, nil)
	if err != nil {
		return err
	}
	defer x.Close()
	runCtx, stopIndexer := context.WithCancel(ctx)
	indexerDone := make(chan struct{})
	go func() {
		defer close(indexerDone)
		x.Run(runCtx)
	}()
	defer func() {
		stopIndexer()
		<-indexerDone
	}()
	match := matching.New(db.Store, x.Index(), policy)
	dir.UseSearcher(match)

	l, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s (SIGNPOST_LISTEN): %w", cfg.Listen, err)
	}
	h := server.NewHandler(server.Options{Store: db.Store, Directory: dir, Matching: match, Access: accounts,
		Introspection: cfg.Introspection, Logger: log})
	url := "http://" + l.Addr().String()
	log.Info("Signpost is ready", "graphiql", url+"/", "graphql", url+"/graphql")
	if len(demoCreds) > 0 {
		fmt.Fprintf(stdout, "\nDemo sign-ins (new passwords on every demo start; demo mode only):\n")
		for _, c := range demoCreds {
			fmt.Fprintf(stdout, "  %-12s %-36s %s   (%s)\n", c.Role, c.Email, c.Password, c.What)
		}
		fmt.Fprintf(stdout, "Sign in with the login mutation; then send the %s header with every POST (GraphiQL: Headers tab, {\"%s\": \"1\"}).\n\n",
			server.CSRFHeader, server.CSRFHeader)
	}
	fmt.Fprintf(stdout, "Signpost is ready: open %s/ for GraphiQL (API at %s/graphql). Ctrl-C stops it.\n", url, url)
	if err := server.Serve(ctx, l, h, cfg.ShutdownTimeout, log); err != nil {
		return err
	}
	log.Info("server stopped")
	return nil
}
