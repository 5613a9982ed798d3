package relevance

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/signpost/signpost/matcher"
)

// A second fit of the weights (issue 9): pairwise logistic regression.
// Coordinate ascent on nDCG@10 sees each profile only through the order
// of its top 10, which 66 profiles cannot pin down for 11 weights. Every
// pair of judged services a profile ranks, one graded above the other, is
// evidence about the weights instead, and a convex, L2-regularised loss
// over those pairs has one optimum that shrinks towards zero as the data
// thin out.

// PairwiseSignals are the signals of matcher.Match.Signals the pairwise
// fit learns a weight for, in the order of the score weights of
// matcher.Weights (Need … Audience). Diversity, SameOrganisation and
// Duplicate act while choosing the list, not on a service's own score,
// and stay as they are.
var PairwiseSignals = []string{"need", "text", "distance", "schedule", "cost", "freshness", "history", "audience"}

// PairLimit is how deep each profile is ranked to collect pairs: well past
// the 10 scored, so services just missing the top 10 teach the fit too.
const PairLimit = 50

// Pair is one preference: the better service's signals minus the worse
// one's, weighted by how many grades apart they are.
type Pair struct {
	Diff   []float64
	Weight float64
}

// ProfilePairs are the pairs of one profile.
type ProfilePairs struct {
	ID    string
	Pairs []Pair
}

// PairSource says which ranked services make pairs.
type PairSource int

const (
	// JudgedOnly pairs the judged services only.
	JudgedOnly PairSource = iota
	// UnjudgedAsZero also pairs the unjudged ones, as grade 0, as nDCG
	// counts them. The judged pool holds what some system ranked high;
	// from it alone the fit never sees a near but unrelated service, and
	// learns to favour distance, which fills the top 10 with such
	// services.
	UnjudgedAsZero
	// NearTop is UnjudgedAsZero with each pair weighted also by how much
	// swapping the two would change DCG@10 in the default ranking
	// (LambdaRank's |ΔDCG|): nDCG@10 cares about the top only, and a
	// pair of services both below 10 does not count at all.
	NearTop
)

// PairSources are every PairSource.
var PairSources = []PairSource{JudgedOnly, UnjudgedAsZero, NearTop}

func (s PairSource) String() string {
	switch s {
	case UnjudgedAsZero:
		return "unjudged as grade 0"
	case NearTop:
		return "unjudged as grade 0, weighted by |ΔDCG@10|"
	}
	return "judged only"
}

// Pairs ranks every profile of o once with the default weights (PairLimit
// deep) and returns, per profile, the pairs of its results that src
// takes. The signals of a service do not depend on the weights, only
// which services reach the list does, so one ranking serves every fit.
// The profiles are counted as ranked, like Score's.
func (o *Objective) Pairs(ctx context.Context, src PairSource) ([]ProfilePairs, error) {
	var out []ProfilePairs
	for _, s := range o.sets {
		for _, fc := range s.cases {
			o.mu.Lock()
			o.ranked[fc.id]++
			o.mu.Unlock()
			ms, err := s.c.Index.Rank(ctx, fc.p, matcher.Options{Limit: PairLimit, Now: o.now})
			if err != nil {
				return nil, fmt.Errorf("%s: profile %s: %w", s.c.Name, fc.id, err)
			}
			out = append(out, ProfilePairs{ID: fc.id, Pairs: pairsOf(s.c, fc, ms, src)})
		}
	}
	return out, nil
}

// pairsOf turns one profile's judged matches into preference pairs.
func pairsOf(c *Corpus, fc fitCase, ms []matcher.Match, src PairSource) []Pair {
	type judged struct {
		x     []float64
		grade int
		disc  float64 // the DCG@10 discount of its rank
	}
	var js []judged
	for r, m := range ms {
		k, _ := c.KeyOf(m.ServiceID)
		g, ok := fc.grades[k]
		if !ok && src == JudgedOnly {
			continue
		}
		disc := 0.0
		if r < TopK {
			disc = 1 / math.Log2(float64(r)+2)
		}
		js = append(js, judged{signalVector(m.Signals, len(fc.p.Needs) > 0), g, disc})
	}
	var out []Pair
	for _, a := range js {
		for _, b := range js {
			if a.grade <= b.grade {
				continue
			}
			w := float64(a.grade - b.grade)
			if src == NearTop {
				if w *= math.Abs(a.disc - b.disc); w == 0 {
					continue
				}
			}
			d := make([]float64, len(a.x))
			for i := range d {
				d[i] = a.x[i] - b.x[i]
			}
			out = append(out, Pair{Diff: d, Weight: w})
		}
	}
	return out
}

// signalVector is a match's signals in PairwiseSignals order, as the score
// weights act on them. Without needs, Rank moves half the need weight to
// text (score = Need/2·need + (Text+Need/2)·text), which is the weight
// Need on (need+text)/2 and Text on text: the need feature is that mean.
func signalVector(sig map[string]float64, hasNeeds bool) []float64 {
	x := make([]float64, len(PairwiseSignals))
	for i, n := range PairwiseSignals {
		x[i] = sig[n]
	}
	if !hasNeeds {
		x[0] = (sig["need"] + sig["text"]) / 2
	}
	return x
}

// FitPairwise fits the score weights to groups of pairs, shrunk towards
// prior (nil: towards 0): see FitLogistic. Each profile weighs the same,
// its pairs sharing its weight in proportion to their grade gaps. A
// profile without pairs is skipped.
func FitPairwise(groups []ProfilePairs, lambda float64, prior []float64) ([]float64, error) {
	pairs, err := normalisedPairs(groups)
	if err != nil {
		return nil, err
	}
	if prior == nil {
		prior = make([]float64, len(PairwiseSignals))
	}
	return FitLogistic(pairs, lambda, prior)
}

// DefaultPrior is matcher.DefaultWeights' score weights at the scale that
// fits groups best: the logistic loss has no fixed scale, so shrinking
// towards the defaults means towards their direction at the pairs' own
// scale, found by a one-weight fit along that direction.
func DefaultPrior(groups []ProfilePairs) ([]float64, error) {
	pairs, err := normalisedPairs(groups)
	if err != nil {
		return nil, err
	}
	d := WeightVector(matcher.DefaultWeights)[:len(PairwiseSignals)]
	along := make([]Pair, len(pairs))
	for i, p := range pairs {
		along[i] = Pair{Diff: []float64{dot(d, p.Diff)}, Weight: p.Weight}
	}
	s, err := FitLogistic(along, 1e-6, []float64{0})
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(d))
	for i := range d {
		out[i] = s[0] * d[i]
	}
	return out, nil
}

// normalisedPairs are the pairs of groups with each profile's weights
// summing to 1/(profiles with pairs).
func normalisedPairs(groups []ProfilePairs) ([]Pair, error) {
	var pairs []Pair
	n := 0
	for _, g := range groups {
		total := 0.0
		for _, p := range g.Pairs {
			total += p.Weight
		}
		if total == 0 {
			continue
		}
		n++
		for _, p := range g.Pairs {
			pairs = append(pairs, Pair{Diff: p.Diff, Weight: p.Weight / total})
		}
	}
	if n == 0 {
		return nil, errors.New("no profile has two judged results of different grades: nothing to fit")
	}
	for i := range pairs {
		pairs[i].Weight /= float64(n)
	}
	return pairs, nil
}

// PairwiseWeights are matcher.DefaultWeights with the score weights set
// from beta, rescaled to the defaults' sum: the scale of the score
// decides how much the diversity terms, which stay as they are, count.
func PairwiseWeights(beta []float64) (matcher.Weights, error) {
	if len(beta) != len(PairwiseSignals) {
		return matcher.Weights{}, fmt.Errorf("beta has %d weights, want %d", len(beta), len(PairwiseSignals))
	}
	x := WeightVector(matcher.DefaultWeights)
	target, sum := 0.0, 0.0
	for i := range beta {
		target += x[i]
		sum += beta[i]
	}
	if !(sum > 0) {
		return matcher.Weights{}, errors.New("every learned weight is 0: the regularisation is too strong for the pairs")
	}
	for i := range beta {
		x[i] = beta[i] * target / sum
	}
	return WeightsFrom(matcher.DefaultWeights, x), nil
}
