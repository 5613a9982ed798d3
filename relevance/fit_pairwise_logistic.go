package relevance

import (
	"errors"
	"fmt"
	"math"
)

// Bounds of the logistic regression: the loss is smooth and strongly
// convex (λ > 0), so projected accelerated gradient converges fast; these
// only stop a pathological input.
const (
	logisticMaxIter = 20000
	logisticTol     = 1e-10
	maxPairs        = 1_000_000
)

// FitLogistic minimises, over β ≥ 0 (as many weights as prior),
//
//	Σ_pairs w·log(1+exp(−β·d)) + λ/2·|β−prior|²
//
// by projected accelerated gradient (FISTA with restarts): the weighted
// pairwise logistic loss of preferring each pair's first service, with no
// intercept (a pair has no side). Weights below 0 are clipped to 0: a
// signal the judges disfavour is left out rather than turned against.
// A zero prior is plain ridge; a non-zero one shrinks towards a known
// good point instead of towards nothing.
func FitLogistic(pairs []Pair, lambda float64, prior []float64) ([]float64, error) {
	dim := len(prior)
	if err := checkPairs(pairs, lambda, dim); err != nil {
		return nil, err
	}
	for i, v := range prior {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("prior[%d] %v: want a finite number ≥ 0", i, v)
		}
	}
	// L bounds the gradient's Lipschitz constant: ¼·Σ w·|d|² + λ.
	lip := lambda
	for _, p := range pairs {
		lip += p.Weight * dot(p.Diff, p.Diff) / 4
	}
	beta, y := make([]float64, dim), make([]float64, dim)
	prevLoss, t := math.Inf(1), 1.0
	for range logisticMaxIter {
		g := logisticGrad(pairs, lambda, prior, y)
		next := make([]float64, dim)
		for i := range next {
			next[i] = max(0, y[i]-g[i]/lip)
		}
		loss := logisticLoss(pairs, lambda, prior, next)
		if loss > prevLoss { // momentum overshot: restart from the last point
			copy(y, beta)
			t = 1
			continue
		}
		tNext := (1 + math.Sqrt(1+4*t*t)) / 2
		for i := range y {
			y[i] = next[i] + (t-1)/tNext*(next[i]-beta[i])
		}
		beta, t = next, tNext
		if prevLoss-loss < logisticTol*(1+loss) {
			break
		}
		prevLoss = loss
	}
	return beta, nil
}

func checkPairs(pairs []Pair, lambda float64, dim int) error {
	switch {
	case !(lambda > 0) || math.IsInf(lambda, 0):
		return fmt.Errorf("lambda %v: want a finite number above 0", lambda)
	case dim <= 0:
		return errors.New("prior: want at least 1 weight")
	case len(pairs) == 0:
		return errors.New("pairs: none to fit")
	case len(pairs) > maxPairs:
		return fmt.Errorf("pairs: %d, at most %d", len(pairs), maxPairs)
	}
	for i, p := range pairs {
		if len(p.Diff) != dim {
			return fmt.Errorf("pairs[%d].Diff: %d values, want %d", i, len(p.Diff), dim)
		}
		if !(p.Weight >= 0) || math.IsInf(p.Weight, 0) {
			return fmt.Errorf("pairs[%d].Weight %v: want a finite number ≥ 0", i, p.Weight)
		}
		for _, v := range p.Diff {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("pairs[%d].Diff: %v is not a finite number", i, v)
			}
		}
	}
	return nil
}

func logisticLoss(pairs []Pair, lambda float64, prior, beta []float64) float64 {
	sum := 0.0
	for i := range beta {
		sum += lambda / 2 * (beta[i] - prior[i]) * (beta[i] - prior[i])
	}
	for _, p := range pairs {
		sum += p.Weight * softplus(-dot(beta, p.Diff))
	}
	return sum
}

func logisticGrad(pairs []Pair, lambda float64, prior, beta []float64) []float64 {
	g := make([]float64, len(beta))
	for i := range g {
		g[i] = lambda * (beta[i] - prior[i])
	}
	for _, p := range pairs {
		// d/dβ log(1+exp(−β·d)) = −d·σ(−β·d)
		s := p.Weight / (1 + math.Exp(dot(beta, p.Diff)))
		for i := range g {
			g[i] -= s * p.Diff[i]
		}
	}
	return g
}

// softplus is log(1+exp(z)) without overflow.
func softplus(z float64) float64 {
	if z > 30 {
		return z
	}
	return math.Log1p(math.Exp(z))
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
