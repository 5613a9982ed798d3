// Command contract writes the joined schema (schema.Contract) to the file
// named by -o: `go generate ./...` keeps the repository's schema.graphql
// in step with graph/schema/.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/signpost/signpost/graph/schema"
)

func main() {
	out := flag.String("o", "schema.graphql", "where to write the contract")
	flag.Parse()
	if err := os.WriteFile(*out, schema.Contract(), 0o644); err != nil {
		log.Fatal(err)
	}
}
