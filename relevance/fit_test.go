package relevance

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/signpost/signpost/matcher"
)

// TestFitWeights fits the ranking weights on the tuning half of every
// judged set (make fit): 2-fold cross-validation inside the tuning half
// first, so over-fitting shows, then the fit on the whole tuning half, the
// weights as Go to paste into matcher/weights.go, and last the held-out
// figures of the default and the fitted weights side by side. The
// pairwise fit (fit_pairwise.go) is reported the same way before it.
func TestFitWeights(t *testing.T) {
	mode := os.Getenv("SIGNPOST_EVAL_FIT")
	if mode != "1" && mode != "pairwise" {
		t.Skip("fitting the weights takes minutes: run `make fit` " +
			"(SIGNPOST_EVAL_FIT=1 go test -count=1 -timeout 60m -run '^TestFitWeights$' -v ./relevance)")
	}
	ctx := context.Background()
	sets := judgedSets(t)
	tuning := fitSets(sets, func(e Entry) bool { return true })
	full := newObjective(t, tuning)
	base := agreesWithHarness(t, full, tuning)

	// The pairwise fit first: it takes seconds, the ascent minutes.
	// SIGNPOST_EVAL_FIT=pairwise stops after it.
	pairwiseReport(t, sets, full, base)
	if mode == "pairwise" {
		return
	}

	var seen []*Objective
	cvDefault, cvFitted := crossValidate(t, sets, &seen)

	start := time.Now()
	fit, err := FitWeights(ctx, full, matcher.DefaultWeights, DefaultAscent)
	if err != nil {
		t.Fatal(err)
	}
	fitted := RoundWeights(fit.Weights)
	score, err := full.Score(ctx, fitted)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("whole tuning half: nDCG@10 %.3f with the fitted weights (%.3f before rounding; from the starts %s), %.3f with the defaults; %d evaluations in %s",
		score, fit.Score, figures(fit.StartsReached), base, fit.Evals, time.Since(start).Round(time.Second))
	neverSawHeldOut(t, append(seen, full))

	t.Log("\n" + WeightsLiteral(fitted,
		fmt.Sprintf("Fitted %s by `make fit` (coordinate ascent on mean nDCG@10 over the tuning half of %s, %d profiles):",
			time.Now().UTC().Format("2006-01-02"), setList(sets), profileCount(tuning)),
		fmt.Sprintf("tuning %.3f (defaults %.3f); 2-fold cross-validation inside the tuning half %.3f (defaults %.3f).",
			score, base, cvFitted, cvDefault)))
	if cvFitted <= cvDefault {
		t.Logf("cross-validation shows no gain on unseen profiles (%.3f fitted, %.3f defaults): the fit follows noise; keep the defaults or judge more", cvFitted, cvDefault)
	}
	heldOutTable(t, sets, fitted)
}

// judgedSets loads every set whose tuning half has judgements; a set
// with none is left out of the fit, and no set at all is a failure.
func judgedSets(t *testing.T) []*judgedSet {
	var out []*judgedSet
	for _, name := range setNames {
		s := loadSet(t, name)
		_, tune := Split(s.entries)
		if judged := judgedEntries(tune, s.j); len(judged) == 0 {
			t.Logf("%s: no tuning profile is judged yet; the set is left out of the fit", name)
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		t.Fatalf("no set has judgements under %s: judge the pools first (see relevance/doc.go)", setsDir())
	}
	return out
}

// judgedEntries are the entries with at least one judgement: an unjudged
// profile scores 0 whatever the weights, and would only shrink its set's
// share of the objective.
func judgedEntries(entries []Entry, j Judgements) []Entry {
	var out []Entry
	for _, e := range entries {
		if len(j[e.ID]) > 0 {
			out = append(out, e)
		}
	}
	return out
}

// fitSets are the judged tuning profiles of each set that keep passes.
func fitSets(sets []*judgedSet, keep func(Entry) bool) []FitSet {
	var out []FitSet
	for _, s := range sets {
		_, tune := Split(s.entries)
		fs := FitSet{Corpus: s.c, J: s.j}
		for _, e := range judgedEntries(tune, s.j) {
			if keep(e) {
				fs.Entries = append(fs.Entries, e)
			}
		}
		out = append(out, fs)
	}
	return out
}

func newObjective(t *testing.T, sets []FitSet) *Objective {
	t.Helper()
	o, err := NewObjective(context.Background(), sets)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// agreesWithHarness checks that the objective's fast ranking scores the
// default weights as the harness's Matcher does, and returns the figure.
func agreesWithHarness(t *testing.T, o *Objective, sets []FitSet) float64 {
	ctx := context.Background()
	got, err := o.Score(ctx, matcher.DefaultWeights)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for _, s := range sets {
		sc, err := Evaluate(ctx, Matcher{C: s.Corpus}, s.Entries, s.J)
		if err != nil {
			t.Fatal(err)
		}
		want += sc.NDCG / float64(len(sets))
	}
	if math.Abs(got-want) > 1e-9 {
		t.Fatalf("the objective gives the default weights nDCG@10 %.6f, the harness's matcher %.6f: they rank differently", got, want)
	}
	return got
}

// crossValidate fits on one half of the tuning profiles (numbers 1, 5, 9…
// or 3, 7, 11…) and scores the other, both ways, and returns the mean
// score on the unseen fold of the default and of the fitted weights.
func crossValidate(t *testing.T, sets []*judgedSet, seen *[]*Objective) (defaults, fitted float64) {
	ctx := context.Background()
	for fold := range 2 {
		inFold := func(k int) func(Entry) bool {
			return func(e Entry) bool { n, _ := Number(e.ID); return (n%4 == 1) == (k == 0) }
		}
		train := newObjective(t, nonEmpty(fitSets(sets, inFold(fold))))
		test := newObjective(t, nonEmpty(fitSets(sets, inFold(1-fold))))
		*seen = append(*seen, train, test)
		start := time.Now()
		fit, err := FitWeights(ctx, train, matcher.DefaultWeights, DefaultAscent)
		if err != nil {
			t.Fatal(err)
		}
		w := RoundWeights(fit.Weights)
		d, err := test.Score(ctx, matcher.DefaultWeights)
		if err != nil {
			t.Fatal(err)
		}
		f, err := test.Score(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("cross-validation fold %d: fitted on %d profiles nDCG@10 %.3f → %.3f (%d evaluations, %s); on the other %d: defaults %.3f, fitted %.3f",
			fold+1, len(train.Ranked()), fit.Start, fit.Score, fit.Evals, time.Since(start).Round(time.Second), len(test.Ranked()), d, f)
		defaults, fitted = defaults+d/2, fitted+f/2
	}
	t.Logf("2-fold cross-validation inside the tuning half: nDCG@10 %.3f with the defaults, %.3f fitted", defaults, fitted)
	return defaults, fitted
}

func nonEmpty(sets []FitSet) []FitSet {
	var out []FitSet
	for _, s := range sets {
		if len(s.Entries) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// neverSawHeldOut fails if any objective ranked a held-out profile.
func neverSawHeldOut(t *testing.T, objs []*Objective) {
	for _, o := range objs {
		ranked := o.Ranked()
		if len(ranked) == 0 {
			t.Error("an objective ranked no profile at all")
		}
		for id := range ranked {
			if (Entry{ID: id}).HeldOut() {
				t.Errorf("the fit ranked the held-out profile %s", id)
			}
		}
	}
}

// heldOutTable logs, per set, the held-out figures of the default and
// the fitted weights side by side, through the harness's own Matcher.
func heldOutTable(t *testing.T, sets []*judgedSet, fitted matcher.Weights) {
	ctx := context.Background()
	var out strings.Builder
	w := tabwriter.NewWriter(&out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "held-out\tprofiles\tnDCG@10 default\tfitted\tP@5 default\tfitted\tjudged@10 default\tfitted\t")
	for _, s := range sets {
		held, _ := Split(s.entries)
		d, err := Evaluate(ctx, Matcher{C: s.c}, held, s.j)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Evaluate(ctx, Matcher{C: s.c, Weights: &fitted}, held, s.j)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", s.name, d.Profiles, d.NDCG, f.NDCG, d.P5, f.P5, d.JudgedAt10, f.JudgedAt10)
	}
	w.Flush()
	t.Log("\n" + out.String())
}

func figures(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.3f", x)
	}
	return strings.Join(s, ", ")
}

func setList(sets []*judgedSet) string {
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = s.name
	}
	return strings.Join(names, ", ")
}

func profileCount(sets []FitSet) int {
	n := 0
	for _, s := range sets {
		n += len(s.Entries)
	}
	return n
}
