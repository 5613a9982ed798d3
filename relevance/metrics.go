package relevance

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// NDCG is nDCG at TopK of a ranking: gain = grade, discount log2(rank+1),
// the ideal from every service judged for the profile by any system.
// Unjudged services count as grade 0; a profile with nothing graded above
// 0 scores 0.
func NDCG(ranked []string, grades map[string]int) float64 {
	dcg := 0.0
	for i, k := range head(ranked, TopK) {
		dcg += float64(grades[k]) / math.Log2(float64(i)+2)
	}
	all := make([]int, 0, len(grades))
	for _, g := range grades {
		all = append(all, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(all)))
	ideal := 0.0
	for i, g := range head(all, TopK) {
		ideal += float64(g) / math.Log2(float64(i)+2)
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// PrecisionAt5 is the share of the top 5 graded 2 or more (a short list
// counts its missing places as not relevant).
func PrecisionAt5(ranked []string, grades map[string]int) float64 {
	n := 0
	for _, k := range head(ranked, 5) {
		if grades[k] >= 2 {
			n++
		}
	}
	return float64(n) / 5
}

// JudgedAt10 is the share of the top TopK returned that has a judgement
// (1 for an empty list: nothing in it is unjudged). Low values mean the
// other figures are unreliable.
func JudgedAt10(ranked []string, grades map[string]int) float64 {
	top := head(ranked, TopK)
	if len(top) == 0 {
		return 1
	}
	n := 0
	for _, k := range top {
		if _, ok := grades[k]; ok {
			n++
		}
	}
	return float64(n) / float64(len(top))
}

func head[T any](s []T, n int) []T { return s[:min(n, len(s))] }

// Scores are a system's mean metrics over some profiles.
type Scores struct {
	Profiles             int
	NDCG, P5, JudgedAt10 float64
}

// Evaluate ranks each profile with sys and returns the mean metrics.
func Evaluate(ctx context.Context, sys System, entries []Entry, j Judgements) (Scores, error) {
	var s Scores
	for _, e := range entries {
		ranked, err := sys.Rank(ctx, e.Profile)
		if err != nil {
			return Scores{}, fmt.Errorf("%s on %s: %w", sys.Name(), e.ID, err)
		}
		s.NDCG += NDCG(ranked, j[e.ID])
		s.P5 += PrecisionAt5(ranked, j[e.ID])
		s.JudgedAt10 += JudgedAt10(ranked, j[e.ID])
		s.Profiles++
	}
	if s.Profiles > 0 {
		n := float64(s.Profiles)
		s.NDCG, s.P5, s.JudgedAt10 = s.NDCG/n, s.P5/n, s.JudgedAt10/n
	}
	return s, nil
}

// Split returns the held-out and tuning halves of a set's profiles.
func Split(entries []Entry) (heldOut, tuning []Entry) {
	for _, e := range entries {
		if e.HeldOut() {
			heldOut = append(heldOut, e)
		} else {
			tuning = append(tuning, e)
		}
	}
	return heldOut, tuning
}
