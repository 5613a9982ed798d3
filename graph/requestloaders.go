package graph

import (
	"context"

	"github.com/google/uuid"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/store"
)

// loaders are the per-request loaders; see loader.
type loaders struct {
	organisation     *loader[uuid.UUID, store.Organisation]
	location         *loader[uuid.UUID, store.Location]
	taxonomy         *loader[uuid.UUID, store.Taxonomy]
	term             *loader[uuid.UUID, store.TaxonomyTerm]
	serviceLocations *loader[uuid.UUID, []store.ServiceLocation]
	schedules        *loader[uuid.UUID, []store.Schedule]
	serviceTerms     *loader[uuid.UUID, []store.TaxonomyTerm]
	costs            *loader[uuid.UUID, []store.CostOption]
	contacts         *loader[uuid.UUID, []store.Contact]
	// Casework lists: the services, clients and link workers of a page of
	// referrals.
	service *loader[uuid.UUID, store.Service]
	client  *loader[uuid.UUID, store.Client]
	account *loader[uuid.UUID, store.Account]
}

type loadersKey struct{}

func byID[V any](rows []V, id func(*V) uuid.UUID) map[uuid.UUID]V {
	m := make(map[uuid.UUID]V, len(rows))
	for i := range rows {
		m[id(&rows[i])] = rows[i]
	}
	return m
}

func groupBy[V any](rows []V, key func(*V) uuid.UUID) map[uuid.UUID][]V {
	m := map[uuid.UUID][]V{}
	for i := range rows {
		k := key(&rows[i])
		m[k] = append(m[k], rows[i])
	}
	return m
}

func newLoaders(st *store.Store) *loaders {
	l := &loaders{}
	l.organisation = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]store.Organisation, error) {
		rows, err := st.OrganisationsByIDs(ctx, ids)
		return byID(rows, func(o *store.Organisation) uuid.UUID { return o.ID }), err
	})
	l.location = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]store.Location, error) {
		rows, err := st.LocationsByIDs(ctx, ids)
		return byID(rows, func(o *store.Location) uuid.UUID { return o.ID }), err
	})
	l.taxonomy = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]store.Taxonomy, error) {
		rows, err := st.TaxonomiesByIDs(ctx, ids)
		return byID(rows, func(o *store.Taxonomy) uuid.UUID { return o.ID }), err
	})
	l.term = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]store.TaxonomyTerm, error) {
		rows, err := st.TermsByIDs(ctx, ids)
		return byID(rows, func(o *store.TaxonomyTerm) uuid.UUID { return o.ID }), err
	})
	l.serviceLocations = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]store.ServiceLocation, error) {
		rows, err := st.LocationsOfServices(ctx, ids)
		return groupBy(rows, func(r *store.ServiceLocation) uuid.UUID { return r.ServiceID }), err
	})
	l.schedules = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]store.Schedule, error) {
		rows, err := st.SchedulesOfServices(ctx, ids)
		var locIDs []uuid.UUID
		for _, r := range rows {
			if r.LocationID != nil {
				locIDs = append(locIDs, *r.LocationID)
			}
		}
		l.location.hint(locIDs)
		return groupBy(rows, func(r *store.Schedule) uuid.UUID { return r.ServiceID }), err
	})
	l.serviceTerms = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]store.TaxonomyTerm, error) {
		rows, err := st.TermsOfServices(ctx, ids)
		m := map[uuid.UUID][]store.TaxonomyTerm{}
		var taxIDs []uuid.UUID
		for _, r := range rows {
			m[r.ServiceID] = append(m[r.ServiceID], r.TaxonomyTerm)
			taxIDs = append(taxIDs, r.TaxonomyID)
		}
		l.taxonomy.hint(taxIDs)
		return m, err
	})
	l.costs = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]store.CostOption, error) {
		rows, err := st.CostOptionsOfServices(ctx, ids)
		return groupBy(rows, func(r *store.CostOption) uuid.UUID { return r.ServiceID }), err
	})
	l.contacts = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]store.Contact, error) {
		rows, err := st.ContactsOfServices(ctx, ids)
		return groupBy(rows, func(r *store.Contact) uuid.UUID { return deref(r.ServiceID) }), err
	})
	l.service = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]store.Service, error) {
		rows, err := st.ServicesByIDs(ctx, ids)
		return byID(rows, func(s *store.Service) uuid.UUID { return s.ID }), err
	})
	l.client = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]store.Client, error) {
		rows, err := st.ClientsByIDs(ctx, ids)
		var workers []uuid.UUID
		for _, c := range rows {
			if c.LinkWorkerID != nil {
				workers = append(workers, *c.LinkWorkerID)
			}
		}
		l.account.hint(workers)
		return byID(rows, func(c *store.Client) uuid.UUID { return c.ID }), err
	})
	l.account = newLoader(func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]store.Account, error) {
		rows, err := st.AccountsByIDs(ctx, ids)
		return byID(rows, func(a *store.Account) uuid.UUID { return a.ID }), err
	})
	return l
}

// hintReferrals tells the loaders which referrals share a page. Only
// referrals the caller may read reach here, so their clients may be loaded
// for what the referral shares.
func (l *loaders) hintReferrals(refs []store.Referral) {
	var svcs, orgs, clients, creators []uuid.UUID
	for _, r := range refs {
		svcs, orgs, clients = append(svcs, r.ServiceID), append(orgs, r.OrganisationID), append(clients, r.ClientID)
		if r.CreatedBy != nil {
			creators = append(creators, *r.CreatedBy)
		}
	}
	l.service.hint(svcs)
	l.organisation.hint(orgs)
	l.client.hint(clients)
	l.account.hint(creators)
}

// one loads a key that must exist.
// maybe loads the row id names, if any: nil for a nil id or a missing row.
func maybe[V any](ctx context.Context, l *loader[uuid.UUID, V], id *uuid.UUID) (*V, error) {
	if id == nil {
		return nil, nil
	}
	v, ok, err := l.load(ctx, *id)
	if err != nil || !ok {
		return nil, err
	}
	return &v, nil
}

// hintReport tells the loaders which services and organisations a report
// names.
func (l *loaders) hintReport(rep *casework.Report) {
	var svcs, orgs []uuid.UUID
	for _, s := range rep.Services {
		svcs, orgs = append(svcs, s.ServiceID), append(orgs, s.OrganisationID)
	}
	l.service.hint(svcs)
	l.organisation.hint(orgs)
}

func one[V any](ctx context.Context, l *loader[uuid.UUID, V], what string, id uuid.UUID) (*V, error) {
	v, ok, err := l.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, store.Fault(store.ErrNotFound, what, id)
	}
	return &v, nil
}

func withLoaders(ctx context.Context, st *store.Store) context.Context {
	return context.WithValue(ctx, loadersKey{}, newLoaders(st))
}

// loadersFor returns the request's loaders. Outside a request (e.g. in a
// test calling a resolver directly) it returns fresh ones.
func (r *Resolver) loadersFor(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.reads)
}

// hintResults tells the loaders which services a ranking returned.
func (l *loaders) hintResults(results []matching.Result) {
	svcs := make([]store.Service, len(results))
	for i := range results {
		svcs[i] = results[i].Service
	}
	l.hintServices(svcs)
}

// hintServices tells the loaders which services share a page.
func (l *loaders) hintServices(services []store.Service) {
	ids := make([]uuid.UUID, len(services))
	orgIDs := make([]uuid.UUID, 0, len(services))
	for i, s := range services {
		ids[i] = s.ID
		orgIDs = append(orgIDs, s.OrganisationID)
	}
	l.serviceLocations.hint(ids)
	l.schedules.hint(ids)
	l.serviceTerms.hint(ids)
	l.costs.hint(ids)
	l.contacts.hint(ids)
	l.organisation.hint(orgIDs)
}

// hintTerms tells the loaders which terms share a page.
func (l *loaders) hintTerms(terms []store.TaxonomyTerm) {
	var parents, taxonomies []uuid.UUID
	for _, t := range terms {
		if t.ParentID != nil {
			parents = append(parents, *t.ParentID)
		}
		taxonomies = append(taxonomies, t.TaxonomyID)
	}
	l.term.hint(parents)
	l.taxonomy.hint(taxonomies)
}
