package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/signpost/signpost/config"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/server"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [flags]",
		"Runs the HTTP server: GraphQL at /graphql, GraphiQL at /graphiql (with introspection on),\n"+
			"the Open Referral feed at /openreferral/, /healthz, /readyz and /metrics.\n"+
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
		if demoCreds, err = loadDemo(ctx, db, accounts, log); err != nil {
			return err
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
	hs := server.NewHandlers(server.Options{Store: db.Store, Directory: dir, Matching: match, Access: accounts,
		Casework: casework.New(db.Store, policy), Introspection: cfg.Introspection, Logger: log,
		TrustedProxies: cfg.TrustedProxies, ClientIPHeader: cfg.ClientIPHeader, CookieSecure: cfg.CookieSecure,
		PublicURL: cfg.PublicURL, MetricsToken: cfg.MetricsToken, SeparateMetrics: cfg.MetricsListen != ""})
	printReady(stdout, log, "http://"+l.Addr().String(), cfg.Introspection, demoCreds)
	if err := serveAll(ctx, cfg, l, hs, log); err != nil {
		return err
	}
	log.Info("server stopped")
	return nil
}

// loadDemo loads the demo directory, accounts and caseload where they are
// missing, returning the demo sign-ins.
func loadDemo(ctx context.Context, db *database, accounts *access.Service, log *slog.Logger) ([]seed.Credential, error) {
	// Loading the demo is the server's own doing, not a caller's.
	res, err := seed.DemoIfEmpty(ctx, directory.New(db.Store, access.Open{}), db.Store)
	if err != nil {
		return nil, fmt.Errorf("loading demo data: %w", err)
	}
	if res.Loaded {
		log.Info("demo directory loaded", "organisations", res.Organisations, "services", res.Services)
	}
	creds, err := seed.DemoAccounts(ctx, db.Store, accounts)
	if err != nil {
		return nil, fmt.Errorf("demo accounts: %w", err)
	}
	n, err := seed.DemoCasework(ctx, db.Store)
	if err != nil {
		return nil, fmt.Errorf("demo casework: %w", err)
	}
	if n > 0 {
		log.Info("demo caseload loaded", "clients", n)
	}
	return creds, nil
}

// printReady tells the person who started the server where it is and,
// in demo mode, how to sign in.
func printReady(stdout io.Writer, log *slog.Logger, url string, introspection bool, creds []seed.Credential) {
	log.Info("Signpost is ready", "graphql", url+"/graphql")
	if len(creds) > 0 {
		fmt.Fprintf(stdout, "\nDemo sign-ins (new passwords on every demo start; demo mode only):\n")
		for _, c := range creds {
			fmt.Fprintf(stdout, "  %-12s %-36s %s   (%s)\n", c.Role, c.Email, c.Password, c.What)
		}
		fmt.Fprintf(stdout, "Sign in with the login mutation; then send the %s header with every POST (GraphiQL: Headers tab, {\"%s\": \"1\"}).\n\n",
			server.CSRFHeader, server.CSRFHeader)
	}
	graphiql := ""
	if introspection {
		graphiql = ", GraphiQL at " + url + "/graphiql"
	}
	fmt.Fprintf(stdout, "Signpost is ready: open %s/ (API at %s/graphql%s). Ctrl-C stops it.\n", url, url, graphiql)
}

// serveAll serves the application on l and, when SIGNPOST_METRICS_LISTEN
// is set, the metrics on their own address, until ctx ends or one fails.
func serveAll(ctx context.Context, cfg config.Config, l net.Listener, hs server.Handlers, log *slog.Logger) error {
	if cfg.MetricsListen == "" {
		return server.Serve(ctx, l, hs.Main, cfg.ShutdownTimeout, log)
	}
	ml, err := net.Listen("tcp", cfg.MetricsListen)
	if err != nil {
		l.Close()
		return fmt.Errorf("listening on %s (%s): %w", cfg.MetricsListen, config.EnvMetricsListen, err)
	}
	log.Info("metrics served separately", "addr", ml.Addr().String())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2)
	go func() { errc <- server.Serve(ctx, l, hs.Main, cfg.ShutdownTimeout, log) }()
	go func() { errc <- server.Serve(ctx, ml, hs.Metrics, cfg.ShutdownTimeout, log) }()
	first := <-errc
	cancel() // one stopped: stop the other too
	second := <-errc
	return errors.Join(first, second)
}
