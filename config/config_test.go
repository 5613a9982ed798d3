package config

import (
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
	want := Config{Listen: "127.0.0.1:8080", DataDir: "./.data", LogFormat: "text", Introspection: true, ShutdownTimeout: 15 * time.Second}
	if c != want {
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
