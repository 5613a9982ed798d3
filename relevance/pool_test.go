package relevance

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestPool writes, per set, the unjudged candidates of every system for
// blind judging into $SIGNPOST_EVAL_POOL/<set>/.
func TestPool(t *testing.T) {
	dir := os.Getenv("SIGNPOST_EVAL_POOL")
	if dir == "" {
		t.Skip("set SIGNPOST_EVAL_POOL to a directory to write judging batches")
	}
	ctx := context.Background()
	for _, name := range setNames {
		s := loadSet(t, name)
		cands, err := Candidates(ctx, s.systems(), s.entries, s.j)
		if err != nil {
			t.Fatal(err)
		}
		n, err := WritePool(ctx, s.c, s.entries, cands, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d pairs to judge in %s", name, n, filepath.Join(dir, name))
	}
}

// TestMerge appends the graded batches in $SIGNPOST_EVAL_MERGE/<set>/ to
// the sets' judgements.
func TestMerge(t *testing.T) {
	dir := os.Getenv("SIGNPOST_EVAL_MERGE")
	if dir == "" {
		t.Skip("set SIGNPOST_EVAL_MERGE to the directory of graded batches")
	}
	for _, name := range setNames {
		sub := filepath.Join(dir, name)
		if _, err := os.Stat(sub); err != nil {
			t.Logf("%s: no batches (%v)", name, err)
			continue
		}
		s := loadSet(t, name)
		n, pending, err := Merge(sub, s.c, s.entries, filepath.Join(setsDir(), name, "judgements.jsonl"))
		if err != nil {
			t.Fatalf("%s: nothing merged: %v", name, err)
		}
		t.Logf("%s: %d judgements added; batches still to grade: %v", name, n, pending)
	}
}
