package graph

import (
	"context"

	"github.com/google/uuid"

	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/store"
)

// servicesConnection lists services as a connection and hints the loaders
// with the page, so the fields of every service load in one statement each.
func (r *Resolver) servicesConnection(ctx context.Context, q directory.ServiceQuery, first *int, after *string) (*model.ServiceConnection, error) {
	key, err := decodeCursor(after)
	if err != nil {
		return nil, err
	}
	page, f, err := r.Directory.Services(ctx, q, directory.PageRequest{First: first, After: key})
	if err != nil {
		return nil, err
	}
	r.loadersFor(ctx).hintServices(page.Items)
	edges, info := connection(page, after, func(s *store.Service) (string, uuid.UUID) { return s.Name, s.ID },
		func(cursor string, s *store.Service) model.ServiceEdge {
			return model.ServiceEdge{Cursor: cursor, Node: s}
		})
	return &model.ServiceConnection{Filter: f, Edges: edges, PageInfo: info}, nil
}

// connection turns a page of named rows into edges with cursors and the
// page's PageInfo.
func connection[T, E any](page directory.Page[T], after *string, key func(*T) (string, uuid.UUID),
	edge func(cursor string, node *T) E) ([]E, *model.PageInfo) {
	edges := make([]E, len(page.Items))
	var first, last string
	for i := range page.Items {
		name, id := key(&page.Items[i])
		c := encodeCursor(name, id)
		if i == 0 {
			first = c
		}
		last = c
		edges[i] = edge(c, &page.Items[i])
	}
	return edges, pageInfo(after, first, last, page.HasNextPage)
}

func nonNilSlice[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func needsOf(terms []store.TaxonomyTerm) []model.Need {
	out := make([]model.Need, len(terms))
	for i := range terms {
		t := &terms[i]
		out[i] = model.Need{Code: t.Code, Label: t.Name, Description: t.Description, Term: t}
	}
	return out
}
