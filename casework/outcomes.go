package casework

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// Kinds of outcome measure.
const (
	Baseline = "BASELINE"
	Review   = "REVIEW"
	Final    = "FINAL"
)

var measureKinds = []string{Baseline, Review, Final}

// OutcomeInput is one completed questionnaire.
type OutcomeInput struct {
	Instrument string
	Kind       string
	Date       time.Time
	Scores     []int
}

// RecordOutcome stores a wellbeing measure for a client.
func (cw *Casework) RecordOutcome(ctx context.Context, client uuid.UUID, in OutcomeInput) (*store.OutcomeMeasure, error) {
	var ps fault.Problems
	in.Instrument = strings.ToUpper(strings.TrimSpace(in.Instrument))
	in.Kind = strings.ToUpper(strings.TrimSpace(in.Kind))
	total, field, problem := ScoreOutcome(in.Instrument, in.Scores)
	if problem != "" {
		ps.Add("input."+field, "%s", problem)
	}
	if !slices.Contains(measureKinds, in.Kind) {
		ps.Add("input.kind", "must be one of %s", strings.Join(measureKinds, ", "))
	}
	if in.Date.IsZero() {
		ps.Add("input.date", "is required")
	} else if in.Date.After(cw.now()) {
		ps.Add("input.date", "is in the future")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	o := &store.OutcomeMeasure{ID: newID(), ClientID: client, Instrument: in.Instrument, Kind: in.Kind,
		Date: in.Date, Scores: in.Scores, Total: total}
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if _, err := cw.clientForEdit(ctx, q, client, ""); err != nil {
			return err
		}
		return q.InsertOutcome(ctx, o)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Outcomes returns a client's measures by instrument and date.
func (cw *Casework) Outcomes(ctx context.Context, c *store.Client) ([]store.OutcomeMeasure, error) {
	return cw.st.Outcomes(ctx, c.ID)
}

// Change is the difference between a client's first baseline and their
// latest later measure on one instrument.
type Change struct {
	Instrument string
	Baseline   store.OutcomeMeasure
	Latest     store.OutcomeMeasure
	// Items is latest minus baseline for each item. For ONS4 the fourth
	// item is anxiety, where a fall is an improvement.
	Items []int
	// Total is latest minus baseline total (SWEMWBS; for ONS4 the sum is
	// not a recognised score and Total is not reported).
	Total int
}

// Changes works out the change from baseline per instrument, from
// measures ordered by instrument and date. An instrument without a
// baseline, or with nothing after it, has no change.
func Changes(ms []store.OutcomeMeasure) []Change {
	var out []Change
	for _, inst := range []string{ONS4, SWEMWBS} {
		var base, latest *store.OutcomeMeasure
		for i := range ms {
			m := &ms[i]
			if m.Instrument != inst {
				continue
			}
			switch {
			case m.Kind == Baseline && base == nil:
				base = m
			case base != nil && m.Kind != Baseline && !m.Date.Before(base.Date):
				latest = m
			}
		}
		if base == nil || latest == nil {
			continue
		}
		c := Change{Instrument: inst, Baseline: *base, Latest: *latest, Total: latest.Total - base.Total}
		for i := range base.Scores {
			c.Items = append(c.Items, latest.Scores[i]-base.Scores[i])
		}
		out = append(out, c)
	}
	return out
}
