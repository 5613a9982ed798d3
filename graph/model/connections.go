package model

import "github.com/signpost/signpost/store"

// OrganisationConnection is a page of organisations; Filter is kept so that
// totalCount is only counted when asked for.
type OrganisationConnection struct {
	Edges    []OrganisationEdge
	PageInfo *PageInfo
	Filter   store.OrganisationFilter
}

// OrganisationEdge is an organisation with its cursor.
type OrganisationEdge struct {
	Cursor string
	Node   *store.Organisation
}

// ServiceConnection is a page of services.
type ServiceConnection struct {
	Edges    []ServiceEdge
	PageInfo *PageInfo
	Filter   store.ServiceFilter
}

// ServiceEdge is a service with its cursor.
type ServiceEdge struct {
	Cursor string
	Node   *store.Service
}

// TaxonomyConnection is a page of taxonomies.
type TaxonomyConnection struct {
	Edges    []TaxonomyEdge
	PageInfo *PageInfo
}

// TaxonomyEdge is a taxonomy with its cursor.
type TaxonomyEdge struct {
	Cursor string
	Node   *store.Taxonomy
}

// TaxonomyTermConnection is a page of terms.
type TaxonomyTermConnection struct {
	Edges    []TaxonomyTermEdge
	PageInfo *PageInfo
	Filter   store.TermFilter
}

// TaxonomyTermEdge is a term with its cursor.
type TaxonomyTermEdge struct {
	Cursor string
	Node   *store.TaxonomyTerm
}

// Node is any object with a global id. The store's row types implement it
// implicitly; their ids are resolved by the graph package.
type Node any
