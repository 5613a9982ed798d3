package matching_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/seed"
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

// quality returns hit rate at 5 and mean nDCG at 10 of a ranking function
// over a judged set.
func quality(t *testing.T, set []judged, rank func(matching.Profile) []string) (float64, float64) {
	hits, wanted, ndcg := 0, 0, 0.0
	for _, j := range set {
		names := rank(j.p)
		dcg, ideal := 0.0, 0.0
		for i, want := range j.top5 {
			wanted++
			ideal += 1 / math.Log2(float64(i)+2)
			for k, n := range names {
				if anyName(n, want) {
					dcg += 1 / math.Log2(float64(k)+2)
					if k < 5 {
						hits++
					}
					break
				}
			}
		}
		if ideal > 0 {
			ndcg += dcg / ideal
		}
	}
	return float64(hits) / float64(wanted), ndcg / float64(len(set))
}

func anyName(n, want string) bool {
	for _, alt := range strings.Split(want, "|") {
		if strings.EqualFold(n, alt) {
			return true
		}
	}
	return false
}

// TestMatcherRanksBetterThanPostgresFullText compares quality on both
// judged sets.
func TestMatcherRanksBetterThanPostgresFullText(t *testing.T) {
	ctx := context.Background()
	demo := pgtest.NewStore(t)
	seed.Demo(ctx, directory.New(demo, access.Open{}), demo)
	miami := importMiami(t)
	for _, c := range []struct {
		name string
		st   *store.Store
		set  []judged
	}{{"demo", demo, demoSet()}, {"miami-211", miami, miamiSet()}} {
		m := newMatching(t, c.st)
		mh, mn := quality(t, c.set, func(p matching.Profile) []string {
			res, err := m.Match(ctx, p, 10)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]string, len(res))
			for i, r := range res {
				out[i] = r.Service.Name
			}
			return out
		})
		ph, pn := quality(t, c.set, func(p matching.Profile) []string {
			if p.Postcode != "" {
				t.Fatal("baseline profiles use coordinates")
			}
			names, err := pgSearch(ctx, c.st, p, 10)
			if err != nil {
				t.Fatal(err)
			}
			return names
		})
		t.Logf("%s: matcher hit@5 %.3f nDCG@10 %.3f; PostgreSQL full text hit@5 %.3f nDCG@10 %.3f", c.name, mh, mn, ph, pn)
		if mh < ph || mn < pn {
			t.Errorf("%s: the matcher ranks worse than PostgreSQL full-text search", c.name)
		}
	}
}
