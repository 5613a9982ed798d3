package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/openreferral"
)

//go:embed openreferral-openapi.json
var openReferralOpenAPI []byte

// The HSDS profile this feed follows.
const (
	hsdsVersion = "3.0"
	orukProfile = "https://openreferraluk.org/profile"
)

// openReferralHandler serves the read-only Open Referral UK API under
// /openreferral/: public, any origin, JSON errors.
func openReferralHandler(feed *openreferral.Feed, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"version": hsdsVersion, "profile": orukProfile,
			"openapi_url": absoluteURL(r, "/openreferral/openapi.json")})
	})
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openReferralOpenAPI)
	})
	list := func(path string, fn func(context.Context, openreferral.FeedQuery) (any, error)) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			q, err := feed.ParseFeedQuery(r.Context(), r.URL.Query())
			if err == nil {
				var page any
				if page, err = fn(r.Context(), q); err == nil {
					writeJSON(w, http.StatusOK, page)
					return
				}
			}
			writeFeedError(w, r, err, log)
		})
	}
	one := func(path, what string, fn func(context.Context, uuid.UUID) (any, error)) {
		mux.HandleFunc("GET "+path+"/{id}", func(w http.ResponseWriter, r *http.Request) {
			id, err := uuid.Parse(r.PathValue("id"))
			if err != nil {
				writeFeedError(w, r, fault.InvalidField("id", "%q is not a UUID", r.PathValue("id")), log)
				return
			}
			v, err := fn(r.Context(), id)
			if err != nil {
				writeFeedError(w, r, err, log)
				return
			}
			writeJSON(w, http.StatusOK, v)
		})
	}
	list("/services", func(ctx context.Context, q openreferral.FeedQuery) (any, error) { return feed.Services(ctx, q) })
	one("/services", "service", func(ctx context.Context, id uuid.UUID) (any, error) { return feed.Service(ctx, id) })
	list("/organizations", func(ctx context.Context, q openreferral.FeedQuery) (any, error) { return feed.Organisations(ctx, q) })
	one("/organizations", "organization", func(ctx context.Context, id uuid.UUID) (any, error) { return feed.Organisation(ctx, id) })
	list("/taxonomies", func(ctx context.Context, q openreferral.FeedQuery) (any, error) { return feed.Taxonomies(ctx, q) })
	one("/taxonomies", "taxonomy", func(ctx context.Context, id uuid.UUID) (any, error) { return feed.Taxonomy(ctx, id) })
	list("/taxonomy_terms", func(ctx context.Context, q openreferral.FeedQuery) (any, error) { return feed.Terms(ctx, q) })
	one("/taxonomy_terms", "taxonomy term", func(ctx context.Context, id uuid.UUID) (any, error) { return feed.Term(ctx, id) })
	list("/service_at_locations", func(ctx context.Context, q openreferral.FeedQuery) (any, error) {
		return feed.ServiceAtLocations(ctx, q)
	})
	one("/service_at_locations", "service_at_location", func(ctx context.Context, id uuid.UUID) (any, error) {
		return feed.ServiceAtLocation(ctx, id)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET, OPTIONS")
			writeJSON(w, http.StatusMethodNotAllowed, feedError{Status: 405, Error: "Method Not Allowed", Message: "the feed is read-only"})
			return
		}
		writeJSON(w, http.StatusNotFound, feedError{Status: 404, Error: "Not Found", Message: "no such endpoint: see /openreferral/openapi.json"})
	})
	h := http.StripPrefix("/openreferral", mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Accept, Content-Type")
			w.Header().Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}

type feedError struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func writeFeedError(w http.ResponseWriter, r *http.Request, err error, log *slog.Logger) {
	var inv *fault.Invalid
	switch {
	case errors.As(err, &inv):
		p := inv.Problems[0]
		writeJSON(w, http.StatusBadRequest, feedError{Status: 400, Error: "Bad Request", Message: inv.Error(), Field: p.Field})
	case errors.Is(err, fault.NotFound):
		writeJSON(w, http.StatusNotFound, feedError{Status: 404, Error: "Not Found", Message: err.Error()})
	default:
		log.ErrorContext(r.Context(), "open referral feed", "err", err, "path", r.URL.Path)
		writeJSON(w, http.StatusInternalServerError, feedError{Status: 500, Error: "Internal Server Error", Message: "internal error"})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// absoluteURL makes a URL on this server for path, as the caller reached it.
func absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if clientFrom(r.Context()).Secure {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: path}
	return u.String()
}
