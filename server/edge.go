package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/signpost/signpost/config"
)

// edge knows what the network in front of the server may be trusted to say:
// which peers are proxies, in which header they put the client's address,
// and the origin browsers use.
type edge struct {
	trusted      []netip.Prefix
	clientHeader string
	publicURL    *url.URL
	cookieSecure config.CookieSecure
}

func newEdge(opts Options) *edge {
	e := &edge{trusted: opts.TrustedProxies, clientHeader: opts.ClientIPHeader, publicURL: opts.PublicURL,
		cookieSecure: opts.CookieSecure}
	if e.clientHeader == "" {
		e.clientHeader = config.DefaultClientIPHeader
	}
	if e.cookieSecure == "" {
		e.cookieSecure = config.CookieSecureAuto
	}
	return e
}

// client is what the edge established about a request.
type client struct {
	// Address is the client's IP address: the peer's, or, when the peer is
	// a trusted proxy, the one the proxy reports.
	Address netip.Addr
	// Secure is true when the client reached us over TLS, directly or per
	// a trusted proxy's X-Forwarded-Proto.
	Secure bool
	// ViaUntrustedProxy is true when a peer that is not a trusted proxy
	// sent forwarding headers: most likely a proxy nobody configured, whose
	// own (perhaps loopback) address says nothing about the client.
	ViaUntrustedProxy bool
}

// forwardingHeaders are the headers proxies add for the client.
var forwardingHeaders = []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded", "X-Forwarded-Proto"}

type clientKey struct{}

func clientFrom(ctx context.Context) client {
	c, _ := ctx.Value(clientKey{}).(client)
	return c
}

// withClient records the client's address and transport in the context.
func (e *edge) withClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, e.client(r))))
	})
}

func (e *edge) client(r *http.Request) client {
	peer := peerAddress(r)
	c := client{Address: peer, Secure: r.TLS != nil}
	if !e.isTrusted(peer) {
		c.ViaUntrustedProxy = r.Header.Get(e.clientHeader) != ""
		for _, h := range forwardingHeaders {
			c.ViaUntrustedProxy = c.ViaUntrustedProxy || r.Header.Get(h) != ""
		}
		return c
	}
	c.Address = e.forwardedAddress(r.Header.Values(e.clientHeader), peer)
	if !c.Secure {
		proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
		c.Secure = strings.EqualFold(strings.TrimSpace(proto), "https")
	}
	return c
}

func peerAddress(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func (e *edge) isTrusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range e.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedAddress reads the addresses proxies appended, right to left, and
// returns the first that is not itself a trusted proxy: anything left of it
// was written by the client and may be forged. A header that cannot be read
// leaves the peer's address.
func (e *edge) forwardedAddress(values []string, peer netip.Addr) netip.Addr {
	var hops []string
	for _, v := range values {
		hops = append(hops, strings.Split(v, ",")...)
	}
	found := netip.Addr{}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		found = a.Unmap()
		if !e.isTrusted(found) {
			return found
		}
	}
	if found.IsValid() {
		// Every hop is a trusted proxy: the left-most is the nearest to the client.
		return found
	}
	return peer
}

// secureCookie says whether the session cookie for r is marked Secure.
func (e *edge) secureCookie(r *http.Request) bool {
	switch e.cookieSecure {
	case config.CookieSecureAlways:
		return true
	case config.CookieSecureNever:
		return false
	}
	return clientFrom(r.Context()).Secure
}

// sameOrigin accepts requests without an Origin (not from a browser) and
// those whose Origin has this server's scheme, host and port: the public
// URL when configured, else the scheme the client used and the Host header.
func (e *edge) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" {
		return false
	}
	own := e.publicURL
	if own == nil {
		scheme := "http"
		if clientFrom(r.Context()).Secure {
			scheme = "https"
		}
		own = &url.URL{Scheme: scheme, Host: r.Host}
	}
	return strings.EqualFold(u.Scheme, own.Scheme) && strings.EqualFold(u.Hostname(), own.Hostname()) &&
		portOf(u) == portOf(own)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}
