// Package config reads Signpost's configuration from the environment, with
// defaults, and refuses invalid values with a message naming the variable.
package config

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Config is the whole configuration.
type Config struct {
	// DatabaseURL is a postgres:// URL; empty starts a private PostgreSQL.
	DatabaseURL string
	// Listen is the HTTP address, host:port.
	Listen string
	// DataDir holds the private PostgreSQL cluster and, later, the index.
	DataDir string
	// LogFormat is "text" or "json".
	LogFormat string
	// Introspection enables GraphQL introspection (and field suggestions).
	Introspection bool
	// ShutdownTimeout bounds how long in-flight requests may finish.
	ShutdownTimeout time.Duration
	// TrustedProxies are the peers whose ClientIPHeader and
	// X-Forwarded-Proto are believed; none by default.
	TrustedProxies []netip.Prefix
	// ClientIPHeader names the header a trusted proxy puts the client's
	// address in.
	ClientIPHeader string
	// CookieSecure says when the session cookie is marked Secure.
	CookieSecure CookieSecure
	// PublicURL, when set, is this server's origin as browsers see it
	// (scheme, host and port); the Origin check compares with it.
	PublicURL *url.URL
	// MetricsListen, when set, serves /metrics on this address only.
	MetricsListen string
	// MetricsToken, when set, must be sent as a bearer token to /metrics.
	MetricsToken string
}

// CookieSecure is auto, always or never.
type CookieSecure string

// The values of SIGNPOST_COOKIE_SECURE.
const (
	// CookieSecureAuto marks the cookie Secure when the request came over
	// TLS, directly or per a trusted proxy's X-Forwarded-Proto.
	CookieSecureAuto   CookieSecure = "auto"
	CookieSecureAlways CookieSecure = "true"
	CookieSecureNever  CookieSecure = "false"
)

// Variables read by FromEnv.
const (
	EnvDatabaseURL     = "DATABASE_URL"
	EnvListen          = "SIGNPOST_LISTEN"
	EnvDataDir         = "SIGNPOST_DATA_DIR"
	EnvLogFormat       = "SIGNPOST_LOG_FORMAT"
	EnvIntrospection   = "SIGNPOST_INTROSPECTION"
	EnvShutdownTimeout = "SIGNPOST_SHUTDOWN_TIMEOUT"
	EnvTrustedProxies  = "SIGNPOST_TRUSTED_PROXIES"
	EnvClientIPHeader  = "SIGNPOST_CLIENT_IP_HEADER"
	EnvCookieSecure    = "SIGNPOST_COOKIE_SECURE"
	EnvPublicURL       = "SIGNPOST_PUBLIC_URL"
	EnvMetricsListen   = "SIGNPOST_METRICS_LISTEN"
	EnvMetricsToken    = "SIGNPOST_METRICS_TOKEN"
)

// MinMetricsTokenLength keeps the metrics token out of guessing range.
const MinMetricsTokenLength = 16

// Defaults.
const (
	DefaultListen          = "127.0.0.1:8080"
	DefaultDataDir         = "./.data"
	DefaultLogFormat       = "text"
	DefaultShutdownTimeout = 15 * time.Second
	DefaultClientIPHeader  = "X-Forwarded-For"
)

// FromEnv reads the configuration through getenv (os.Getenv in production).
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:     strings.TrimSpace(getenv(EnvDatabaseURL)),
		Listen:          orDefault(getenv(EnvListen), DefaultListen),
		DataDir:         orDefault(getenv(EnvDataDir), DefaultDataDir),
		LogFormat:       orDefault(getenv(EnvLogFormat), DefaultLogFormat),
		Introspection:   true,
		ShutdownTimeout: DefaultShutdownTimeout,
		ClientIPHeader:  http.CanonicalHeaderKey(orDefault(getenv(EnvClientIPHeader), DefaultClientIPHeader)),
		CookieSecure:    CookieSecure(strings.ToLower(orDefault(getenv(EnvCookieSecure), string(CookieSecureAuto)))),
		MetricsListen:   strings.TrimSpace(getenv(EnvMetricsListen)),
		MetricsToken:    strings.TrimSpace(getenv(EnvMetricsToken)),
	}
	if v := strings.TrimSpace(getenv(EnvIntrospection)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("%s=%q: must be true or false", EnvIntrospection, v)
		}
		c.Introspection = b
	}
	if v := strings.TrimSpace(getenv(EnvShutdownTimeout)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("%s=%q: must be a positive duration such as 15s", EnvShutdownTimeout, v)
		}
		c.ShutdownTimeout = d
	}
	proxies, err := ParseTrustedProxies(getenv(EnvTrustedProxies))
	if err != nil {
		return c, err
	}
	c.TrustedProxies = proxies
	if v := strings.TrimSpace(getenv(EnvPublicURL)); v != "" {
		u, err := parsePublicURL(v)
		if err != nil {
			return c, err
		}
		c.PublicURL = u
	}
	return c, c.Validate()
}

// Validate checks every field, naming the variable that sets a bad one.
func (c Config) Validate() error {
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			// Never echo the URL: it may hold a password.
			return fmt.Errorf("%s: must be a postgres:// URL such as postgres://user:password@host:5432/signpost", EnvDatabaseURL)
		}
	}
	host, port, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return fmt.Errorf("%s=%q: must be host:port, e.g. %s", EnvListen, c.Listen, DefaultListen)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("%s=%q: port must be a number from 0 to 65535", EnvListen, c.Listen)
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		return fmt.Errorf("%s=%q: host must be an IP address or localhost", EnvListen, c.Listen)
	}
	if c.DataDir == "" {
		return fmt.Errorf("%s: must not be empty", EnvDataDir)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("%s=%q: must be text or json", EnvLogFormat, c.LogFormat)
	}
	return c.validateEdge()
}

// validateEdge checks the settings of the HTTP edge: proxy, cookie, metrics.
func (c Config) validateEdge() error {
	if !isToken(c.ClientIPHeader) || strings.EqualFold(c.ClientIPHeader, "Forwarded") {
		return fmt.Errorf("%s=%q: must be a header name that holds addresses, such as X-Forwarded-For or X-Real-IP", EnvClientIPHeader, c.ClientIPHeader)
	}
	switch c.CookieSecure {
	case CookieSecureAuto, CookieSecureAlways, CookieSecureNever:
	default:
		return fmt.Errorf("%s=%q: must be auto, true or false", EnvCookieSecure, c.CookieSecure)
	}
	if c.MetricsListen != "" {
		if err := checkHostPort(c.MetricsListen); err != nil {
			return fmt.Errorf("%s=%q: %w", EnvMetricsListen, c.MetricsListen, err)
		}
		if c.MetricsListen == c.Listen {
			return fmt.Errorf("%s=%q: must differ from %s", EnvMetricsListen, c.MetricsListen, EnvListen)
		}
	}
	if c.MetricsToken != "" && (len(c.MetricsToken) < MinMetricsTokenLength || !isVisibleASCII(c.MetricsToken)) {
		// Never echo the token.
		return fmt.Errorf("%s: must be at least %d characters without spaces or control characters", EnvMetricsToken, MinMetricsTokenLength)
	}
	return nil
}

// ParseTrustedProxies reads a comma-separated list of CIDRs or addresses
// (an address is a one-address range).
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("%s: %q is neither a CIDR (10.0.0.0/8) nor an IP address", EnvTrustedProxies, f)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func parsePublicURL(v string) (*url.URL, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s=%q: must be an origin such as https://signpost.example.org", EnvPublicURL, v)
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

func checkHostPort(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("must be host:port, e.g. 127.0.0.1:9090")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("port must be a number from 0 to 65535")
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		return fmt.Errorf("host must be an IP address or localhost")
	}
	return nil
}

func isVisibleASCII(s string) bool {
	for _, r := range s {
		if r <= ' ' || r >= 0x7f {
			return false
		}
	}
	return true
}

// isToken reports whether s is a non-empty run of visible ASCII without
// separators that matter in headers.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || r <= ' ' || r == 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

func orDefault(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}
