// Package matching answers "which services should I suggest first for this
// person, and why?": it resolves the profile (postcodes to coordinates),
// asks the access policy, ranks with the matcher and returns the services
// with their reasons. It also gives the directory search and facets from
// the index.
package matching

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/store"
)

// How many results a ranking returns: DefaultResults when the caller does
// not say, never more than MaxResults.
const (
	DefaultResults = 10
	MaxResults     = 50
)

// Service is the matching domain service.
type Service struct {
	st     *store.Store
	ix     *matcher.Index
	policy access.Policy
}

// New returns the matching service over an index.
func New(st *store.Store, ix *matcher.Index, policy access.Policy) *Service {
	return &Service{st: st, ix: ix, policy: policy}
}

// Profile is a profile as a caller gives it: the matcher's, with the
// client's place as coordinates or a postcode.
type Profile struct {
	matcher.Profile
	Postcode string
}

// Result is a match with its service.
type Result struct {
	matcher.Match
	Service store.Service
}

// Match ranks services for a profile. Invalid profiles are a fault.Invalid
// naming the field under "profile.".
func (m *Service) Match(ctx context.Context, p Profile, first int) ([]Result, error) {
	return m.MatchWith(ctx, p, first, nil)
}

// MatchWith is Match with other ranking weights (nil for the defaults), for
// evaluating and fitting weights.
func (m *Service) MatchWith(ctx context.Context, p Profile, first int, w *matcher.Weights) ([]Result, error) {
	if err := m.policy.Authorize(ctx, access.MatchServices, access.Resource{Kind: "service"}); err != nil {
		return nil, err
	}
	// Bounds first: an oversized profile costs nothing more.
	ps := checkBounds(p)
	if first < 1 || first > MaxResults {
		ps.Add("first", "must be between 1 and %d", MaxResults)
	}
	if len(ps) > 0 {
		return nil, ps.Err()
	}
	if pc := strings.TrimSpace(p.Postcode); pc != "" {
		if postcodes.Either(&ps, "profile.location", pc, p.Location != nil, false) {
			pt, err := postcodes.Lookup(ctx, m.st.Queries, "profile.location.postcode", pc)
			var inv *fault.Invalid
			switch {
			case errors.As(err, &inv):
				ps = append(ps, inv.Problems...)
			case err != nil:
				return nil, err
			default:
				p.Location = &matcher.Point{Latitude: pt.Latitude, Longitude: pt.Longitude}
			}
		}
	}
	if err := p.Validate(); err != nil {
		var es matcher.ProfileErrors
		if errors.As(err, &es) {
			for _, e := range es {
				ps.Add("profile."+e.Field, "%s", e.Message)
			}
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	matches, err := m.ix.Rank(ctx, p.Profile, matcher.Options{Limit: first, Weights: w})
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(matches))
	for _, mt := range matches {
		if id, err := uuid.Parse(mt.ServiceID); err == nil {
			ids = append(ids, id)
		}
	}
	svcs, err := m.st.ServicesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]store.Service{}
	for _, s := range svcs {
		byID[s.ID.String()] = s
	}
	out := make([]Result, 0, len(matches))
	for _, mt := range matches {
		// The index may trail the database by a moment: skip what has gone.
		if s, ok := byID[mt.ServiceID]; ok && s.ArchivedAt == nil {
			out = append(out, Result{Match: mt, Service: s})
		}
	}
	return out, nil
}

// SearchIDs implements the directory's text search on the index.
func (m *Service) SearchIDs(ctx context.Context, text string, limit int) ([]uuid.UUID, error) {
	ids, err := m.ix.SearchIDs(ctx, text, limit)
	if err != nil {
		return nil, err
	}
	out := make([]uuid.UUID, 0, len(ids))
	for _, id := range ids {
		if u, err := uuid.Parse(id); err == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

// Facets implements the directory's facet counts on the index.
func (m *Service) Facets(ids []uuid.UUID) matcher.Facets {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return m.ix.Facets(s)
}
