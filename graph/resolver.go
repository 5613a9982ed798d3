package graph

import (
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/store"
)

// Resolver is the root resolver. Resolvers authenticate (from the context),
// call one domain function and map the result; rules live in the domain.
type Resolver struct {
	Directory *directory.Directory
	Matching  *matching.Service
	Access    *access.Service
	Casework  *casework.Casework
	// reads is where the per-request loaders batch their reads from; no
	// resolver reads the store itself.
	reads *store.Store
}
