// Package server is Signpost's HTTP surface: /graphql, GraphiQL, health and
// readiness, Prometheus metrics, request ids, access logs and graceful
// shutdown.
package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/config"
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
	Store         *store.Store
	Directory     *directory.Directory
	Matching      *matching.Service
	Access        *access.Service
	Casework      *casework.Casework
	Introspection bool
	Logger        *slog.Logger

	// TrustedProxies are the peers whose ClientIPHeader and
	// X-Forwarded-Proto are believed; none by default.
	TrustedProxies []netip.Prefix
	// ClientIPHeader defaults to X-Forwarded-For.
	ClientIPHeader string
	// CookieSecure defaults to auto.
	CookieSecure config.CookieSecure
	// PublicURL, when set, is the origin browsers use for this server.
	PublicURL *url.URL
	// MetricsToken, when set, must come as "Authorization: Bearer" to
	// /metrics. Without it, /metrics on the main handler answers loopback
	// clients only.
	MetricsToken string
	// SeparateMetrics leaves /metrics off the main handler; serve
	// Handlers.Metrics on its own address instead.
	SeparateMetrics bool
}

// Handlers are the two HTTP surfaces: the application and, for a separate
// listener, the metrics.
type Handlers struct {
	Main    http.Handler
	Metrics http.Handler
}

// NewHandler builds the application's routes.
func NewHandler(opts Options) http.Handler { return NewHandlers(opts).Main }

// NewHandlers builds the application's routes and the metrics handler.
func NewHandlers(opts Options) Handlers {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	httpMetrics := newHTTPMetrics(reg)

	gql := graph.NewHandler(graph.Options{
		Casework: opts.Casework, Store: opts.Store, Directory: opts.Directory, Matching: opts.Matching, Access: opts.Access, Introspection: opts.Introspection,
		Logger: log, Metrics: reg,
	})
	edge := newEdge(opts)
	mux := http.NewServeMux()
	mux.Handle("/graphql", limitBody(edge.authenticate(opts.Access, log, gql), MaxBodyBytes))
	mux.HandleFunc("GET /{$}", index)
	if opts.Introspection {
		mux.Handle("GET /graphiql", graphiql("/graphql"))
	}
	mux.Handle("/openreferral/", openReferralHandler(openreferral.NewFeed(opts.Store), log))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", readyz(opts.Store, log))
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	if !opts.SeparateMetrics {
		mux.Handle("GET /metrics", metricsGuard(opts.MetricsToken, true, metrics))
	}
	wrap := func(h http.Handler) http.Handler {
		return withRequestID(edge.withClient(securityHeaders(accessLog(log, h))))
	}
	return Handlers{
		Main:    wrap(httpMetrics.wrap(mux)),
		Metrics: wrap(metricsGuard(opts.MetricsToken, false, metrics)),
	}
}

// metricsGuard lets through a request with the bearer token when one is
// set; without a token, only loopback clients when loopbackOnly (the
// metrics share the application's address) and anyone otherwise (the
// operator gave them an address of their own). A loopback peer that
// forwards for someone and is not a trusted proxy is not a loopback client.
func metricsGuard(token string, loopbackOnly bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case token != "":
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need the bearer token (SIGNPOST_METRICS_TOKEN)", http.StatusUnauthorized)
				return
			}
		case loopbackOnly && (!clientFrom(r.Context()).Address.IsLoopback() || clientFrom(r.Context()).ViaUntrustedProxy):
			http.Error(w, "metrics are served to loopback clients only: set SIGNPOST_METRICS_TOKEN or SIGNPOST_METRICS_LISTEN", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
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
