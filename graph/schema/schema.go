// Package schema holds the GraphQL schema, one file per area of the API
// (gqlgen's follow-schema layout gives one graph/<area>.resolvers.go for
// each), and joins them into the single contract clients read.
package schema

import (
	"bytes"
	"embed"
)

//go:embed *.graphql
var files embed.FS

// Files are the schema's files in the order the contract joins them: the
// frame first, then the areas in the order a request meets them.
var Files = []string{"api.graphql", "directory.graphql", "matching.graphql", "casework.graphql", "access.graphql"}

// header opens the contract so nobody edits the copy instead of the source.
const header = "# Code generated from graph/schema/*.graphql by `go generate ./...`. DO NOT EDIT.\n" +
	"# The API's contract for clients (GraphiQL and the web app's typed operations\n" +
	"# read it); edit the area's file under graph/schema/ and regenerate.\n\n"

// Contract returns the whole schema as one document: the files joined in
// order. It is valid SDL (the areas extend Query and Mutation), so tools
// that want one file read it as is.
func Contract() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	for i, name := range Files {
		src, err := files.ReadFile(name)
		if err != nil {
			panic(err) // embedded at build time: cannot be missing
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.Write(src)
	}
	return b.Bytes()
}
