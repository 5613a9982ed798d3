package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const contractPath = "../../schema.graphql"

// The repository's schema.graphql is what clients type their operations
// from: it must be exactly the files joined, or a client would be built
// against a schema the server does not serve.
func TestContractIsCurrent(t *testing.T) {
	got, err := os.ReadFile(contractPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Contract()) {
		t.Fatalf("%s is stale: run `go generate ./...` (or `make generate`) and commit it", contractPath)
	}
}

// Every schema file is joined, and the joined document is a valid schema.
func TestContractHoldsEveryFile(t *testing.T) {
	names, err := filepath.Glob("*.graphql")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !slices.Contains(Files, n) {
			t.Errorf("%s is not in Files: the contract would leave it out", n)
		}
	}
	if _, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(Contract())}); gerr != nil {
		t.Fatal(gerr)
	}
}
