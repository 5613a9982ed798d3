// Package directory owns the rules of the service directory: organisations,
// services, locations, schedules and taxonomies. It validates input, asks
// the access policy, runs each write in one transaction and records every
// change in the outbox for the matcher.
package directory

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/store"
)

// Directory is the directory's domain service.
type Directory struct {
	st     *store.Store
	q      store.Queries // every query and write; bound to a caller's transaction by Within
	policy access.Policy
	now    func() time.Time
	search Searcher
}

// Searcher finds services by keywords and counts facets: the matching
// index. Without one, keyword search falls back to PostgreSQL.
type Searcher interface {
	SearchIDs(ctx context.Context, text string, limit int) ([]uuid.UUID, error)
	Facets(ids []uuid.UUID) matcher.Facets
}

// maxSearchHits bounds a keyword search's result set.
const maxSearchHits = 10000

// UseSearcher makes keyword search and facets use the index.
func (d *Directory) UseSearcher(s Searcher) { d.search = s }

// New returns a Directory over st that asks policy before every operation.
func New(st *store.Store, policy access.Policy) *Directory {
	return &Directory{st: st, q: st.Queries, policy: policy, now: time.Now}
}

// Within returns the directory writing through q: each write joins the
// transaction q is bound to instead of committing on its own, so a caller
// (the demo seed) can make many writes commit or fail together.
func (d *Directory) Within(q store.Queries) *Directory {
	within := *d
	within.q = q
	return &within
}

// Organisation returns one organisation, archived or not.
func (d *Directory) Organisation(ctx context.Context, id uuid.UUID) (*store.Organisation, error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "organisation", ID: id}); err != nil {
		return nil, err
	}
	o, err := d.q.OrganisationByID(ctx, id)
	return o, store.Fault(err, "organisation", id)
}

// Organisations lists organisations in name order.
func (d *Directory) Organisations(ctx context.Context, f store.OrganisationFilter, p store.Page) (store.Rows[store.Organisation], error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "organisation"}); err != nil {
		return store.Rows[store.Organisation]{}, err
	}
	limit, err := p.Limit()
	if err != nil {
		return store.Rows[store.Organisation]{}, err
	}
	var ps fault.Problems
	if !bounds.CheckLine(&ps, "filter.text", f.Text, MaxSearchText) {
		return store.Rows[store.Organisation]{}, ps.Err()
	}
	rows, err := d.q.OrganisationsPage(ctx, f, p.After, limit)
	return store.Cut(rows, limit), err
}

// CountOrganisations counts the organisations a list would hold.
func (d *Directory) CountOrganisations(ctx context.Context, f store.OrganisationFilter) (int, error) {
	return d.q.CountOrganisations(ctx, f)
}

// Service returns one service, archived or not.
func (d *Directory) Service(ctx context.Context, id uuid.UUID) (*store.Service, error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "service", ID: id}); err != nil {
		return nil, err
	}
	s, err := d.q.ServiceByID(ctx, id)
	return s, store.Fault(err, "service", id)
}

// Near asks for services within a distance of a postcode or a point.
type Near struct {
	Postcode            string
	Latitude, Longitude *float64
	DistanceKm          float64
}

// ServiceQuery is a services filter as a caller gives it: the store's
// filter plus a circle still to be resolved from a postcode.
type ServiceQuery struct {
	store.ServiceFilter
	Near *Near
}

// Services lists services in name order. It returns the filter it applied
// (with any postcode resolved to coordinates) for counting the list.
func (d *Directory) Services(ctx context.Context, q ServiceQuery, p store.Page) (store.Rows[store.Service], store.ServiceFilter, error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "service"}); err != nil {
		return store.Rows[store.Service]{}, q.ServiceFilter, err
	}
	limit, err := p.Limit()
	if err != nil {
		return store.Rows[store.Service]{}, q.ServiceFilter, err
	}
	f := q.ServiceFilter
	if err := d.checkFilter(ctx, f); err != nil {
		return store.Rows[store.Service]{}, f, err
	}
	if q.Near != nil {
		if f.Near, err = d.resolveNear(ctx, *q.Near); err != nil {
			return store.Rows[store.Service]{}, f, err
		}
	}
	if f.Text != "" && d.search != nil {
		ids, err := d.search.SearchIDs(ctx, f.Text, maxSearchHits)
		if err != nil {
			return store.Rows[store.Service]{}, f, err
		}
		f.Text, f.OnlyIDs, f.IDs = "", true, ids
	}
	rows, err := d.q.ServicesPage(ctx, f, p.After, limit)
	return store.Cut(rows, limit), f, err
}

func (d *Directory) resolveNear(ctx context.Context, n Near) (*store.Near, error) {
	var ps fault.Problems
	if n.DistanceKm <= 0 || n.DistanceKm > 1000 {
		ps.Add("filter.near.distanceKm", "must be above 0 and at most 1000")
	}
	hasPoint := n.Latitude != nil || n.Longitude != nil
	switch {
	case !bounds.CheckAddress(&ps, "filter.near.postcode", n.Postcode, bounds.Postcode):
	case !postcodes.Either(&ps, "filter.near.postcode", n.Postcode, hasPoint, true):
	case hasPoint && (n.Latitude == nil || n.Longitude == nil):
		ps.Add("filter.near.latitude", "give both latitude and longitude")
	case hasPoint && (*n.Latitude < -90 || *n.Latitude > 90):
		ps.Add("filter.near.latitude", "must be between -90 and 90")
	case hasPoint && (*n.Longitude < -180 || *n.Longitude > 180):
		ps.Add("filter.near.longitude", "must be between -180 and 180")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	out := &store.Near{Metres: n.DistanceKm * 1000}
	if hasPoint {
		out.Latitude, out.Longitude = *n.Latitude, *n.Longitude
		return out, nil
	}
	pt, err := postcodes.Lookup(ctx, d.q, "filter.near.postcode", n.Postcode)
	if err != nil {
		return nil, err
	}
	out.Latitude, out.Longitude = pt.Latitude, pt.Longitude
	return out, nil
}

// CountServices counts the services a list would hold.
func (d *Directory) CountServices(ctx context.Context, f store.ServiceFilter) (int, error) {
	return d.q.CountServices(ctx, f)
}

// checkFilter checks a services filter. A list longer than its limit is
// the only problem reported: its items are not read.
func (d *Directory) checkFilter(ctx context.Context, f store.ServiceFilter) error {
	var ps fault.Problems
	bounds.CheckCount(&ps, "filter.status", len(f.Statuses), MaxFilterItems)
	bounds.CheckCount(&ps, "filter.deliveryModes", len(f.DeliveryModes), MaxFilterItems)
	bounds.CheckCount(&ps, "filter.needs", len(f.NeedCodes), MaxFilterItems)
	bounds.CheckCount(&ps, "filter.termIds", len(f.TermIDs), MaxFilterItems)
	if err := ps.Err(); err != nil {
		return err
	}
	bounds.CheckLine(&ps, "filter.text", f.Text, MaxSearchText)
	for i, c := range f.NeedCodes {
		bounds.CheckLine(&ps, fmt.Sprintf("filter.needs[%d]", i), c, bounds.Tag)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	checkOneOf(&ps, "filter.status", f.Statuses, statuses)
	checkOneOf(&ps, "filter.deliveryModes", f.DeliveryModes, deliveryModes)
	if len(f.NeedCodes) > 0 {
		known, err := d.needCodes(ctx)
		if err != nil {
			return err
		}
		for i, c := range f.NeedCodes {
			if _, ok := known[c]; !ok {
				ps.Add(fmt.Sprintf("filter.needs[%d]", i), "%q is not a known need code", c)
			}
		}
	}
	return ps.Err()
}

func (d *Directory) needCodes(ctx context.Context) (map[string]uuid.UUID, error) {
	terms, err := d.q.NeedTerms(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]uuid.UUID, len(terms))
	for _, t := range terms {
		m[t.Code] = t.ID
	}
	return m, nil
}

// Needs returns the built-in needs vocabulary.
func (d *Directory) Needs(ctx context.Context) ([]store.TaxonomyTerm, error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "need"}); err != nil {
		return nil, err
	}
	return d.q.NeedTerms(ctx)
}

// Location returns one location.
func (d *Directory) Location(ctx context.Context, id uuid.UUID) (*store.Location, error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "location", ID: id}); err != nil {
		return nil, err
	}
	l, err := d.q.LocationByID(ctx, id)
	return l, store.Fault(err, "location", id)
}

// Taxonomy returns one taxonomy.
func (d *Directory) Taxonomy(ctx context.Context, id uuid.UUID) (*store.Taxonomy, error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "taxonomy", ID: id}); err != nil {
		return nil, err
	}
	t, err := d.q.TaxonomyByID(ctx, id)
	return t, store.Fault(err, "taxonomy", id)
}

// Taxonomies lists taxonomies in name order.
func (d *Directory) Taxonomies(ctx context.Context, p store.Page) (store.Rows[store.Taxonomy], error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "taxonomy"}); err != nil {
		return store.Rows[store.Taxonomy]{}, err
	}
	limit, err := p.Limit()
	if err != nil {
		return store.Rows[store.Taxonomy]{}, err
	}
	rows, err := d.q.TaxonomiesPage(ctx, p.After, limit)
	return store.Cut(rows, limit), err
}

// CountTaxonomies counts all taxonomies.
func (d *Directory) CountTaxonomies(ctx context.Context) (int, error) {
	return d.q.CountTaxonomies(ctx)
}

// Term returns one taxonomy term.
func (d *Directory) Term(ctx context.Context, id uuid.UUID) (*store.TaxonomyTerm, error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "taxonomy_term", ID: id}); err != nil {
		return nil, err
	}
	t, err := d.q.TermByID(ctx, id)
	return t, store.Fault(err, "taxonomy term", id)
}

// Terms lists a taxonomy's terms in name order.
func (d *Directory) Terms(ctx context.Context, f store.TermFilter, p store.Page) (store.Rows[store.TaxonomyTerm], error) {
	if err := d.policy.Authorize(ctx, access.ReadDirectory, access.Resource{Kind: "taxonomy_term"}); err != nil {
		return store.Rows[store.TaxonomyTerm]{}, err
	}
	limit, err := p.Limit()
	if err != nil {
		return store.Rows[store.TaxonomyTerm]{}, err
	}
	rows, err := d.q.TermsPage(ctx, f, p.After, limit)
	return store.Cut(rows, limit), err
}

// CountTerms counts the terms a list would hold.
func (d *Directory) CountTerms(ctx context.Context, f store.TermFilter) (int, error) {
	return d.q.CountTerms(ctx, f)
}

// ServiceFacets counts facets over every service a filter (as returned by
// Services) keeps.
func (d *Directory) ServiceFacets(ctx context.Context, f store.ServiceFilter) (matcher.Facets, error) {
	if d.search == nil {
		return matcher.Facets{}, fmt.Errorf("facets need the matching index")
	}
	ids, err := d.q.ServiceIDs(ctx, f, 200000)
	if err != nil {
		return matcher.Facets{}, err
	}
	// Needs are labelled as the needs query labels them: the vocabulary in
	// the database is the one source of their names.
	needs, err := d.st.NeedTerms(ctx)
	if err != nil {
		return matcher.Facets{}, err
	}
	facets := d.search.Facets(ids)
	facets.NeedLabels = make(map[string]string, len(needs))
	for _, t := range needs {
		facets.NeedLabels[t.Code] = t.Name
	}
	return facets, nil
}
