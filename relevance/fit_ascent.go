package relevance

import (
	"math"
	"math/rand/v2"
	"slices"
)

// AscentOptions bound a coordinate ascent. The zero value is not useful:
// start from DefaultAscent.
type AscentOptions struct {
	// Passes is the most passes over the coordinates from each start.
	Passes int
	// Step is the first step: a coordinate is tried at ×(1+Step),
	// ÷(1+Step) and ±Step×AddUnit. The step halves after a pass that
	// gained nothing, and the start ends once it is below MinStep.
	Step, MinStep float64
	// AddUnit scales the additive steps, which move a weight away from 0
	// (a multiplicative step cannot).
	AddUnit float64
	// Perturbed is how many starts follow the given one, each the given
	// point with every coordinate scaled by 2^u, u uniform in [-1, 1]
	// (plus up to AddUnit for a coordinate at 0), drawn from Seed.
	Perturbed int
	Seed      uint64
	// MinGain is the least improvement taken as one: nDCG is flat in most
	// directions, and a move that gains nothing only wanders.
	MinGain float64
}

// DefaultAscent is sized for the judged sets: 11 weights × 4 moves × at
// most 4 passes × 3 starts is at most some 530 evaluations per fit, fewer
// in practice as points repeat and are cached: a few minutes for the 66
// tuning profiles of issue 9 on a busy 2-core machine.
var DefaultAscent = AscentOptions{
	Passes: 4, Step: 1, MinStep: 0.1, AddUnit: 0.1,
	Perturbed: 2, Seed: 9, MinGain: 1e-9,
}

// AscentResult is the best point found and how it was found.
type AscentResult struct {
	X       []float64
	Score   float64
	Initial float64   // the score at the given start
	Starts  []float64 // the score reached from each start, the given one first
	Evals   int       // objective calls, cache hits not counted
}

// CoordinateAscent maximises f over x ≥ 0 from start and from perturbed
// copies of it; the best point wins, the earliest start on a tie. It is
// deterministic: the same f, start and options give the same result.
func CoordinateAscent(f func([]float64) float64, start []float64, o AscentOptions) AscentResult {
	c := &cachedObjective{f: f, seen: map[string]float64{}}
	rng := rand.New(rand.NewPCG(o.Seed, uint64(len(start))))
	res := AscentResult{Score: math.Inf(-1), Initial: c.at(nonNegative(start))}
	for s := 0; s <= o.Perturbed; s++ {
		x := nonNegative(start)
		if s > 0 {
			x = perturb(x, rng, o.AddUnit)
		}
		x, score := ascend(c, x, o)
		res.Starts = append(res.Starts, score)
		if score > res.Score {
			res.X, res.Score = x, score
		}
	}
	res.Evals = c.evals
	return res
}

// ascend climbs from x one coordinate at a time, taking for each the best
// of its moves when it gains at least MinGain.
func ascend(c *cachedObjective, x []float64, o AscentOptions) ([]float64, float64) {
	best := c.at(x)
	step := o.Step
	for pass := 0; pass < o.Passes && step >= o.MinStep; pass++ {
		gained := false
		for i := range x {
			for _, v := range moves(x[i], step, o.AddUnit) {
				y := slices.Clone(x)
				y[i] = v
				if s := c.at(y); s >= best+o.MinGain {
					x, best, gained = y, s, true
				}
			}
		}
		if !gained {
			step /= 2
		}
	}
	return x, best
}

// moves are the values tried for a coordinate at v: multiplicative steps
// keep a weight's scale, additive ones let a weight leave or reach 0.
// Negative values become 0; repeats and v itself are dropped.
func moves(v, step, unit float64) []float64 {
	out := make([]float64, 0, 4)
	for _, m := range []float64{v * (1 + step), v / (1 + step), v + step*unit, v - step*unit} {
		m = max(m, 0)
		if m != v && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func perturb(x []float64, rng *rand.Rand, unit float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		if v == 0 {
			out[i] = rng.Float64() * unit
			continue
		}
		out[i] = v * math.Exp2(2*rng.Float64()-1)
	}
	return out
}

func nonNegative(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = max(v, 0)
	}
	return out
}

// cachedObjective remembers f at each point: passes revisit points, and an
// evaluation of the weights ranks every tuning profile.
type cachedObjective struct {
	f     func([]float64) float64
	seen  map[string]float64
	evals int
}

func (c *cachedObjective) at(x []float64) float64 {
	key := string(floatBytes(x))
	if s, ok := c.seen[key]; ok {
		return s
	}
	s := c.f(slices.Clone(x))
	c.seen[key] = s
	c.evals++
	return s
}

func floatBytes(x []float64) []byte {
	b := make([]byte, 0, 8*len(x))
	for _, v := range x {
		u := math.Float64bits(v)
		for k := 0; k < 8; k++ {
			b = append(b, byte(u>>(8*k)))
		}
	}
	return b
}
