// Package config reads Signpost's configuration from the environment, with
// defaults, and refuses invalid values with a message naming the variable.
package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
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
}

// Variables read by FromEnv.
const (
	EnvDatabaseURL     = "DATABASE_URL"
	EnvListen          = "SIGNPOST_LISTEN"
	EnvDataDir         = "SIGNPOST_DATA_DIR"
	EnvLogFormat       = "SIGNPOST_LOG_FORMAT"
	EnvIntrospection   = "SIGNPOST_INTROSPECTION"
	EnvShutdownTimeout = "SIGNPOST_SHUTDOWN_TIMEOUT"
)

// Defaults.
const (
	DefaultListen          = "127.0.0.1:8080"
	DefaultDataDir         = "./.data"
	DefaultLogFormat       = "text"
	DefaultShutdownTimeout = 15 * time.Second
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
	return nil
}

func orDefault(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}
