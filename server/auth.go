package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/graph"
)

// SessionCookie is the browser session's cookie.
const SessionCookie = "signpost_session"

// CSRFHeader must accompany every cookie-authenticated request: a
// cross-site form or link cannot set it, and a cross-site script cannot
// without CORS, which /graphql does not allow.
const CSRFHeader = "X-Signpost-CSRF"

// authenticate puts the caller's identity and the request's facts in the
// context: an API token from "Authorization: Bearer", else the session
// cookie. Unknown, revoked or expired credentials leave the caller
// anonymous. Cookie-authenticated POSTs must carry CSRFHeader and no POST
// may come from another origin. A GET with the cookie but without the
// header is answered as anonymous: a cross-site link or image carries the
// cookie (SameSite=Lax allows top-level navigations) but never the header.
func (e *edge) authenticate(svc *access.Service, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := access.WithRequest(r.Context(), access.Request{Address: clientAddress(r), UserAgent: r.UserAgent(),
			RequestID: RequestID(r.Context())})
		if r.Method == http.MethodPost && !e.sameOrigin(r) {
			refuse(w, "cross-site request refused: the Origin does not match this server")
			return
		}
		sess := &cookieSession{w: w, secure: e.secureCookie(r)}
		var id *access.Identity
		var err error
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			id, err = svc.TokenIdentity(ctx, strings.TrimSpace(strings.TrimPrefix(auth, "Bearer ")))
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" && r.Header.Get(CSRFHeader) != "" {
			sess.secret = c.Value
			id, err = svc.SessionIdentity(ctx, c.Value)
		} else if cerr == nil && c.Value != "" && r.Method != http.MethodGet {
			refuse(w, "cross-site request refused: a signed-in request needs the "+CSRFHeader+" header")
			return
		}
		if err != nil {
			log.ErrorContext(ctx, "checking credentials", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		if id != nil {
			ctx = access.WithIdentity(ctx, id)
		}
		ctx = graph.WithHTTPSession(ctx, sess)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func refuse(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg,
		"extensions": map[string]any{"code": "FORBIDDEN"}}}})
}

// clientAddress is the address the edge established: the peer's, or the
// one a trusted proxy reported.
func clientAddress(r *http.Request) string {
	if a := clientFrom(r.Context()).Address; a.IsValid() {
		return a.String()
	}
	return ""
}

// cookieSession implements graph.HTTPSession over the response.
type cookieSession struct {
	w      http.ResponseWriter
	secret string
	secure bool
}

func (c *cookieSession) Secret() string { return c.secret }

func (c *cookieSession) Start(secret string) {
	http.SetCookie(c.w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.secure, MaxAge: int(access.AbsoluteTimeout.Seconds())})
}

func (c *cookieSession) End() {
	http.SetCookie(c.w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.secure, MaxAge: -1})
}
