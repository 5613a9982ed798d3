package relevance

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
)

// TopK is how deep every system ranks and every metric looks.
const TopK = 10

// System ranks services for a profile: the keys of its top TopK, best
// first. Variants (other weights, other queries) are more Systems.
type System interface {
	Name() string
	Rank(ctx context.Context, p matching.Profile) ([]string, error)
}

// Matcher is Signpost's matcher through the matching service (postcodes
// resolved, the profile validated), with the default weights unless
// Weights is set.
type Matcher struct {
	C       *Corpus
	Label   string // "matcher" unless set
	Weights *matcher.Weights
}

func (m Matcher) Name() string {
	if m.Label != "" {
		return m.Label
	}
	return "matcher"
}

func (m Matcher) Rank(ctx context.Context, p matching.Profile) ([]string, error) {
	svc := matching.New(m.C.Store, m.C.Index, access.Open{})
	res, err := svc.MatchWith(ctx, p, TopK, m.Weights)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(res))
	for _, r := range res {
		if k, ok := m.C.KeyOf(r.Service.ID.String()); ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// BM25 is plain BM25: one English-analysed field (name, description and
// taxonomy term labels) of every active service, queried with the goals
// and interests (or the needs' names when there are none). No filters and
// no other signals: the floor any matcher must beat.
type BM25 struct {
	c  *Corpus
	bl bleve.Index
}

// NewBM25 indexes the corpus in memory.
func NewBM25(c *Corpus) (*BM25, error) {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = en.AnalyzerName
	doc := mapping.NewDocumentMapping()
	f := mapping.NewTextFieldMapping()
	f.Analyzer, f.Store, f.IncludeTermVectors = en.AnalyzerName, false, false
	doc.AddFieldMappingsAt("text", f)
	im.DefaultMapping = doc
	bl, err := bleve.NewMemOnly(im)
	if err != nil {
		return nil, err
	}
	b := bl.NewBatch()
	for i := range c.Docs {
		d := &c.Docs[i]
		if !Active(d) {
			continue
		}
		parts := []string{d.Name, d.Description}
		for _, t := range d.Terms {
			parts = append(parts, t.Label)
		}
		if err := b.Index(c.keyOf[d.ID], map[string]string{"text": strings.Join(parts, "\n")}); err != nil {
			return nil, err
		}
	}
	return &BM25{c: c, bl: bl}, bl.Batch(b)
}

func (*BM25) Name() string { return "bm25" }

func (s *BM25) Rank(ctx context.Context, p matching.Profile) ([]string, error) {
	words := append(append([]string{}, p.Goals...), p.Interests...)
	if len(words) == 0 {
		words = NeedNames(p.Needs)
	}
	q := bleve.NewMatchQuery(strings.Join(words, " "))
	q.SetField("text")
	req := bleve.NewSearchRequestOptions(q, TopK, 0, false)
	res, err := s.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// PGFTS is PostgreSQL full-text search as a plain implementation would do
// it: websearch_to_tsquery of the goal and interest words OR'd with the
// needs' names against services.search, ranked by ts_rank, with the
// obvious hard filters (active, accepting referrals, age, free only) in SQL.
type PGFTS struct{ C *Corpus }

func (PGFTS) Name() string { return "pgfts" }

func (s PGFTS) Rank(ctx context.Context, p matching.Profile) ([]string, error) {
	terms := strings.Fields(matcher.ContentWords(strings.Join(append(append([]string{}, p.Goals...), p.Interests...), " ")))
	for _, n := range NeedNames(p.Needs) {
		terms = append(terms, `"`+n+`"`)
	}
	where := []string{"s.archived_at IS NULL", "s.status = 'active'", "s.accepting_referrals", "s.search @@ q"}
	args := []any{strings.Join(terms, " OR ")}
	if p.Age != nil {
		where = append(where, "(s.minimum_age IS NULL OR s.minimum_age <= ?) AND (s.maximum_age IS NULL OR s.maximum_age >= ?)")
		args = append(args, *p.Age, *p.Age)
	}
	if p.FreeOnly {
		where = append(where, "s.free")
	}
	args = append(args, TopK)
	q := "SELECT s.id::text FROM services s, websearch_to_tsquery('english', ?) q WHERE " + strings.Join(where, " AND ") +
		" ORDER BY ts_rank(s.search, q) DESC, s.id LIMIT ?"
	var ids []string
	if err := s.C.Store.DB.NewRaw(q, args...).Scan(ctx, &ids); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if k, ok := s.C.KeyOf(id); ok {
			out = append(out, k)
		}
	}
	return out, nil
}
