package matcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// MappingVersion changes whenever the mapping or the derived fields
// change; an index built with another version is rebuilt.
const MappingVersion = "4"

const (
	metaMappingVersion = "signpost.mapping_version"
	batchSize          = 500
)

// Index is a matcher index: Bleve on disk plus in-memory features.
type Index struct {
	dir   string
	bl    bleve.Index
	fresh bool

	mu      sync.RWMutex
	entries map[string]*entry
	byNeed  map[string]map[string]*entry
	// all holds every entry at its idx, for bitmaps over the index.
	all []*entry
	// needLists are byNeed as slices, rebuilt after writes when next read.
	listMu    sync.Mutex
	needLists map[string][]*entry
	dirty     map[string]bool
}

// entry is the in-memory picture of one service.
type entry struct {
	doc      Document
	needs    map[string]*NeedEvidence
	langs    map[string]bool
	access   []string // normalised accessibility features
	remote   bool     // online or telephone
	inPerson bool
	aud      Audience // whom it is for: confirmed, or derived by DeriveAudience
	proseAge bool     // its age range was read from words, not given
	idx      int      // position in Index.all
	// evidence is the summed strength of every need it addresses, for focus.
	evidence float64
	// strength is each need's strength by needIndex, for fast scoring.
	strength [numNeeds]float64
}

// bleveDoc is what Bleve indexes; doc is stored (not indexed) so the
// in-memory features can be rebuilt when the index is opened.
type bleveDoc struct {
	Name         string           `json:"name"`
	Description  string           `json:"description"`
	Labels       []string         `json:"labels"`
	Organisation string           `json:"organisation"`
	Needs        []string         `json:"needs"`
	Terms        []string         `json:"terms"`
	Status       string           `json:"status"`
	Delivery     []string         `json:"delivery"`
	Languages    []string         `json:"languages"`
	Access       []string         `json:"accessibility"`
	Free         bool             `json:"free"`
	MinAge       float64          `json:"min_age"`
	MaxAge       float64          `json:"max_age"`
	Locations    []map[string]any `json:"locations"`
	Doc          string           `json:"doc"`
}

func buildMapping() mapping.IndexMapping {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = false
		f.IncludeTermVectors = true
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = false
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("name", text())
	dm.AddFieldMappingsAt("description", text())
	dm.AddFieldMappingsAt("labels", text())
	dm.AddFieldMappingsAt("organisation", text())
	for _, k := range []string{"needs", "terms", "status", "delivery", "languages", "accessibility"} {
		dm.AddFieldMappingsAt(k, kw())
	}
	free := bleve.NewBooleanFieldMapping()
	free.Store = false
	dm.AddFieldMappingsAt("free", free)
	dm.AddFieldMappingsAt("min_age", num())
	dm.AddFieldMappingsAt("max_age", num())
	geo := bleve.NewGeoPointFieldMapping()
	geo.Store = false
	dm.AddFieldMappingsAt("locations", geo)
	stored := bleve.NewTextFieldMapping()
	stored.Index = false
	stored.Store = true
	stored.IncludeInAll = false
	dm.AddFieldMappingsAt("doc", stored)

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = en.AnalyzerName
	im.ScoringModel = bindex.BM25Scoring
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im
}

// ErrUnusable is wrapped by Open when the directory holds no usable index.
var ErrUnusable = errors.New("unusable index")

// Open opens the index in dir. A missing directory gets a new, empty index;
// one that cannot be opened (corrupt) or was built with another mapping
// version is moved aside and replaced by an empty one. Fresh reports
// whether the caller must load every service into it.
func Open(dir string) (*Index, error) {
	ix := &Index{dir: dir, entries: map[string]*entry{}, byNeed: map[string]map[string]*entry{},
		needLists: map[string][]*entry{}, dirty: map[string]bool{}}
	if _, err := os.Stat(dir); err == nil {
		bl, err := bleve.Open(dir)
		if err == nil {
			v, verr := bl.GetInternal([]byte(metaMappingVersion))
			if verr == nil && string(v) == MappingVersion {
				ix.bl = bl
				if err := ix.loadEntries(); err == nil {
					return ix, nil
				}
			}
			bl.Close()
		}
		// Keep what was there for inspection rather than deleting it.
		aside := dir + ".unusable"
		os.RemoveAll(aside)
		if err := os.Rename(dir, aside); err != nil {
			return nil, fmt.Errorf("moving aside the unusable index in %s: %w", dir, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	bl, err := bleve.NewUsing(dir, buildMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("creating the index in %s: %w", dir, err)
	}
	if err := bl.SetInternal([]byte(metaMappingVersion), []byte(MappingVersion)); err != nil {
		bl.Close()
		return nil, err
	}
	ix.bl, ix.fresh = bl, true
	return ix, nil
}

// Dir is the index's directory.
func (ix *Index) Dir() string { return ix.dir }

// Fresh reports whether the index was created empty by Open.
func (ix *Index) Fresh() bool { return ix.fresh }

// Close closes the index.
func (ix *Index) Close() error { return ix.bl.Close() }

// Len is the number of services indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.entries)
}

// Meta reads a value the caller keeps with the index (e.g. a position).
func (ix *Index) Meta(key string) (string, error) {
	v, err := ix.bl.GetInternal([]byte("meta." + key))
	return string(v), err
}

// SetMeta stores a value with the index.
func (ix *Index) SetMeta(key, value string) error {
	return ix.bl.SetInternal([]byte("meta."+key), []byte(value))
}

// loadEntries rebuilds the in-memory features from the stored documents.
func (ix *Index) loadEntries() error {
	n, err := ix.bl.DocCount()
	if err != nil {
		return err
	}
	const page = 2000
	var after []string
	for loaded := uint64(0); loaded < n; {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), page, 0, false)
		req.Fields = []string{"doc"}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := ix.bl.Search(req)
		if err != nil {
			return err
		}
		if len(res.Hits) == 0 {
			break
		}
		for _, h := range res.Hits {
			raw, _ := h.Fields["doc"].(string)
			var d Document
			if err := json.Unmarshal([]byte(raw), &d); err != nil {
				return fmt.Errorf("stored document %s: %w", h.ID, err)
			}
			ix.put(newEntry(d))
		}
		loaded += uint64(len(res.Hits))
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
	return nil
}

func newEntry(d Document) *entry {
	e := &entry{doc: d, needs: needEvidence(&d), langs: map[string]bool{}, aud: DeriveAudience(&d),
		proseAge: d.ConfirmedAudience == nil && d.MinimumAge == nil && d.MaximumAge == nil}
	for _, l := range d.Languages {
		e.langs[normaliseLanguage(l)] = true
	}
	for _, a := range d.Accessibility {
		e.access = append(e.access, accessFeatures(a)...)
	}
	for _, m := range d.DeliveryModes {
		switch m {
		case "online", "telephone":
			e.remote = true
		case "in_person":
			e.inPerson = true
		}
	}
	if len(d.DeliveryModes) == 0 {
		e.inPerson = true // unstated: assume people go there
	}
	for n, ev := range e.needs {
		if ev.Strength >= minStrength {
			e.evidence += ev.Strength
		}
		if i, ok := needIndex[n]; ok {
			e.strength[i] = ev.Strength
		}
	}
	return e
}

func (ix *Index) put(e *entry) {
	ix.remove(e.doc.ID)
	ix.entries[e.doc.ID] = e
	e.idx = len(ix.all)
	ix.all = append(ix.all, e)
	ix.listMu.Lock()
	for n := range e.needs {
		m := ix.byNeed[n]
		if m == nil {
			m = map[string]*entry{}
			ix.byNeed[n] = m
		}
		m[e.doc.ID] = e
		ix.dirty[n] = true
	}
	ix.listMu.Unlock()
}

func (ix *Index) remove(id string) {
	old := ix.entries[id]
	if old == nil {
		return
	}
	ix.listMu.Lock()
	for n := range old.needs {
		delete(ix.byNeed[n], id)
		ix.dirty[n] = true
	}
	ix.listMu.Unlock()
	delete(ix.entries, id)
	last := ix.all[len(ix.all)-1]
	ix.all[old.idx] = last
	last.idx = old.idx
	ix.all = ix.all[:len(ix.all)-1]
}

// needList returns the entries addressing a need as a slice, rebuilding it
// after writes. The caller holds ix.mu for reading.
func (ix *Index) needList(need string) []*entry {
	ix.listMu.Lock()
	defer ix.listMu.Unlock()
	if l, ok := ix.needLists[need]; ok && !ix.dirty[need] {
		return l
	}
	m := ix.byNeed[need]
	l := make([]*entry, 0, len(m))
	for _, e := range m {
		l = append(l, e)
	}
	// Strongest first, so a ranking can stop where nothing further down
	// can reach its results.
	i := needIndex[need]
	sort.Slice(l, func(a, b int) bool {
		if l[a].strength[i] != l[b].strength[i] {
			return l[a].strength[i] > l[b].strength[i]
		}
		return l[a].doc.ID < l[b].doc.ID
	})
	ix.needLists[need] = l
	delete(ix.dirty, need)
	return l
}

func toBleve(e *entry) (bleveDoc, error) {
	d := e.doc
	raw, err := json.Marshal(d)
	if err != nil {
		return bleveDoc{}, err
	}
	b := bleveDoc{Name: d.Name, Description: d.Description, Organisation: d.OrganisationName, Status: d.Status,
		Delivery: d.DeliveryModes, Free: d.Free, MinAge: 0, MaxAge: 200, Doc: string(raw)}
	if d.MinimumAge != nil {
		b.MinAge = float64(*d.MinimumAge)
	}
	if d.MaximumAge != nil {
		b.MaxAge = float64(*d.MaximumAge)
	}
	for _, t := range d.Terms {
		b.Labels = append(b.Labels, t.Label)
		b.Terms = append(b.Terms, t.ID)
	}
	for n := range e.needs {
		b.Needs = append(b.Needs, n)
	}
	for l := range e.langs {
		b.Languages = append(b.Languages, l)
	}
	b.Access = e.access
	for _, l := range d.Locations {
		b.Locations = append(b.Locations, map[string]any{"lat": l.Latitude, "lon": l.Longitude})
	}
	return b, nil
}

// Apply indexes documents (replacing any with the same id) and removes
// the deleted ids, in batches of bounded size.
func (ix *Index) Apply(ctx context.Context, docs []Document, deletes []string) error {
	for len(docs) > 0 || len(deletes) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := ix.bl.NewBatch()
		var entries []*entry
		n := 0
		for n < batchSize && len(docs) > 0 {
			e := newEntry(docs[0])
			b, err := toBleve(e)
			if err != nil {
				return err
			}
			if err := batch.Index(e.doc.ID, b); err != nil {
				return fmt.Errorf("indexing %s: %w", e.doc.ID, err)
			}
			entries = append(entries, e)
			docs = docs[1:]
			n++
		}
		var gone []string
		for n < batchSize && len(deletes) > 0 {
			batch.Delete(deletes[0])
			gone = append(gone, deletes[0])
			deletes = deletes[1:]
			n++
		}
		if err := ix.bl.Batch(batch); err != nil {
			return err
		}
		ix.mu.Lock()
		for _, e := range entries {
			ix.put(e)
		}
		for _, id := range gone {
			ix.remove(id)
		}
		ix.mu.Unlock()
	}
	return nil
}

// Needs returns the needs a service addresses, as indexed.
func (ix *Index) Needs(id string) map[string]NeedEvidence {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e := ix.entries[id]
	if e == nil {
		return nil
	}
	out := make(map[string]NeedEvidence, len(e.needs))
	for k, v := range e.needs {
		out[k] = *v
	}
	return out
}

// normaliseLanguage maps language names and codes to one key.
func normaliseLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, ok := languageNames[s]; ok {
		return n
	}
	return s
}

var languageNames = map[string]string{
	"en": "english", "eng": "english", "cy": "welsh", "pl": "polish", "pol": "polish", "ar": "arabic",
	"ur": "urdu", "pa": "punjabi", "bn": "bengali", "gu": "gujarati", "so": "somali", "fa": "farsi",
	"persian": "farsi", "uk": "ukrainian", "ro": "romanian", "es": "spanish", "spa": "spanish", "fr": "french",
	"pt": "portuguese", "zh": "chinese", "yue": "cantonese", "ht": "creole", "haitian creole": "creole",
	"bsl": "british sign language", "sgn": "sign language", "he": "hebrew", "ru": "russian",
}

// accessFeatures turns a stated accessibility feature into keys that
// requirements are matched against.
func accessFeatures(s string) []string {
	t := strings.ToLower(s)
	var out []string
	for key, words := range accessibilityWords {
		for _, w := range words {
			if strings.Contains(t, w) {
				out = append(out, key)
				break
			}
		}
	}
	if len(out) == 0 && strings.TrimSpace(t) != "" {
		out = append(out, strings.TrimSpace(t))
	}
	return out
}

var accessibilityWords = map[string][]string{
	"wheelchair":        {"wheelchair", "handicap accessible", "step-free", "step free", "level access", "ramp", "disabled access", "accessible entrance"},
	"accessible-toilet": {"accessible toilet", "disabled toilet", "accessible restroom", "changing places"},
	"hearing-loop":      {"hearing loop", "induction loop", "loop system"},
	"lift":              {"lift", "elevator"},
	"quiet-space":       {"quiet room", "quiet space", "low sensory"},
	"sign-language":     {"sign language", "bsl", "interpreter"},
	"large-print":       {"large print", "braille", "easy read"},
	"parking":           {"parking", "blue badge"},
	"ground-floor":      {"ground floor"},
}

// AccessibilityKey normalises a requirement the way features are.
func AccessibilityKey(s string) string {
	if keys := accessFeatures(s); len(keys) > 0 {
		return keys[0]
	}
	return ""
}
