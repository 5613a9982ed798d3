package apitest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGraphQLOverHTTPAudits runs the graphql-http package's server audits
// (every MUST, SHOULD and MAY of the GraphQL-over-HTTP spec it checks) for
// GET and POST against a started server. `make test` installs the package.
func TestGraphQLOverHTTPAudits(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed for the GraphQL-over-HTTP audits: install Node.js")
	}
	dir, _ := filepath.Abs("graphqlhttp")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-http")); err != nil {
		t.Fatal("graphql-http is not installed: run `npm ci --prefix apitest/graphqlhttp` (make test does)")
	}
	e := newEnv(t, envOptions{})
	cmd := exec.Command(node, filepath.Join(dir, "audit.mjs"), e.url+"/graphql")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("audit script: %v\n%s", err, out)
	}
	var results []struct {
		ID, Name, Status, Reason string
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("audit output %q: %v", out, err)
	}
	if len(results) < 20 {
		t.Fatalf("only %d audits ran", len(results))
	}
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
		if r.Status != "ok" {
			t.Errorf("audit %s %s: %s: %s", r.ID, r.Name, r.Status, r.Reason)
		}
	}
	t.Logf("graphql-http audits: %v", counts)
}
