// Package shareddata finds the data sets tests read (the Miami 211 package,
// the Open Referral UK schema and examples, the postcode files). They live
// outside the module, in a shared/data directory beside the checkout, so a
// test that named them by a relative path would break in a checkout at
// another depth.
package shareddata

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Env names the directory explicitly, overriding the search.
const Env = "SIGNPOST_SHARED_DATA"

// Path joins elems onto the shared data directory, failing the test when
// the directory cannot be found: the data sets are part of the test
// fixture (CI keeps them beside the checkout), so a missing directory is a
// broken set-up, never a reason to skip.
func Path(tb testing.TB, elems ...string) string {
	tb.Helper()
	dir, err := Dir()
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(append([]string{dir}, elems...)...)
}

// Dir returns the shared data directory: $SIGNPOST_SHARED_DATA when set,
// otherwise the first shared/data found beside the module root (the
// directory holding go.mod) or beside one of its ancestors.
func Dir() (string, error) {
	if dir := os.Getenv(Env); dir != "" {
		if !isDir(dir) {
			return "", fmt.Errorf("shareddata: %s=%q is not a directory", Env, dir)
		}
		return filepath.Abs(dir)
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
		if candidate := filepath.Join(dir, "shared", "data"); isDir(candidate) {
			return candidate, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("shareddata: no shared/data beside %s or its parents; set %s", root, Env)
		}
	}
}

// moduleRoot walks up from the working directory (a test runs in its
// package's directory) to the directory holding go.mod.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("shareddata: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("shareddata: no go.mod above %s", wd)
		}
	}
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
