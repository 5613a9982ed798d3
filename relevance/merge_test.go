package relevance

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
)

// fakeCorpus holds documents keyed by their names, with no store.
func fakeCorpus(names ...string) *Corpus {
	c := &Corpus{Name: "test", byKey: map[string]int{}, keyOf: map[string]string{}}
	for i, n := range names {
		c.byKey[n] = i
		c.keyOf["id-"+n] = n
		c.Docs = append(c.Docs, matcher.Document{ID: "id-" + n, Name: n, Description: "<p>About&nbsp;" + n + "</p>"})
	}
	return c
}

// fixed is a System returning fixed keys.
type fixed struct {
	name string
	keys []string
}

func (f fixed) Name() string { return f.name }
func (f fixed) Rank(context.Context, matching.Profile) ([]string, error) {
	return f.keys, nil
}

func TestCandidatesAreBlindAndSkipJudged(t *testing.T) {
	ctx := context.Background()
	entries := []Entry{{ID: "t-01"}, {ID: "t-02"}}
	j := Judgements{"t-01": {"b": 2}}
	a, b := fixed{"a", []string{"a", "b", "c"}}, fixed{"b", []string{"d", "c", "b"}}
	one, err := Candidates(ctx, []System{a, b}, entries, j)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := Candidates(ctx, []System{b, a}, entries, j)
	if !reflect.DeepEqual(one, other) {
		t.Errorf("the order depends on the systems' order: %v and %v", one, other)
	}
	if got := strings.Join(one["t-01"], ""); len(got) != 3 || strings.Contains(got, "b") {
		t.Errorf("t-01 candidates %v: want a, c, d (b is judged)", one["t-01"])
	}
	if len(one["t-02"]) != 4 {
		t.Errorf("t-02 candidates %v: want a, b, c, d", one["t-02"])
	}
}

func TestWritePoolAndMerge(t *testing.T) {
	ctx := context.Background()
	c := fakeCorpus("a", "b", "c")
	entries := []Entry{{ID: "t-01", Note: "test person"}, {ID: "t-02"}}
	dir, sets := t.TempDir(), t.TempDir()
	jpath := filepath.Join(sets, "judgements.jsonl")
	cands := map[string][]string{"t-01": {"a", "b"}, "t-02": {"c"}}
	if n, err := WritePool(ctx, c, entries, cands, dir); err != nil || n != 3 {
		t.Fatalf("WritePool: %d pairs, %v", n, err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "batch-01.md"))
	if !strings.Contains(string(md), "About a") || strings.Contains(string(md), "<p>") {
		t.Errorf("the batch does not show the plain description:\n%s", md)
	}
	if _, err := WritePool(ctx, c, entries, cands, dir); err == nil {
		t.Error("WritePool overwrote batches waiting for grades")
	}
	graded := filepath.Join(dir, "batch-01.jsonl")
	for _, bad := range []struct{ lines, want string }{
		{`{"profile":"t-01","service":"a","grade":3}` + "\n" + `{"profile":"t-01","service":"b","grade":4}`, "batch-01.jsonl:2: grade"},
		{`{"profile":"t-01","service":"a","grade":3}` + "\n" + `{"profile":"t-01","service":"a","grade":1}`, "batch-01.jsonl:2: t-01 a is graded twice"},
		{`{"profile":"t-01","service":"zz","grade":3}`, "unknown service key"},
		{`{"profile":"t-01","service":"a","grade":3}`, "2 pairs are not graded"},
	} {
		os.WriteFile(graded, []byte(bad.lines), 0o644)
		if _, _, err := Merge(dir, c, entries, jpath); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Merge(%q): %v, want an error with %q", bad.lines, err, bad.want)
		}
		if _, err := os.Stat(jpath); err == nil {
			t.Fatal("a refused merge wrote judgements")
		}
	}
	os.WriteFile(graded, []byte(`{"profile":"t-01","service":"a","grade":3}
{"profile":"t-01","service":"b","grade":0}
{"profile":"t-02","service":"c","grade":2}
`), 0o644)
	n, pending, err := Merge(dir, c, entries, jpath)
	if err != nil || n != 3 || len(pending) != 0 {
		t.Fatalf("Merge: %d added, pending %v, %v", n, pending, err)
	}
	j, err := ReadJudgements(jpath)
	if err != nil || j["t-01"]["a"] != 3 || j["t-02"]["c"] != 2 || len(j["t-01"]) != 2 {
		t.Errorf("judgements after merging: %v, %v", j, err)
	}
	if n, _, err := Merge(dir, c, entries, jpath); err != nil || n != 0 {
		t.Errorf("merging again: %d added, %v; want nothing (the batch is marked merged)", n, err)
	}
}

func TestReadProfilesRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ json, want string }{
		{`[{"id":"x-01","profile":{"needs":["loneliness"],"colour":"red"}}]`, `unknown field "colour"`},
		{`[{"id":"x-01","profile":{"needs":["no-such-need"]}}]`, `profile 1 ("x-01"): profile: needs`},
		{`[{"id":"x","profile":{"needs":["loneliness"]}}]`, "does not end in a number"},
		{`[{"id":"x-01","profile":{"needs":["debt"]}},{"id":"x-01","profile":{"needs":["debt"]}}]`, `"x-01" repeats`},
		{`[{"id":"x-01","profile":{"needs":["debt"],"postcode":"DN15 6NX","location":{"latitude":1,"longitude":1}}}]`, "not both"},
	} {
		p := filepath.Join(dir, "profiles.json")
		os.WriteFile(p, []byte(c.json), 0o644)
		if _, err := ReadProfiles(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.json, err, c.want)
		}
	}
	p := filepath.Join(dir, "profiles.json")
	os.WriteFile(p, []byte(`[{"id":"x-02","note":"n","profile":{"needs":["debt"],"postcode":"DN15 6NX","maxDistanceKm":5,"availability":[{"day":"MO","from":"09:00","to":"12:00"}]}}]`), 0o644)
	es, err := ReadProfiles(p)
	if err != nil || len(es) != 1 || es[0].Profile.Postcode != "DN15 6NX" || !es[0].HeldOut() || es[0].Profile.Availability[0].Day != "MO" {
		t.Errorf("ReadProfiles: %+v, %v", es, err)
	}
}
