package relevance

import (
	"context"
	"fmt"
	"strings"

	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/store"
)

// Corpus is one loaded directory: its store, the matcher's index and the
// documents of its listed services under their keys.
type Corpus struct {
	Name  string
	Store *store.Store
	Index *matcher.Index
	Docs  []matcher.Document // in key order of loading
	byKey map[string]int     // into Docs
	keyOf map[string]string  // service id to key
	// Published lines the store does not keep, shown to judges by key
	// (e.g. North Lincolnshire's pc_targetAudience, which the import
	// drops today).
	Extra map[string][]string
}

// NewCorpus loads every listed service of st. A key shared by two services
// is an error: judgements would not say which one they grade.
func NewCorpus(ctx context.Context, name string, st *store.Store, ix *matcher.Index) (*Corpus, error) {
	c := &Corpus{Name: name, Store: st, Index: ix, byKey: map[string]int{}, keyOf: map[string]string{}}
	var after *store.CursorKey
	for {
		rows, err := st.ServicesPage(ctx, store.ServiceFilter{}, after, 500)
		if err != nil || len(rows) == 0 {
			return c, err
		}
		docs, err := indexer.Documents(ctx, st.Queries, rows)
		if err != nil {
			return nil, err
		}
		keys := map[string]string{}
		for _, s := range rows {
			keys[s.ID.String()] = Key(s)
		}
		for _, d := range docs {
			k := keys[d.ID]
			if _, dup := c.byKey[k]; dup {
				return nil, fmt.Errorf("%s: two services have the key %q", name, k)
			}
			c.byKey[k], c.keyOf[d.ID] = len(c.Docs), k
			c.Docs = append(c.Docs, d)
		}
		key := rows[len(rows)-1].CursorKey()
		after = &key
	}
}

// Key is a service's stable name in judgements: its source id when it was
// imported, else its name. The demo town's services are keyed by name too:
// their source ids are only their order in the seed file, which edits
// shift, and the names are unique there (NewCorpus checks).
func Key(s store.Service) string {
	if s.SourceID != "" && s.Source != seed.DemoSource {
		return s.SourceID
	}
	return s.Name
}

// KeyOf returns the key of a service id, and whether it is known.
func (c *Corpus) KeyOf(id string) (string, bool) {
	k, ok := c.keyOf[id]
	return k, ok
}

// Doc returns the document of a key.
func (c *Corpus) Doc(key string) (*matcher.Document, bool) {
	i, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	return &c.Docs[i], true
}

// Active reports whether a listed service is open for matching (imports
// that give no status are active).
func Active(d *matcher.Document) bool {
	return d.Status == "" || d.Status == "active"
}

// NeedNames are the needs in words ("mental-wellbeing" is "mental
// wellbeing"), the query of a profile that gives no words of its own.
func NeedNames(needs []string) []string {
	out := make([]string, len(needs))
	for i, n := range needs {
		out[i] = strings.ReplaceAll(n, "-", " ")
	}
	return out
}

// Known reports whether a key names a listed service.
func (c *Corpus) Known(key string) bool {
	_, ok := c.byKey[key]
	return ok
}
