package relevance

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/postcodes"
)

// FitSet is one judged set's share of a fit: its directory, the profiles
// the fit may rank (tuning ones only) and the judgements.
type FitSet struct {
	Corpus  *Corpus
	Entries []Entry
	J       Judgements
}

// Objective is the fit's target: mean nDCG@10 over the given profiles,
// each set weighing the same (the mean of the per-set means), whatever
// its number of profiles. It ranks with matcher.Index.Rank directly on
// profiles resolved once, which gives the harness's Matcher rankings
// without a database round trip per profile.
type Objective struct {
	sets []objectiveSet
	now  time.Time

	mu     sync.Mutex
	ranked map[string]int // profile id to times ranked
}

type objectiveSet struct {
	c     *Corpus
	cases []fitCase
}

type fitCase struct {
	id     string
	p      matcher.Profile
	grades map[string]int
}

// NewObjective resolves the profiles of sets. A held-out profile is an
// error: the fit must never see one. So is a set without profiles.
func NewObjective(ctx context.Context, sets []FitSet) (*Objective, error) {
	for _, s := range sets {
		for _, e := range s.Entries {
			if e.HeldOut() {
				return nil, fmt.Errorf("%s: profile %s is held out; the fit sees the tuning half only", s.Corpus.Name, e.ID)
			}
		}
	}
	o := &Objective{now: time.Now(), ranked: map[string]int{}}
	for _, s := range sets {
		if len(s.Entries) == 0 {
			return nil, fmt.Errorf("%s: no profiles to fit on", s.Corpus.Name)
		}
		set := objectiveSet{c: s.Corpus}
		for _, e := range s.Entries {
			p, err := resolve(ctx, s.Corpus, e)
			if err != nil {
				return nil, fmt.Errorf("%s: profile %s: %w", s.Corpus.Name, e.ID, err)
			}
			set.cases = append(set.cases, fitCase{id: e.ID, p: p, grades: s.J[e.ID]})
		}
		o.sets = append(o.sets, set)
	}
	return o, nil
}

// resolve turns a profile's postcode into its place, as the matching
// service does before it ranks.
func resolve(ctx context.Context, c *Corpus, e Entry) (matcher.Profile, error) {
	p := e.Profile.Profile
	if pc := strings.TrimSpace(e.Profile.Postcode); pc != "" {
		pt, err := postcodes.Lookup(ctx, c.Store.Queries, "profile.location.postcode", pc)
		var inv *fault.Invalid
		if errors.As(err, &inv) {
			return p, fmt.Errorf("postcode %q: %w", pc, err)
		}
		if err != nil {
			return p, err
		}
		p.Location = &matcher.Point{Latitude: pt.Latitude, Longitude: pt.Longitude}
	}
	return p, p.Validate()
}

// Score is the objective at w. The profiles are ranked on up to
// GOMAXPROCS goroutines (the index is safe for concurrent ranking); the
// sum is taken in profile order, so the figure does not depend on timing.
func (o *Objective) Score(ctx context.Context, w matcher.Weights) (float64, error) {
	total := 0.0
	for _, s := range o.sets {
		ndcg := make([]float64, len(s.cases))
		errs := make([]error, len(s.cases))
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), len(s.cases)) {
			wg.Go(func() {
				for i := range next {
					ranked, err := o.rank(ctx, s.c, s.cases[i], w)
					ndcg[i], errs[i] = NDCG(ranked, s.cases[i].grades), err
				}
			})
		}
		for i := range s.cases {
			next <- i
		}
		close(next)
		wg.Wait()
		sum := 0.0
		for i, fc := range s.cases {
			if errs[i] != nil {
				return 0, fmt.Errorf("%s: profile %s: %w", s.c.Name, fc.id, errs[i])
			}
			sum += ndcg[i]
		}
		total += sum / float64(len(s.cases))
	}
	return total / float64(len(o.sets)), nil
}

func (o *Objective) rank(ctx context.Context, c *Corpus, fc fitCase, w matcher.Weights) ([]string, error) {
	o.mu.Lock()
	o.ranked[fc.id]++
	o.mu.Unlock()
	ms, err := c.Index.Rank(ctx, fc.p, matcher.Options{Limit: TopK, Now: o.now, Weights: &w})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		if k, ok := c.KeyOf(m.ServiceID); ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// Ranked returns how often each profile was ranked, by id: what the fit
// has seen.
func (o *Objective) Ranked() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]int, len(o.ranked))
	for k, v := range o.ranked {
		out[k] = v
	}
	return out
}

// Fit is the outcome of fitting weights: the fitted weights and the
// objective at them and at the start, and what each start reached.
type Fit struct {
	Weights       matcher.Weights
	Score, Start  float64
	StartsReached []float64
	Evals         int
}

// FitWeights runs coordinate ascent on the objective from start over
// every float64 field of matcher.Weights.
func FitWeights(ctx context.Context, o *Objective, start matcher.Weights, opts AscentOptions) (Fit, error) {
	var firstErr error
	f := func(x []float64) float64 {
		if firstErr != nil {
			return math.Inf(-1)
		}
		s, err := o.Score(ctx, WeightsFrom(start, x))
		if err != nil {
			firstErr = err
			return math.Inf(-1)
		}
		return s
	}
	res := CoordinateAscent(f, WeightVector(start), opts)
	if firstErr != nil {
		return Fit{}, firstErr
	}
	return Fit{Weights: WeightsFrom(start, res.X), Score: res.Score, Start: res.Initial,
		StartsReached: res.Starts, Evals: res.Evals}, nil
}
