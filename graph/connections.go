package graph

import (
	"context"

	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/store"
)

// servicesConnection lists services as a connection and hints the loaders
// with the page, so the fields of every service load in one statement each.
func (r *Resolver) servicesConnection(ctx context.Context, q directory.ServiceQuery, first *int, after *string) (*model.ServiceConnection, error) {
	key, err := store.ParseCursor(after, store.ByName)
	if err != nil {
		return nil, err
	}
	page, f, err := r.Directory.Services(ctx, q, store.Page{First: first, After: key})
	if err != nil {
		return nil, err
	}
	r.loadersFor(ctx).hintServices(page.Items)
	edges, info := connection(page, after, (*store.Service).CursorKey, serviceEdge)
	return &model.ServiceConnection{Filter: f, Edges: edges, PageInfo: info}, nil
}

// connection turns a page of rows into edges, each with its row's cursor
// (the key the store sorts the row by), and the page's PageInfo.
func connection[T, E any](page store.Rows[T], after *string, key func(*T) store.CursorKey,
	edge func(cursor string, node *T) E) ([]E, *model.PageInfo) {
	edges := make([]E, len(page.Items))
	var first, last string
	for i := range page.Items {
		c := key(&page.Items[i]).Cursor()
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

func toOrganisationFilter(filter *model.OrganisationFilter) store.OrganisationFilter {
	if filter == nil {
		return store.OrganisationFilter{}
	}
	return store.OrganisationFilter{Text: deref(filter.Text), IncludeArchived: deref(filter.IncludeArchived)}
}

// termsQuery decodes the arguments of a taxonomy's terms: the cursor and
// the filter.
func termsQuery(t *store.Taxonomy, after, parentID *string, topLevel *bool) (*store.CursorKey, store.TermFilter, error) {
	f := store.TermFilter{TaxonomyID: t.ID, TopLevel: deref(topLevel)}
	key, err := store.ParseCursor(after, store.ByName)
	if err != nil || parentID == nil {
		return key, f, err
	}
	pid, err := idOf("parentId", kindTerm, *parentID)
	f.ParentID = &pid
	return key, f, err
}

// Edges of the connections: a row and its cursor.

func organisationEdge(cursor string, n *store.Organisation) model.OrganisationEdge {
	return model.OrganisationEdge{Cursor: cursor, Node: n}
}

func taxonomyEdge(cursor string, n *store.Taxonomy) model.TaxonomyEdge {
	return model.TaxonomyEdge{Cursor: cursor, Node: n}
}

func taxonomyTermEdge(cursor string, n *store.TaxonomyTerm) model.TaxonomyTermEdge {
	return model.TaxonomyTermEdge{Cursor: cursor, Node: n}
}

func clientEdge(cursor string, n *store.Client) model.ClientEdge {
	return model.ClientEdge{Cursor: cursor, Node: n}
}

func referralEdge(cursor string, n *store.Referral) model.ReferralEdge {
	return model.ReferralEdge{Cursor: cursor, Node: n}
}

func serviceEdge(cursor string, n *store.Service) model.ServiceEdge {
	return model.ServiceEdge{Cursor: cursor, Node: n}
}
