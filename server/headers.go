package server

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

// ContentSecurityPolicy is sent with every response but GraphiQL's: only
// this server's own scripts, styles and images; nothing inline; no frames.
const ContentSecurityPolicy = "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// hstsMaxAge is one year, the value browsers' preload lists expect.
const hstsMaxAge = "max-age=31536000"

// securityHeaders sets the headers every response carries, errors
// included; a handler may narrow or relax the policy for itself after.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if clientFrom(r.Context()).Secure {
			h.Set("Strict-Transport-Security", hstsMaxAge)
		}
		next.ServeHTTP(w, r)
	})
}

//go:embed index.html
var indexPage []byte

// index says what this server is and where its API is; no script.
func index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(indexPage)
}

// jsDelivr is where gqlgen's GraphiQL page loads its scripts and styles
// from, each pinned by a subresource-integrity hash.
const jsDelivr = "https://cdn.jsdelivr.net"

var inlineScriptRE = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// graphiql serves gqlgen's GraphiQL, a developer tool offered only with
// introspection on. Its page runs one inline script and loads React and
// GraphiQL from jsDelivr, so its policy allows exactly that script (by
// hash) and that CDN, and inline styles; nothing else is relaxed.
func graphiql(endpoint string) http.Handler {
	page := playground.Handler("Signpost", endpoint)
	rec := httptest.NewRecorder()
	page(rec, httptest.NewRequest(http.MethodGet, "/graphiql", nil))
	var hashes []string
	for _, m := range inlineScriptRE.FindAllStringSubmatch(rec.Body.String(), -1) {
		sum := sha256.Sum256([]byte(m[1]))
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	csp := strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(hashes, " ") + " " + jsDelivr,
		"style-src 'self' 'unsafe-inline' " + jsDelivr,
		"font-src 'self' data: " + jsDelivr,
		"img-src 'self' data:",
		"worker-src 'self' blob:",
		"connect-src 'self'",
		"object-src 'none'",
		"frame-ancestors 'none'",
		"base-uri 'none'",
		"form-action 'self'",
	}, "; ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		page(w, r)
	})
}
