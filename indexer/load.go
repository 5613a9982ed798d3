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
	var orgIDs []uuid.UUID
	for i, s := range svcs {
		ids[i] = s.ID
		orgIDs = append(orgIDs, s.OrganisationID)
	}
	orgs, err := q.OrganisationsByIDs(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	orgName := map[uuid.UUID]string{}
	for _, o := range orgs {
		orgName[o.ID] = o.Name
	}
	locs, err := q.LocationsOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	scheds, err := q.SchedulesOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	terms, err := q.TermsOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	costs, err := q.CostOptionsOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	taxes, err := q.AllTaxonomies(ctx)
	if err != nil {
		return nil, err
	}
	taxName := map[uuid.UUID]string{}
	for _, t := range taxes {
		taxName[t.ID] = t.Name
	}
	docs := make(map[uuid.UUID]*matcher.Document, len(svcs))
	out := make([]matcher.Document, len(svcs))
	for i := range svcs {
		s := &svcs[i]
		out[i] = matcher.Document{ID: s.ID.String(), Name: s.Name, Description: s.Description,
			OrganisationID: s.OrganisationID.String(), OrganisationName: orgName[s.OrganisationID], Status: s.Status,
			MinimumAge: s.MinimumAge, MaximumAge: s.MaximumAge, Free: s.Free, DeliveryModes: s.DeliveryModes,
			AccessRoutes: s.AccessRoutes, AcceptingRefs: s.AcceptingReferrals, Languages: s.Languages,
			Accessibility: append([]string(nil), s.Accessibility...), AssuredDate: s.AssuredDate}
		docs[s.ID] = &out[i]
	}
	locName := map[uuid.UUID]string{}
	for _, l := range locs {
		d := docs[l.ServiceID]
		locName[l.ID] = l.Name
		d.Accessibility = append(d.Accessibility, l.Accessibility...)
		if l.Latitude != nil && l.Longitude != nil {
			d.Locations = append(d.Locations, matcher.Location{Name: l.Name, Postcode: l.Postcode,
				Latitude: *l.Latitude, Longitude: *l.Longitude})
		}
	}
	for _, sc := range scheds {
		d := docs[sc.ServiceID]
		ses := matcher.Session{Days: sc.ByDay, Monthly: sc.Freq == "MONTHLY", Note: sc.Description}
		if sc.OpensAt != nil {
			ses.Opens = clock(*sc.OpensAt)
		}
		if sc.ClosesAt != nil {
			ses.Closes = clock(*sc.ClosesAt)
		}
		if sc.LocationID != nil {
			ses.Location = locName[*sc.LocationID]
		}
		d.Sessions = append(d.Sessions, ses)
	}
	for _, t := range terms {
		d := docs[t.ServiceID]
		d.Terms = append(d.Terms, matcher.Term{ID: t.ID.String(), Taxonomy: taxName[t.TaxonomyID], Code: t.Code, Label: t.Name})
	}
	// Referral history: acceptance and attendance feed the ranking.
	hist, err := q.ReferralHistory(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, h := range hist {
		if d := docs[h.ServiceID]; d != nil {
			d.History = matcher.History{Sent: h.Sent, Accepted: h.Accepted, Attended: h.Attended}
		}
	}
	for _, c := range costs {
		d := docs[c.ServiceID]
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
	return out, nil
}

func clock(t string) string {
	if len(t) >= 5 {
		return t[:5]
	}
	return t
}
