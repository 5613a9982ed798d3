// Package indexer keeps a matcher index in step with the database: it
// builds documents from the directory, rebuilds the index when it is new,
// stale or corrupt, and applies the outbox (woken by LISTEN/NOTIFY, with a
// poll as a fallback), resuming from its stored position after a restart.
package indexer

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/store"
)

// documents loads matcher documents for the given services. Services that
// are archived or gone are returned as deletions.
func documents(ctx context.Context, q store.Queries, ids []uuid.UUID) ([]matcher.Document, []string, error) {
	svcs, err := q.ServicesByIDs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	found := map[uuid.UUID]bool{}
	var listed []store.Service
	var deletes []string
	for _, s := range svcs {
		found[s.ID] = true
		if s.ArchivedAt != nil {
			deletes = append(deletes, s.ID.String())
			continue
		}
		listed = append(listed, s)
	}
	for _, id := range ids {
		if !found[id] {
			deletes = append(deletes, id.String())
		}
	}
	docs, err := build(ctx, q, listed)
	return docs, deletes, err
}

// build turns listed services into documents, loading their parts in one
// statement per kind.
func build(ctx context.Context, q store.Queries, svcs []store.Service) ([]matcher.Document, error) {
	if len(svcs) == 0 {
		return nil, nil
	}
	ids := make([]uuid.UUID, len(svcs))
	for i, s := range svcs {
		ids[i] = s.ID
	}
	b := &builder{q: q, ids: ids}
	if err := b.services(ctx, svcs); err != nil {
		return nil, err
	}
	for _, add := range []func(context.Context) error{b.locations, b.schedules, b.terms, b.costs, b.history} {
		if err := add(ctx); err != nil {
			return nil, err
		}
	}
	return b.out, nil
}

// builder builds the documents of one batch of services, one method per
// kind of part.
type builder struct {
	q       store.Queries
	ids     []uuid.UUID
	out     []matcher.Document
	docs    map[uuid.UUID]*matcher.Document // into out, by service
	locName map[uuid.UUID]string            // location names, for sessions
}

// services starts a document per service, with its organisation's name.
func (b *builder) services(ctx context.Context, svcs []store.Service) error {
	orgIDs := make([]uuid.UUID, len(svcs))
	for i, s := range svcs {
		orgIDs[i] = s.OrganisationID
	}
	orgs, err := b.q.OrganisationsByIDs(ctx, orgIDs)
	if err != nil {
		return err
	}
	orgName := map[uuid.UUID]string{}
	for _, o := range orgs {
		orgName[o.ID] = o.Name
	}
	b.docs = make(map[uuid.UUID]*matcher.Document, len(svcs))
	b.out = make([]matcher.Document, len(svcs))
	for i := range svcs {
		s := &svcs[i]
		b.out[i] = matcher.Document{ID: s.ID.String(), Name: s.Name, Description: s.Description,
			OrganisationID: s.OrganisationID.String(), OrganisationName: orgName[s.OrganisationID], Status: s.Status,
			MinimumAge: s.MinimumAge, MaximumAge: s.MaximumAge, Eligibility: s.EligibilityDescription, Free: s.Free,
			DeliveryModes: s.DeliveryModes, AccessRoutes: s.AccessRoutes, AcceptingRefs: s.AcceptingReferrals,
			Languages: s.Languages, Accessibility: append([]string(nil), s.Accessibility...), AssuredDate: s.AssuredDate}
		b.docs[s.ID] = &b.out[i]
		b.out[i].ConfirmedAudience = ConfirmedAudience(s.Audience)
	}
	return nil
}

// ConfirmedAudience is the organisation's answer to whom a service is for,
// which wins over what the matcher derives; nil when it gave none. The API shows the same conversion.
func ConfirmedAudience(a *store.Audience) *matcher.Audience {
	if a == nil {
		return nil
	}
	return &matcher.Audience{MinimumAge: a.MinimumAge, MaximumAge: a.MaximumAge, Gender: a.Gender,
		Groups: append([]string(nil), a.Groups...)}
}

// locations adds the places with coordinates and the locations'
// accessibility.
func (b *builder) locations(ctx context.Context) error {
	locs, err := b.q.LocationsOfServices(ctx, b.ids)
	if err != nil {
		return err
	}
	b.locName = map[uuid.UUID]string{}
	for _, l := range locs {
		d := b.docs[l.ServiceID]
		b.locName[l.ID] = l.Name
		d.Accessibility = append(d.Accessibility, l.Accessibility...)
		if l.Latitude != nil && l.Longitude != nil {
			d.Locations = append(d.Locations, matcher.Location{Name: l.Name, Postcode: l.Postcode,
				Latitude: *l.Latitude, Longitude: *l.Longitude})
		}
	}
	return nil
}

// schedules adds the sessions.
func (b *builder) schedules(ctx context.Context) error {
	scheds, err := b.q.SchedulesOfServices(ctx, b.ids)
	if err != nil {
		return err
	}
	for _, sc := range scheds {
		d := b.docs[sc.ServiceID]
		ses := matcher.Session{Days: sc.ByDay, Monthly: sc.Freq == "MONTHLY", Note: sc.Description}
		if sc.OpensAt != nil {
			ses.Opens = clock(*sc.OpensAt)
		}
		if sc.ClosesAt != nil {
			ses.Closes = clock(*sc.ClosesAt)
		}
		if sc.LocationID != nil {
			ses.Location = b.locName[*sc.LocationID]
		}
		d.Sessions = append(d.Sessions, ses)
	}
	return nil
}

// terms adds the taxonomy terms, named with their taxonomies.
func (b *builder) terms(ctx context.Context) error {
	terms, err := b.q.TermsOfServices(ctx, b.ids)
	if err != nil {
		return err
	}
	taxes, err := b.q.AllTaxonomies(ctx)
	if err != nil {
		return err
	}
	taxName := map[uuid.UUID]string{}
	for _, t := range taxes {
		taxName[t.ID] = t.Name
	}
	for _, t := range terms {
		d := b.docs[t.ServiceID]
		d.Terms = append(d.Terms, matcher.Term{ID: t.ID.String(), Taxonomy: taxName[t.TaxonomyID], Code: t.Code, Label: t.Name})
	}
	return nil
}

// costs gives a service that is not free the words of its first cost.
func (b *builder) costs(ctx context.Context) error {
	costs, err := b.q.CostOptionsOfServices(ctx, b.ids)
	if err != nil {
		return err
	}
	for _, c := range costs {
		d := b.docs[c.ServiceID]
		if d.CostText != "" || d.Free {
			continue
		}
		switch {
		case c.AmountDescription != "":
			d.CostText = c.AmountDescription
		case c.Amount != nil && *c.Amount > 0:
			d.CostText = fmt.Sprintf("%s %.2f %s", c.Currency, *c.Amount, c.Option)
		}
		d.CostText = strings.TrimSpace(d.CostText)
	}
	return nil
}

// history adds the referral history: acceptance and attendance feed the
// ranking.
func (b *builder) history(ctx context.Context) error {
	hist, err := b.q.ReferralHistory(ctx, b.ids)
	if err != nil {
		return err
	}
	for _, h := range hist {
		if d := b.docs[h.ServiceID]; d != nil {
			d.History = matcher.History{Sent: h.Sent, Accepted: h.Accepted, Attended: h.Attended}
		}
	}
	return nil
}

func clock(t string) string {
	if len(t) >= 5 {
		return t[:5]
	}
	return t
}

// Documents returns the matcher documents of the given services, as the
// index holds them; the relevance harness shows judges what the matcher
// sees.
func Documents(ctx context.Context, q store.Queries, svcs []store.Service) ([]matcher.Document, error) {
	return build(ctx, q, svcs)
}
