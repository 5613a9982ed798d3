package graph

import (
	"context"
	"errors"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/store"
)

// node fetches any object by global id; an unknown or malformed id is null,
// as Relay expects.
func (r *Resolver) node(ctx context.Context, gid string) (model.Node, error) {
	kind, id, ok := parseGlobalID(gid)
	if !ok {
		return nil, nil
	}
	var (
		n   model.Node
		err error
	)
	switch kind {
	case kindOrganisation:
		n, err = nullIfNotFound(r.Directory.Organisation(ctx, id))
	case kindService:
		n, err = nullIfNotFound(r.Directory.Service(ctx, id))
	case kindLocation:
		n, err = nullIfNotFound(r.Directory.Location(ctx, id))
	case kindTaxonomy:
		n, err = nullIfNotFound(r.Directory.Taxonomy(ctx, id))
	case kindTerm:
		n, err = nullIfNotFound(r.Directory.Term(ctx, id))
	case kindAccount:
		n, err = r.Access.VisibleAccount(ctx, id)
	case kindTeam:
		n, err = r.Access.VisibleTeam(ctx, id)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if isNilPtr(n) {
		return nil, nil
	}
	return n, nil
}

func isNilPtr(n model.Node) bool {
	switch v := n.(type) {
	case *store.Organisation:
		return v == nil
	case *store.Service:
		return v == nil
	case *store.Location:
		return v == nil
	case *store.Taxonomy:
		return v == nil
	case *store.TaxonomyTerm:
		return v == nil
	case *store.Account:
		return v == nil
	case *store.Team:
		return v == nil
	}
	return n == nil
}

// nullIfNotFound turns a not-found error into a null result, as a query for
// one object by id answers.
func nullIfNotFound[T any](v *T, err error) (*T, error) {
	if errors.Is(err, fault.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}
