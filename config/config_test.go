package config

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Listen: "127.0.0.1:8080", DataDir: "./.data", LogFormat: "text", Introspection: true, ShutdownTimeout: 15 * time.Second,
		ClientIPHeader: "X-Forwarded-For", CookieSecure: CookieSecureAuto}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("defaults = %+v, want %+v", c, want)
	}
}

func TestValidValues(t *testing.T) {
	c, err := FromEnv(env(map[string]string{
		EnvDatabaseURL: "postgres://u:p@db.example:5432/signpost", EnvListen: "0.0.0.0:9000",
		EnvDataDir: "/var/lib/signpost", EnvLogFormat: "json", EnvIntrospection: "false", EnvShutdownTimeout: "3s",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Introspection || c.LogFormat != "json" || c.Listen != "0.0.0.0:9000" || c.ShutdownTimeout != 3*time.Second {
		t.Fatalf("got %+v", c)
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	cases := []struct {
		name, key, value string
	}{
		{"not a URL scheme", EnvDatabaseURL, "mysql://x/y"},
		{"no host", EnvDatabaseURL, "postgres:///signpost"},
		{"no port", EnvListen, "127.0.0.1"},
		{"bad port", EnvListen, "127.0.0.1:http"},
		{"port out of range", EnvListen, "127.0.0.1:70000"},
		{"host name", EnvListen, "example.com:80"},
		{"log format", EnvLogFormat, "xml"},
		{"introspection", EnvIntrospection, "maybe"},
		{"shutdown timeout", EnvShutdownTimeout, "-1s"},
		{"proxy not a CIDR", EnvTrustedProxies, "10.0.0.0/8, proxy.example"},
		{"proxy bad mask", EnvTrustedProxies, "10.0.0.0/33"},
		{"client IP header with a space", EnvClientIPHeader, "X Forwarded For"},
		{"client IP header Forwarded", EnvClientIPHeader, "Forwarded"},
		{"cookie secure", EnvCookieSecure, "sometimes"},
		{"public URL scheme", EnvPublicURL, "ftp://signpost.example"},
		{"public URL path", EnvPublicURL, "https://signpost.example/app"},
		{"public URL no host", EnvPublicURL, "https://"},
		{"metrics listen", EnvMetricsListen, "9090"},
		{"metrics listen host name", EnvMetricsListen, "metrics.example:9090"},
		{"metrics listen same as listen", EnvMetricsListen, DefaultListen},
		{"metrics token short", EnvMetricsToken, "short"},
		{"metrics token space", EnvMetricsToken, "a token with spaces in it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromEnv(env(map[string]string{tc.key: tc.value}))
			if err == nil {
				t.Fatalf("%s=%q accepted", tc.key, tc.value)
			}
			if !strings.Contains(err.Error(), tc.key) {
				t.Fatalf("error %q does not name %s", err, tc.key)
			}
		})
	}
}

func TestDatabaseURLErrorHidesPassword(t *testing.T) {
	_, err := FromEnv(env(map[string]string{EnvDatabaseURL: "mysql://user:s3cret@host/db"}))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %v must exist and not show the password", err)
	}
}

func TestEdgeValues(t *testing.T) {
	c, err := FromEnv(env(map[string]string{
		EnvTrustedProxies: " 10.0.0.0/8, 192.168.1.7 ,::1", EnvClientIPHeader: "x-real-ip",
		EnvCookieSecure: "TRUE", EnvPublicURL: "https://Signpost.example:8443", EnvMetricsListen: "127.0.0.1:9090",
		EnvMetricsToken: "0123456789abcdef+/=",
	}))
	if err != nil {
		t.Fatal(err)
	}
	wantProxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("::1/128")}
	if !reflect.DeepEqual(c.TrustedProxies, wantProxies) {
		t.Errorf("proxies = %v, want %v", c.TrustedProxies, wantProxies)
	}
	if c.ClientIPHeader != "X-Real-Ip" || c.CookieSecure != CookieSecureAlways || c.MetricsListen != "127.0.0.1:9090" ||
		c.MetricsToken != "0123456789abcdef+/=" || c.PublicURL.String() != "https://signpost.example:8443" {
		t.Errorf("got %+v", c)
	}
	for _, v := range []string{"auto", "true", "false"} {
		c, err := FromEnv(env(map[string]string{EnvCookieSecure: v}))
		if err != nil || string(c.CookieSecure) != v {
			t.Errorf("%s=%s: %v, %v", EnvCookieSecure, v, c.CookieSecure, err)
		}
	}
}

func TestMetricsTokenErrorHidesTheToken(t *testing.T) {
	_, err := FromEnv(env(map[string]string{EnvMetricsToken: "sh0rt"}))
	if err == nil || strings.Contains(err.Error(), "sh0rt") {
		t.Fatalf("error %v must exist and not show the token", err)
	}
}
