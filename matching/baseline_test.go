package matching_test

import (
	"context"
	"strings"

	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/store"
)

// pgSearch answers a profile the way a plain PostgreSQL implementation
// would: full-text search (the services.search tsvector over name and
// description, ts_rank) for the needs' related words and the client's
// words, with the same hard filters in SQL.
func pgSearch(ctx context.Context, st *store.Store, p matching.Profile, limit int) ([]string, error) {
	var terms []string
	for _, n := range p.Needs {
		for _, w := range matcher.RelatedWords(n) {
			terms = append(terms, `"`+w+`"`)
		}
	}
	words := matcher.ContentWords(strings.Join(append(append([]string{}, p.Goals...), p.Interests...), " "))
	terms = append(terms, strings.Fields(words)...)
	var where []string
	args := []any{strings.Join(terms, " OR ")}
	where = append(where, "s.archived_at IS NULL", "s.status = 'active'", "s.accepting_referrals", "s.search @@ q")
	if p.Age != nil {
		where = append(where, "(s.minimum_age IS NULL OR s.minimum_age <= ?) AND (s.maximum_age IS NULL OR s.maximum_age >= ?)")
		args = append(args, *p.Age, *p.Age)
	}
	if p.FreeOnly {
		where = append(where, "s.free")
	}
	remoteOK := p.AcceptsRemote == nil || *p.AcceptsRemote
	if !remoteOK {
		where = append(where, "NOT (s.delivery_modes <@ ARRAY['online','telephone'] AND cardinality(s.delivery_modes) > 0)")
	}
	if p.Location != nil && p.MaxDistanceKm != nil {
		cond := `EXISTS (SELECT 1 FROM service_at_locations sal JOIN locations l ON l.id = sal.location_id
			WHERE sal.service_id = s.id AND l.latitude IS NOT NULL AND 2 * 6371.0088 * asin(sqrt(power(sin(radians(l.latitude - ?) / 2), 2) +
			cos(radians(?)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ?) / 2), 2))) <= ?)`
		args = append(args, p.Location.Latitude, p.Location.Latitude, p.Location.Longitude, *p.MaxDistanceKm)
		unknown := `NOT EXISTS (SELECT 1 FROM service_at_locations sal JOIN locations l ON l.id = sal.location_id
			WHERE sal.service_id = s.id AND l.latitude IS NOT NULL)`
		if remoteOK {
			cond = "(" + cond + " OR s.delivery_modes && ARRAY['online','telephone'] OR " + unknown + ")"
		} else {
			cond = "(" + cond + " OR " + unknown + ")"
		}
		where = append(where, cond)
	}
	if len(p.Languages) > 0 {
		where = append(where, "(cardinality(s.languages) = 0 OR EXISTS (SELECT 1 FROM unnest(s.languages) l WHERE lower(l) IN (?)))")
		langs := make([]string, len(p.Languages))
		for i, l := range p.Languages {
			langs[i] = strings.ToLower(l)
		}
		args = append(args, bunList(langs))
	}
	args = append(args, limit)
	q := "SELECT s.name FROM services s, websearch_to_tsquery('english', ?) q WHERE " + strings.Join(where, " AND ") +
		" ORDER BY ts_rank(s.search, q) DESC, s.id LIMIT ?"
	var names []string
	err := st.DB.NewRaw(q, args...).Scan(ctx, &names)
	return names, err
}
