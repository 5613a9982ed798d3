package graph

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/store"
	"github.com/vektah/gqlparser/v2/ast"
)

// Limits on what one request may ask for.
const (
	ParserTokenLimit = 15000
	queryCacheSize   = 1000
)

// Options configure the GraphQL handler.
type Options struct {
	Directory *directory.Directory
	Matching  *matching.Service
	Access    *access.Service
	Casework  *casework.Casework
	// Store is what the per-request loaders batch their reads from.
	Store         *store.Store
	Introspection bool
	Logger        *slog.Logger
	// Metrics, when set, receives per-operation counts and latencies.
	Metrics prometheus.Registerer
}

// NewHandler returns the /graphql handler: GET and POST transports, a query
// cache, parser token, document shape (limits.go) and complexity
// (complexity.go) limits, per-request loaders, and introspection and
// suggestions only when enabled.
func NewHandler(opts Options) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	cfg := Config{Resolvers: &Resolver{Directory: opts.Directory, Matching: opts.Matching, Access: opts.Access,
		Casework: opts.Casework, reads: opts.Store}}
	cfg.Directives.Policy = policyDirective(opts.Access)
	setComplexity(&cfg.Complexity)
	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	cache := lru.New[*ast.QueryDocument](queryCacheSize)
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(ParserTokenLimit)
	srv.Use(documentLimits{cache: cache, introspection: opts.Introspection})
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit))
	srv.Use(inputText{})
	srv.SetValidationRulesFn(validationRules(opts.Introspection))
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.SetDisableSuggestion(true)
	}
	srv.SetErrorPresenter(errorPresenter(log))
	srv.SetRecoverFunc(recoverFunc(log))
	if opts.Metrics != nil {
		srv.Use(newOperationMetrics(opts.Metrics))
	}
	return overHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r.WithContext(withLoaders(r.Context(), opts.Store)))
	}))
}

// operationMetrics counts GraphQL operations and their latency by name.
type operationMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	names    *nameLimiter
}

func newOperationMetrics(reg prometheus.Registerer) *operationMetrics {
	m := &operationMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "signpost_graphql_operations_total",
			Help: "GraphQL operations by operation name, type and outcome.",
		}, []string{"operation", "type", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "signpost_graphql_operation_duration_seconds",
			Help:    "GraphQL operation latency by operation name and type.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation", "type"}),
		names: newNameLimiter(200),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = (*operationMetrics)(nil)

func (m *operationMetrics) ExtensionName() string                   { return "OperationMetrics" }
func (m *operationMetrics) Validate(graphql.ExecutableSchema) error { return nil }

func (m *operationMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	start := time.Now()
	resp := next(ctx)
	name, typ := oc.OperationName, "unknown"
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if name == "" {
			name = oc.Operation.Name
		}
	}
	name = m.names.label(name)
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
	}
	m.requests.WithLabelValues(name, typ, outcome).Inc()
	m.duration.WithLabelValues(name, typ).Observe(time.Since(start).Seconds())
	return resp
}
