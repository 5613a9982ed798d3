// Package graph adapts the GraphQL API to the domain packages. The schema
// lives in graph/schema/, one file per area, and gqlgen generates the
// executor (generated.go) and one resolvers file per schema file
// (directory.resolvers.go, matching.resolvers.go, casework.resolvers.go,
// access.resolvers.go, api.resolvers.go).
//
// A resolver decodes its arguments (global ids, cursors, inputs), makes one
// call to the domain (directory, matching, casework, access), which
// authorises and decides, and converts the result; rules never live here.
// Around the resolvers sit the HTTP handler and its request limits
// (handler.go, limits.go, complexity.go, inputtext.go, overhttp.go), the
// error presenter (errors.go), global ids and cursors (relay.go), node(id:)
// (node.go), connections (connections.go) and the
// per-request loaders that batch the reads of a page (loader.go,
// requestloaders.go).
package graph
