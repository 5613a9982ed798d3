package relevance

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
)

// TestEval prints, per set and half, nDCG@10, P@5 and judged@10 of every
// system (make eval runs it with -v).
func TestEval(t *testing.T) {
	ctx := context.Background()
	var out strings.Builder
	w := tabwriter.NewWriter(&out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "set\thalf\tprofiles\tsystem\tnDCG@10\tP@5\tjudged@10\t")
	for _, name := range setNames {
		s := loadSet(t, name)
		held, tune := Split(s.entries)
		for _, half := range []struct {
			name    string
			entries []Entry
		}{{"held-out", held}, {"tuning", tune}} {
			for _, sys := range s.systems() {
				sc, err := Evaluate(ctx, sys, half.entries, s.j)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%.3f\t%.3f\t%.3f\t\n", name, half.name, sc.Profiles, sys.Name(), sc.NDCG, sc.P5, sc.JudgedAt10)
			}
		}
	}
	w.Flush()
	t.Log("\n" + out.String())
}

// TestMatcherBeatsBM25 fails when, on the held-out half of any set, the
// matcher's nDCG@10 is below plain BM25's.
func TestMatcherBeatsBM25(t *testing.T) {
	ctx := context.Background()
	for _, name := range setNames {
		s := loadSet(t, name)
		held, _ := Split(s.entries)
		m, err := Evaluate(ctx, Matcher{C: s.c}, held, s.j)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Evaluate(ctx, s.bm25, held, s.j)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s held-out (%d profiles): matcher nDCG@10 %.3f, bm25 %.3f (judged@10 %.3f, %.3f)", name, m.Profiles, m.NDCG, b.NDCG, m.JudgedAt10, b.JudgedAt10)
		if m.NDCG < b.NDCG {
			t.Errorf("%s: on the held-out half the matcher's nDCG@10 %.3f is below plain BM25's %.3f", name, m.NDCG, b.NDCG)
		}
	}
}
