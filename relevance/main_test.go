package relevance

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/shareddata"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// setNames are the judged sets, in the order they are reported.
var setNames = []string{"demo", "miami", "north-lincolnshire"}

// fillers put a set's directory into a fresh store.
var fillers = map[string]func(context.Context, testing.TB, *store.Store) error{
	"demo": func(ctx context.Context, _ testing.TB, st *store.Store) error {
		_, err := seed.Demo(ctx, directory.New(st, access.Open{}), st)
		return err
	},
	"miami": func(ctx context.Context, t testing.TB, st *store.Store) error {
		return importFile(ctx, t, st, shareddata.Path(t, "hsds-miami-211", "datapackage.zip"), "miami")
	},
	"north-lincolnshire": func(ctx context.Context, t testing.TB, st *store.Store) error {
		return importFile(ctx, t, st, shareddata.Path(t, "oruk-north-lincolnshire", "services.json"), "north-lincolnshire")
	},
}

// importFile imports an Open Referral file, logging what it skipped (a
// set's figures mean little if much of its directory is missing).
func importFile(ctx context.Context, t testing.TB, st *store.Store, path, source string) error {
	ds, _, err := openreferral.Read(path)
	if err != nil {
		return err
	}
	sum, err := openreferral.Import(ctx, st, ds, openreferral.Options{Source: source})
	if err != nil {
		return err
	}
	t.Logf("%s: %d services imported, %d skipped", source, sum.Services.Created, sum.Services.Skipped)
	for _, g := range openreferral.GroupProblems(sum.Problems, 1) {
		t.Logf("%s: %d× %s (skipped: %v), e.g. %+v", source, g.Count, g.Kind, g.Skipped, g.Examples)
	}
	return nil
}

// setsDir is where the judged sets are: SIGNPOST_EVAL_SETS, else sets/.
func setsDir() string {
	if d := os.Getenv("SIGNPOST_EVAL_SETS"); d != "" {
		return d
	}
	return "sets"
}

// judgedSet is a loaded set: its directory, profiles and judgements.
type judgedSet struct {
	name    string
	c       *Corpus
	entries []Entry
	j       Judgements
	bm25    *BM25
}

// systems are the systems compared, the matcher first.
func (s *judgedSet) systems() []System {
	return []System{Matcher{C: s.c}, s.bm25, PGFTS{C: s.c}}
}

var (
	loadMu sync.Mutex
	loaded = map[string]*judgedSet{}
	failed = map[string]error{}
)

// loadSet loads a set once per process (importing Miami takes a while), so
// TestEval and TestMatcherBeatsBM25 share it. The store and index live
// until the test cluster stops.
func loadSet(t *testing.T, name string) *judgedSet {
	t.Helper()
	loadMu.Lock()
	defer loadMu.Unlock()
	if s, ok := loaded[name]; ok {
		return s
	}
	if err, ok := failed[name]; ok {
		t.Fatalf("%s: %v", name, err)
	}
	s, err := newJudgedSet(t, name)
	if err != nil {
		failed[name] = err
		t.Fatalf("%s: %v", name, err)
	}
	loaded[name] = s
	return s
}

func newJudgedSet(t *testing.T, name string) (*judgedSet, error) {
	ctx := context.Background()
	dir := filepath.Join(setsDir(), name)
	entries, err := ReadProfiles(filepath.Join(dir, "profiles.json"))
	if err != nil {
		return nil, fmt.Errorf("reading the profiles (the judged sets live in relevance/sets/<set>/): %w", err)
	}
	j, err := ReadJudgements(filepath.Join(dir, "judgements.jsonl"))
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, pgtest.NewDatabase(t, false))
	if err != nil {
		return nil, err
	}
	if err := fillers[name](ctx, t, st); err != nil {
		return nil, fmt.Errorf("loading the directory: %w", err)
	}
	if err := loadCentroids(ctx, t, st); err != nil {
		return nil, err
	}
	idxDir, err := pgtest.ScratchDir()
	if err != nil {
		return nil, err
	}
	x, err := indexer.Open(ctx, st, filepath.Join(idxDir, "index"), nil, nil)
	if err != nil {
		return nil, err
	}
	c, err := NewCorpus(ctx, name, st, x.Index())
	if err != nil {
		return nil, err
	}
	if name == "north-lincolnshire" {
		if c.Extra, err = orukAudiences(shareddata.Path(t, "oruk-north-lincolnshire", "services.json")); err != nil {
			return nil, err
		}
	}
	b, err := NewBM25(c)
	if err != nil {
		return nil, err
	}
	return &judgedSet{name: name, c: c, entries: entries, j: j, bm25: b}, nil
}

// loadCentroids loads the UK postcode districts, so a profile's postcode
// resolves (to its district's centre when the full postcode is unknown).
func loadCentroids(ctx context.Context, t testing.TB, st *store.Store) error {
	f, err := os.Open(shareddata.Path(t, "uk-postcodes", "outcode-centroids.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = postcodes.ImportCSV(ctx, st, f, nil)
	return err
}

// orukAudiences reads the target audiences (pc_targetAudience) of an ORUK
// services list by service id, for the judges: whom a group is for decides
// eligibility, and the import does not keep them yet.
func orukAudiences(path string) (map[string][]string, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	var svcs []struct {
		ID       string `json:"id"`
		Audience []struct {
			AudienceType string `json:"audienceType"`
		} `json:"pc_targetAudience"`
	}
	if err := json.Unmarshal(data, &svcs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string][]string{}
	for _, s := range svcs {
		var as []string
		for _, a := range s.Audience {
			if t := strings.TrimSpace(a.AudienceType); t != "" {
				as = append(as, t)
			}
		}
		if len(as) > 0 {
			out[s.ID] = []string{"target audience " + strings.Join(as, "; ")}
		}
	}
	return out, nil
}
