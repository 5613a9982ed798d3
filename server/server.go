// Package server is Signpost's HTTP surface: /graphql, GraphiQL, health and
// readiness, Prometheus metrics, request ids, access logs and graceful
// shutdown.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/graph"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/store"
)

// MaxBodyBytes bounds a GraphQL request body.
const MaxBodyBytes = 1 << 20

// Options configure the HTTP handler.
type Options struct {
	Store     *store.Store
	Directory *directory.Directory
	Matching  *matching.Service
	Access    *access.Service
	// Casework defaults to one over Store with the role policy.
	Casework      *casework.Casework
	Introspection bool
	Logger        *slog.Logger
}

// NewHandler builds the routes.
func NewHandler(opts Options) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	httpMetrics := newHTTPMetrics(reg)

	cw := opts.Casework
	if cw == nil {
		cw = casework.New(opts.Store, access.NewRolePolicy(opts.Store, log))
	}
	gql := graph.NewHandler(graph.Options{
		Casework: cw, Directory: opts.Directory, Matching: opts.Matching, Access: opts.Access, Introspection: opts.Introspection,
		Logger: log, Metrics: reg,
	})
	mux := http.NewServeMux()
	mux.Handle("/graphql", limitBody(authenticate(opts.Access, log, gql), MaxBodyBytes))
	mux.Handle("GET /{$}", playground.Handler("Signpost", "/graphql"))
	mux.Handle("/openreferral/", openReferralHandler(openreferral.NewFeed(opts.Store), log))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", readyz(opts.Store, log))
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return withRequestID(accessLog(log, httpMetrics.wrap(mux)))
}

func readyz(st *store.Store, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := st.Ping(ctx); err != nil {
			log.WarnContext(ctx, "not ready: database unreachable", "err", err)
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		pending, err := st.Pending(ctx)
		if err != nil || pending > 0 {
			log.WarnContext(ctx, "not ready: migrations pending", "pending", pending, "err", err)
			http.Error(w, "database not migrated", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	}
}

func limitBody(next http.Handler, n int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// Serve answers HTTP on l until ctx is cancelled, then stops accepting
// connections and lets in-flight requests finish within timeout.
func Serve(ctx context.Context, l net.Listener, h http.Handler, timeout time.Duration, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", timeout)
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serveErr := <-errc; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}
