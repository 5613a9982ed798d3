package relevance

import (
	"context"
	"go/ast"
	"go/parser"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/signpost/signpost/matcher"
)

// TestCoordinateAscentFindsTheOptimum climbs a bowl whose optimum has a
// coordinate at 0 (reached only by additive steps), one beyond 0 (clamped)
// and two away from the start in both directions.
func TestCoordinateAscentFindsTheOptimum(t *testing.T) {
	target := []float64{0.3, 0, 1.7, -0.5}
	want := []float64{0.3, 0, 1.7, 0}
	f := func(x []float64) float64 {
		s := 0.0
		for i, v := range x {
			if v < 0 {
				t.Fatalf("the ascent tried a negative weight: %v", x)
			}
			s -= (v - target[i]) * (v - target[i])
		}
		return s
	}
	o := DefaultAscent
	o.Passes, o.MinStep = 60, 0.001
	res := CoordinateAscent(f, []float64{1, 1, 1, 1}, o)
	for i := range want {
		if math.Abs(res.X[i]-want[i]) > 0.01 {
			t.Errorf("coordinate %d: got %.4f, want %.4f (all %v)", i, res.X[i], want[i], res.X)
		}
	}
	if len(res.Starts) != 1+o.Perturbed {
		t.Errorf("%d starts reported, want %d", len(res.Starts), 1+o.Perturbed)
	}
	if again := CoordinateAscent(f, []float64{1, 1, 1, 1}, o); !slices.Equal(again.X, res.X) {
		t.Errorf("not deterministic: %v then %v", res.X, again.X)
	}
}

// TestCoordinateAscentKeepsTheBestStart: on a step objective that is flat
// around the start, a perturbed start may find the higher step; the
// result is the best of the starts and never worse than the start.
func TestCoordinateAscentKeepsTheBestStart(t *testing.T) {
	f := func(x []float64) float64 {
		if x[0] > 2.5 {
			return 1
		}
		return 0
	}
	o := DefaultAscent
	o.Passes = 1
	res := CoordinateAscent(f, []float64{1}, o)
	if res.Score != slices.Max(res.Starts) {
		t.Errorf("score %v is not the best of the starts %v", res.Score, res.Starts)
	}
	if f(res.X) != res.Score {
		t.Errorf("score %v is not the objective at %v", res.Score, res.X)
	}
	if res.Initial != 0 {
		t.Errorf("initial score %v, want 0 (the objective at the start)", res.Initial)
	}
}

// TestCoordinateAscentBounded: an objective that always improves stops
// after the passes allowed, having called it a bounded number of times.
func TestCoordinateAscentBounded(t *testing.T) {
	calls := 0
	f := func(x []float64) float64 { calls++; return x[0] + x[1] }
	o := DefaultAscent
	res := CoordinateAscent(f, []float64{1, 1}, o)
	most := (1 + o.Perturbed) * (1 + o.Passes*2*4)
	if calls > most || res.Evals != calls {
		t.Errorf("%d calls (%d reported), at most %d expected", calls, res.Evals, most)
	}
}

func TestWeightVectorCoversEveryFloatField(t *testing.T) {
	names := WeightNames()
	typ := reflect.TypeFor[matcher.Weights]()
	floats := 0
	for i := range typ.NumField() {
		if typ.Field(i).Type.Kind() == reflect.Float64 {
			floats++
		}
	}
	if len(names) != floats || !slices.Contains(names, "Need") || !slices.Contains(names, "Text") {
		t.Fatalf("WeightNames() = %v, want the %d float64 fields of matcher.Weights", names, floats)
	}
	if got := WeightsFrom(matcher.Weights{}, WeightVector(matcher.DefaultWeights)); got != matcher.DefaultWeights {
		t.Errorf("round trip gave %+v, want %+v", got, matcher.DefaultWeights)
	}
}

// TestWeightsLiteralIsGo: the printed literal parses as Go and gives each
// weight its value.
func TestWeightsLiteralIsGo(t *testing.T) {
	values := []float64{0.12345, 1, 0, 2, 0.5, 0.25, 0.1, 0.333333, 3, 0.02, 0.7}
	x := make([]float64, len(WeightNames()))
	for i := range x {
		x[i] = values[i%len(values)]
	}
	w := RoundWeights(WeightsFrom(matcher.DefaultWeights, x))
	src := WeightsLiteral(w, "Fitted today by make fit.")
	if !strings.HasPrefix(src, "// Fitted today by make fit.\nvar DefaultWeights = Weights{") {
		t.Fatalf("literal starts wrongly:\n%s", src)
	}
	expr, err := parser.ParseExpr(src[strings.Index(src, "Weights{"):])
	if err != nil {
		t.Fatalf("literal does not parse: %v\n%s", err, src)
	}
	got := map[string]float64{}
	for _, el := range expr.(*ast.CompositeLit).Elts {
		kv := el.(*ast.KeyValueExpr)
		v, err := strconv.ParseFloat(kv.Value.(*ast.BasicLit).Value, 64)
		if err != nil {
			t.Fatal(err)
		}
		got[kv.Key.(*ast.Ident).Name] = v
	}
	x = WeightVector(w)
	for i, n := range WeightNames() {
		if g, ok := got[n]; !ok || g != x[i] {
			t.Errorf("%s: literal gives %v (present %v), want %v", n, g, ok, x[i])
		}
	}
	if x[0] != 0.123 {
		t.Errorf("rounded Need = %v, want 0.123", x[0])
	}
}

// TestObjectiveRefusesHeldOut: a held-out profile never reaches the fit.
func TestObjectiveRefusesHeldOut(t *testing.T) {
	c := &Corpus{Name: "demo"}
	_, err := NewObjective(context.Background(), []FitSet{{Corpus: c, Entries: []Entry{{ID: "demo-03"}, {ID: "demo-04"}}}})
	if err == nil || !strings.Contains(err.Error(), "demo-04 is held out") {
		t.Fatalf("err = %v, want demo-04 refused as held out", err)
	}
}

// TestObjectiveRanksAsTheMatcher: the fit's fast ranking (postcodes
// resolved once, the index called directly) gives every tuning profile of
// the demo town the same top 10 as the harness's Matcher, and records
// each profile it ranked.
func TestObjectiveRanksAsTheMatcher(t *testing.T) {
	ctx := context.Background()
	s := loadSet(t, "demo")
	_, tune := Split(s.entries)
	o := newObjective(t, []FitSet{{Corpus: s.c, Entries: tune, J: s.j}})
	for _, fc := range o.sets[0].cases {
		got, err := o.rank(ctx, s.c, fc, matcher.DefaultWeights)
		if err != nil {
			t.Fatal(err)
		}
		var e Entry
		for _, x := range tune {
			if x.ID == fc.id {
				e = x
			}
		}
		want, err := Matcher{C: s.c}.Rank(ctx, e.Profile)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: the objective ranks %q, the matcher %q", fc.id, got, want)
		}
	}
	if ranked := o.Ranked(); len(ranked) != len(tune) {
		t.Errorf("%d profiles recorded as ranked, want %d", len(ranked), len(tune))
	}
	scoreIsSequentialMean(t, o)
}

// scoreIsSequentialMean grades each profile's second-ranked service 3 and
// its first 1, and checks that Score, which ranks on several goroutines,
// gives the mean nDCG@10 ranked one by one.
func scoreIsSequentialMean(t *testing.T, o *Objective) {
	ctx := context.Background()
	cases := o.sets[0].cases
	sum := 0.0
	for i := range cases {
		ranked, err := o.rank(ctx, o.sets[0].c, cases[i], matcher.DefaultWeights)
		if err != nil || len(ranked) < 2 {
			t.Fatalf("%s: %d ranked, err %v", cases[i].id, len(ranked), err)
		}
		cases[i].grades = map[string]int{ranked[0]: 1, ranked[1]: 3}
		sum += NDCG(ranked, cases[i].grades)
	}
	got, err := o.Score(ctx, matcher.DefaultWeights)
	if err != nil {
		t.Fatal(err)
	}
	if want := sum / float64(len(cases)); got != want || want == 0 {
		t.Errorf("Score = %v, want %v (the mean ranked one by one)", got, want)
	}
}
