package matcher

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// SearchIDs returns the services whose name, taxonomy labels, description
// or organisation match text, most relevant first, at most limit.
func (ix *Index) SearchIDs(ctx context.Context, text string, limit int) ([]string, error) {
	req := bleve.NewSearchRequestOptions(textQuery(text), limit, 0, false)
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// Facets counts, over the given services, the needs they address, the
// taxonomy terms they carry, how they are delivered and how many are free.
type Facets struct {
	Needs      map[string]int
	Terms      map[string]int
	TermLabels map[string]string
	// NeedLabels name the needs counted; the index knows only their codes,
	// so the directory fills them in from the needs vocabulary.
	NeedLabels    map[string]string
	DeliveryModes map[string]int
	Free          int
	Total         int
}

// Facets counts facets over ids; ids not in the index are left out.
func (ix *Index) Facets(ids []string) Facets {
	f := Facets{Needs: map[string]int{}, Terms: map[string]int{}, TermLabels: map[string]string{}, DeliveryModes: map[string]int{}}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, id := range ids {
		e := ix.entries[id]
		if e == nil {
			continue
		}
		f.Total++
		for n, ev := range e.needs {
			if ev.Strength >= minStrength {
				f.Needs[n]++
			}
		}
		for _, t := range e.doc.Terms {
			f.Terms[t.ID]++
			f.TermLabels[t.ID] = t.Label
		}
		for _, m := range e.doc.DeliveryModes {
			f.DeliveryModes[m]++
		}
		if e.doc.Free {
			f.Free++
		}
	}
	return f
}

// textQuery matches text against the text fields, names weighing most.
func textQuery(text string) query.Query {
	field := func(f string, boost float64) query.Query {
		q := query.NewMatchQuery(text)
		q.SetField(f)
		q.SetBoost(boost)
		return q
	}
	return query.NewDisjunctionQuery([]query.Query{field("name", 3), field("labels", 2), field("description", 1), field("organisation", 0.5)})
}
