package relevance

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/matcher"
)

// syntheticPairs draws n pairs whose preferred side follows the known
// weights truth through a logistic model, as judges would, noisily.
func syntheticPairs(n int, truth []float64, seed uint64) []Pair {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]Pair, 0, n)
	for range n {
		a, b := make([]float64, len(truth)), make([]float64, len(truth))
		for i := range a {
			a[i], b[i] = r.Float64(), r.Float64()
		}
		d := make([]float64, len(truth))
		for i := range d {
			d[i] = a[i] - b[i]
		}
		if r.Float64() > 1/(1+math.Exp(-dot(truth, d))) { // b is preferred
			for i := range d {
				d[i] = -d[i]
			}
		}
		out = append(out, Pair{Diff: d, Weight: 1 / float64(n)})
	}
	return out
}

func cosine(a, b []float64) float64 {
	return dot(a, b) / math.Sqrt(dot(a, a)*dot(b, b))
}

func TestFitLogisticRecoversDirection(t *testing.T) {
	// The last weight is negative in truth: the fit must clip it to 0,
	// not learn it, and still find the direction of the others.
	truth := []float64{4, 2, 0, 1, -2}
	pairs := syntheticPairs(4000, truth, 9)
	beta, err := FitLogistic(pairs, 1e-4, make([]float64, len(truth)))
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range beta {
		if b < 0 {
			t.Errorf("beta[%d] = %v, want ≥ 0", i, b)
		}
	}
	if beta[4] != 0 {
		t.Errorf("beta[4] = %v, want 0: the truth disfavours it", beta[4])
	}
	pos := []float64{4, 2, 0, 1, 0}
	if c := cosine(beta, pos); c < 0.98 {
		t.Errorf("beta %v is %.3f aligned with %v, want ≥ 0.98", beta, c, pos)
	}
	if !(beta[0] > beta[1] && beta[1] > beta[3] && beta[3] > beta[2]) {
		t.Errorf("beta %v: want the order of the truth's weights", beta)
	}

	// Stronger regularisation shrinks the weights.
	strong, err := FitLogistic(pairs, 1, make([]float64, len(truth)))
	if err != nil {
		t.Fatal(err)
	}
	if dot(strong, strong) >= dot(beta, beta) {
		t.Errorf("|beta| with lambda 1 (%v) is not below that with 1e-4 (%v)", strong, beta)
	}
}

// The fit is at the optimum: no feasible direction lowers the loss.
func TestFitLogisticIsOptimal(t *testing.T) {
	pairs := syntheticPairs(500, []float64{1, -1, 3}, 3)
	lambda := 0.01
	prior := []float64{0.5, 0.5, 0}
	beta, err := FitLogistic(pairs, lambda, prior)
	if err != nil {
		t.Fatal(err)
	}
	g := logisticGrad(pairs, lambda, prior, beta)
	for i := range beta {
		if beta[i] > 0 && math.Abs(g[i]) > 1e-4 || beta[i] == 0 && g[i] < -1e-4 {
			t.Errorf("coordinate %d: beta %v, gradient %v: not a constrained optimum", i, beta[i], g[i])
		}
	}
}

func TestFitLogisticRejectsBadInput(t *testing.T) {
	good := []Pair{{Diff: []float64{1, 0}, Weight: 1}}
	two := make([]float64, 2)
	for _, c := range []struct {
		name   string
		pairs  []Pair
		lambda float64
		prior  []float64
		want   string
	}{
		{"no lambda", good, 0, two, "lambda"},
		{"NaN lambda", good, math.NaN(), two, "lambda"},
		{"no pairs", nil, 1, two, "pairs"},
		{"short diff", []Pair{{Diff: []float64{1}, Weight: 1}}, 1, two, "pairs[0].Diff"},
		{"NaN diff", []Pair{{Diff: []float64{1, math.NaN()}, Weight: 1}}, 1, two, "pairs[0].Diff"},
		{"negative prior", good, 1, []float64{0, -1}, "prior[1]"},
		{"no prior", good, 1, nil, "prior"},
		{"negative weight", []Pair{{Diff: []float64{1, 0}, Weight: -1}}, 1, two, "pairs[0].Weight"},
	} {
		if _, err := FitLogistic(c.pairs, c.lambda, c.prior); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %s", c.name, err, c.want)
		}
	}
}

func TestFitLogisticShrinksTowardsPrior(t *testing.T) {
	pairs := syntheticPairs(300, []float64{3, 0, 1}, 5)
	prior := []float64{0, 2, 0}
	weak, err := FitLogistic(pairs, 1e-4, prior)
	if err != nil {
		t.Fatal(err)
	}
	strong, err := FitLogistic(pairs, 100, prior)
	if err != nil {
		t.Fatal(err)
	}
	dist := func(b []float64) float64 {
		d := make([]float64, len(b))
		for i := range b {
			d[i] = b[i] - prior[i]
		}
		return math.Sqrt(dot(d, d))
	}
	if dist(strong) > 0.05 || dist(weak) < 1 {
		t.Errorf("distance to the prior %v: %.3f with lambda 100 (want < 0.05), %.3f with 1e-4 (want > 1)", prior, dist(strong), dist(weak))
	}
}

func TestDefaultPrior(t *testing.T) {
	d := WeightVector(matcher.DefaultWeights)[:len(PairwiseSignals)]
	truth := make([]float64, len(d))
	for i := range d {
		truth[i] = 5 * d[i]
	}
	prior, err := DefaultPrior([]ProfilePairs{{ID: "a-01", Pairs: syntheticPairs(3000, truth, 7)}})
	if err != nil {
		t.Fatal(err)
	}
	if c := cosine(prior, d); c < 1-1e-9 {
		t.Errorf("prior %v is not along the defaults %v (cosine %v)", prior, d, c)
	}
	// Judges following 5×defaults give a scale near 5.
	if s := prior[0] / d[0]; s < 4 || s > 6 {
		t.Errorf("prior scale %.2f, want about 5", s)
	}
}

func TestPairwiseWeights(t *testing.T) {
	// The signals are the score weights, in order.
	for i, n := range WeightNames()[:len(PairwiseSignals)] {
		if strings.ToLower(n) != PairwiseSignals[i] {
			t.Fatalf("PairwiseSignals[%d] = %s, but weight %d is %s", i, PairwiseSignals[i], i, n)
		}
	}
	w, err := PairwiseWeights([]float64{2, 2, 0, 0, 0, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	d := matcher.DefaultWeights
	sum := d.Need + d.Text + d.Distance + d.Schedule + d.Cost + d.Freshness + d.History + d.Audience
	if math.Abs(w.Need-sum/2) > 1e-12 || w.Text != w.Need || w.Distance != 0 {
		t.Errorf("PairwiseWeights: %+v, want Need = Text = %v, the rest 0", w, sum/2)
	}
	if w.Diversity != d.Diversity || w.SameOrganisation != d.SameOrganisation || w.Duplicate != d.Duplicate {
		t.Errorf("PairwiseWeights changed the list terms: %+v", w)
	}
	if _, err := PairwiseWeights(make([]float64, 8)); err == nil {
		t.Error("PairwiseWeights of all zeros: no error")
	}
}

func TestFitPairwiseWeighsProfilesEqually(t *testing.T) {
	// One profile with many pairs favouring signal 0, one with a single
	// pair favouring signal 1: equal weight gives the two signals equal
	// weights.
	many := ProfilePairs{ID: "a-01"}
	for range 50 {
		many.Pairs = append(many.Pairs, Pair{Diff: []float64{1, 0, 0, 0, 0, 0, 0, 0}, Weight: 3})
	}
	one := ProfilePairs{ID: "a-03", Pairs: []Pair{{Diff: []float64{0, 1, 0, 0, 0, 0, 0, 0}, Weight: 1}}}
	beta, err := FitPairwise([]ProfilePairs{many, one, {ID: "a-05"}}, 0.1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(beta[0]-beta[1]) > 1e-6 || beta[0] <= 0 {
		t.Errorf("beta %v: want beta[0] = beta[1] > 0", beta)
	}
	if _, err := FitPairwise([]ProfilePairs{{ID: "a-05"}}, 0.1, nil); err == nil {
		t.Error("FitPairwise without pairs: no error")
	}
}

// pairwiseLambdas are the L2 strengths tried; the loss is normalised to
// total pair weight 1, so 1e-4 barely regularises and 10 all but fixes
// the weights at the centre.
var pairwiseLambdas = []float64{1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 10}

// pairwiseConfig is one way of fitting: which pairs, whether to shrink
// towards the defaults (else towards 0), and the L2 strength. The
// cross-validation chooses among them.
type pairwiseConfig struct {
	src        PairSource
	toDefaults bool
	lambda     float64
}

func (c pairwiseConfig) String() string {
	towards := "0"
	if c.toDefaults {
		towards = "the defaults"
	}
	return fmt.Sprintf("%s, L2 %g towards %s", c.src, c.lambda, towards)
}

func pairwiseConfigs() []pairwiseConfig {
	var out []pairwiseConfig
	for _, src := range PairSources {
		for _, toDefaults := range []bool{false, true} {
			for _, l := range pairwiseLambdas {
				out = append(out, pairwiseConfig{src, toDefaults, l})
			}
		}
	}
	return out
}

// pairsBySource are every tuning profile's pairs, per PairSource.
type pairsBySource map[PairSource][]ProfilePairs

// pairwiseReport is TestFitWeights' part for the pairwise fit: the
// cross-validation inside the tuning half, the fit on the whole tuning
// half with the Go literal, and last the held-out figures. Pairs come
// from full, which holds tuning profiles only; every objective used is
// checked for held-out profiles before the held-out table is drawn.
func pairwiseReport(t *testing.T, sets []*judgedSet, full *Objective, base float64) {
	ctx := context.Background()
	start := time.Now()
	pairs := pairsBySource{}
	for _, src := range PairSources {
		g, err := full.Pairs(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		pairs[src] = g
		t.Logf("pairwise (%s): %d pairs from %d tuning profiles ranked %d deep", src, pairCount(g), len(g), PairLimit)
	}
	seen := []*Objective{full}
	configs := pairwiseConfigs()
	outer := pairwiseFolds(t, sets, pairs, func(int) bool { return true }, func(n int) int { return boolInt(n%4 != 1) }, &seen)
	cvDefault, byConfig := pairwiseCV(t, outer, configs)
	for i, c := range configs {
		t.Logf("pairwise 2-fold cross-validation inside the tuning half, %s: nDCG@10 %.3f (defaults %.3f)", c, byConfig[i], cvDefault)
	}
	best := configs[bestConfig(byConfig)]
	nested := pairwiseNested(t, sets, pairs, outer, configs, &seen)
	t.Logf("pairwise 2-fold cross-validation inside the tuning half: nDCG@10 %.3f with the defaults, %.3f fitted with the chosen %s (the best of %d, so optimistic); %.3f choosing inside each training fold (nested, honest)",
		cvDefault, slices.Max(byConfig), best, len(configs), nested)

	w := pairwiseFit(t, pairs[best.src], best)
	score, err := full.Score(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pairwise, whole tuning half: nDCG@10 %.3f fitted, %.3f with the defaults (%s)", score, base, time.Since(start).Round(time.Second))
	t.Log("\n" + WeightsLiteral(w,
		fmt.Sprintf("Fitted %s by `make fit` (pairwise logistic regression, %s, over the tuning half of %s, %d profiles):",
			time.Now().UTC().Format("2006-01-02"), best, setList(sets), len(pairs[best.src])),
		fmt.Sprintf("tuning %.3f (defaults %.3f); 2-fold cross-validation inside the tuning half %.3f, nested %.3f (defaults %.3f).",
			score, base, slices.Max(byConfig), nested, cvDefault)))
	if nested <= cvDefault {
		t.Logf("pairwise: nested cross-validation shows no gain on unseen profiles (%.3f fitted, %.3f defaults): keep the defaults", nested, cvDefault)
	}
	neverSawHeldOut(t, seen)
	t.Log("pairwise: the held-out figures of the defaults and of the pairwise-fitted weights")
	heldOutTable(t, sets, w)
}

// pairwiseFold is one fold: the pairs fitted on and the profiles scored.
type pairwiseFold struct {
	train pairsBySource
	test  *Objective
}

// pairwiseFolds splits the profiles that keep passes by fold(number) into
// two folds, each fitted on one side and scored on the other.
func pairwiseFolds(t *testing.T, sets []*judgedSet, pairs pairsBySource, keep func(int) bool, fold func(int) int, seen *[]*Objective) []pairwiseFold {
	var out []pairwiseFold
	for k := range 2 {
		side := func(k int) func(int) bool { return func(n int) bool { return keep(n) && fold(n) == k } }
		test := newObjective(t, nonEmpty(fitSets(sets, func(e Entry) bool { n, _ := Number(e.ID); return side(1 - k)(n) })))
		*seen = append(*seen, test)
		train := pairsBySource{}
		for src, groups := range pairs {
			for _, g := range groups {
				if n, _ := Number(g.ID); side(k)(n) {
					train[src] = append(train[src], g)
				}
			}
		}
		out = append(out, pairwiseFold{train: train, test: test})
	}
	return out
}

// pairwiseCV is the mean over folds of the unseen side's nDCG@10, with
// the defaults and with the weights fitted by each config.
func pairwiseCV(t *testing.T, folds []pairwiseFold, configs []pairwiseConfig) (defaults float64, byConfig []float64) {
	ctx := context.Background()
	byConfig = make([]float64, len(configs))
	for _, f := range folds {
		d, err := f.test.Score(ctx, matcher.DefaultWeights)
		if err != nil {
			t.Fatal(err)
		}
		defaults += d / float64(len(folds))
		for i, c := range configs {
			s, err := f.test.Score(ctx, pairwiseFit(t, f.train[c.src], c))
			if err != nil {
				t.Fatal(err)
			}
			byConfig[i] += s / float64(len(folds))
		}
	}
	return defaults, byConfig
}

// pairwiseNested scores each outer fold's unseen side with the config
// chosen by a 2-fold cross-validation inside that fold's training side.
func pairwiseNested(t *testing.T, sets []*judgedSet, pairs pairsBySource, outer []pairwiseFold, configs []pairwiseConfig, seen *[]*Objective) float64 {
	ctx := context.Background()
	total := 0.0
	for k, f := range outer {
		inTrain := func(n int) bool { return boolInt(n%4 != 1) == k }
		inner := pairwiseFolds(t, sets, pairs, inTrain, func(n int) int { return (n / 4) % 2 }, seen)
		_, byConfig := pairwiseCV(t, inner, configs)
		c := configs[bestConfig(byConfig)]
		s, err := f.test.Score(ctx, pairwiseFit(t, f.train[c.src], c))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("pairwise nested fold %d: %s chosen on the training side; nDCG@10 %.3f on the other", k+1, c, s)
		total += s / float64(len(outer))
	}
	return total
}

// bestConfig is the index of the best score; on a tie the later, which
// within a source is the stronger L2.
func bestConfig(scores []float64) int {
	best := 0
	for i, s := range scores {
		if s >= scores[best] {
			best = i
		}
	}
	return best
}

// pairwiseFit fits and rounds the weights as the literal prints them.
func pairwiseFit(t *testing.T, groups []ProfilePairs, c pairwiseConfig) matcher.Weights {
	t.Helper()
	var prior []float64
	if c.toDefaults {
		var err error
		if prior, err = DefaultPrior(groups); err != nil {
			t.Fatal(err)
		}
	}
	beta, err := FitPairwise(groups, c.lambda, prior)
	if err != nil {
		t.Fatal(err)
	}
	w, err := PairwiseWeights(beta)
	if err != nil {
		t.Fatal(err)
	}
	return RoundWeights(w)
}

func pairCount(groups []ProfilePairs) int {
	n := 0
	for _, g := range groups {
		n += len(g.Pairs)
	}
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestPairsOf(t *testing.T) {
	c := &Corpus{Name: "t", keyOf: map[string]string{"id-a": "a", "id-b": "b", "id-c": "c"}}
	sig := func(need, text float64) map[string]float64 {
		return map[string]float64{"need": need, "text": text, "distance": 0.5}
	}
	ms := []matcher.Match{
		{ServiceID: "id-c", Signals: sig(0.9, 0.9)}, // unjudged, ranked first
		{ServiceID: "id-b", Signals: sig(0.2, 0.4)}, // grade 1
		{ServiceID: "id-a", Signals: sig(0.6, 0.2)}, // grade 3
	}
	fc := fitCase{id: "t-01", p: matcher.Profile{Needs: []string{"food"}}, grades: map[string]int{"a": 3, "b": 1}}

	judged := pairsOf(c, fc, ms, JudgedOnly)
	if len(judged) != 1 || judged[0].Weight != 2 || math.Abs(judged[0].Diff[0]-0.4) > 1e-12 ||
		math.Abs(judged[0].Diff[1]+0.2) > 1e-12 || judged[0].Diff[2] != 0 {
		t.Errorf("JudgedOnly: %+v, want one pair a over b, weight 2, need +0.4, text −0.2", judged)
	}
	if all := pairsOf(c, fc, ms, UnjudgedAsZero); len(all) != 3 {
		t.Errorf("UnjudgedAsZero: %d pairs, want 3 (a over b, a over c, b over c)", len(all))
	}
	// a (rank 3) over c (rank 1): gap 3 × (1/log2(2) − 1/log2(4)) = 1.5.
	top := pairsOf(c, fc, ms, NearTop)
	if len(top) != 3 || math.Abs(top[1].Weight-1.5) > 1e-12 {
		t.Errorf("NearTop: %+v, want 3 pairs, a over c weighing 1.5", top)
	}

	// Without needs, Rank gives need half its weight and text the other
	// half: the need feature becomes the mean of the two.
	fc.p.Needs = nil
	if d := pairsOf(c, fc, ms, JudgedOnly)[0].Diff; math.Abs(d[0]-0.1) > 1e-12 {
		t.Errorf("no needs: need difference %v, want (0.4−0.2)/2 = 0.1", d[0])
	}
}
