package graph

import (
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/matching"
)

// Resolver is the root resolver. Resolvers authenticate (from the context),
// call one domain function and map the result; rules live in the domain.
type Resolver struct {
	Directory *directory.Directory
	Matching  *matching.Service
	Access    *access.Service
	Casework  *casework.Casework
}
