package casework

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// VerificationPeriod is how long a service's details count as verified.
const VerificationPeriod = 12 // months

// Report is an anonymised summary of casework for team leads and
// commissioners. It holds counts and names of services, never anything
// about a person.
type Report struct {
	From, To          time.Time
	ClientsReferred   int
	BySource          []store.KeyCount
	Needs             []store.NeedCount
	ReferralsByStatus []store.KeyCount
	Services          []ServiceStats
	Organisations     []OrganisationStats
	Wellbeing         []WellbeingStats
	// Unverified are services that received referrals in the period but
	// whose details have not been verified for VerificationPeriod months.
	Unverified []ServiceStats
}

// Rates are referral counts with acceptance and attendance rates: accepted
// of those answered, attended of those accepted whose attendance is known.
// A rate is nil when nothing is known yet.
type Rates struct {
	Sent, Answered, Accepted, AttendanceKnown, Attended int
}

// AcceptanceRate is accepted / answered.
func (r Rates) AcceptanceRate() *float64 { return ratio(r.Accepted, r.Answered) }

// AttendanceRate is attended / accepted with known attendance.
func (r Rates) AttendanceRate() *float64 { return ratio(r.Attended, r.AttendanceKnown) }

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	f := float64(a) / float64(b)
	return &f
}

// ServiceStats is one service's referrals.
type ServiceStats struct {
	store.ServiceReferrals
	Rates
}

// OrganisationStats is one organisation's referrals.
type OrganisationStats struct {
	OrganisationID   uuid.UUID
	OrganisationName string
	Rates
}

// WellbeingStats is the mean change from baseline on an instrument over
// the clients with a baseline and a later measure (Pairs).
type WellbeingStats struct {
	Instrument      string
	Pairs           int
	MeanItemChanges []float64
	// MeanTotalChange is for SWEMWBS only.
	MeanTotalChange *float64
}

// Report builds the report for a date range (default: the last 12 months)
// and optionally one team. Link workers see their own teams only.
func (cw *Casework) Report(ctx context.Context, from, to *time.Time, team *uuid.UUID) (*Report, error) {
	id := access.IdentityFrom(ctx)
	res := access.Resource{Kind: "report"}
	if team != nil {
		res.TeamID = *team
	}
	if err := cw.policy.Authorize(ctx, access.ReadReports, res); err != nil {
		return nil, err
	}
	now := cw.now()
	scope := store.ReportScope{To: now, From: now.AddDate(-1, 0, 0)}
	if to != nil {
		scope.To = to.AddDate(0, 0, 1) // the whole of the last day
	}
	if from != nil {
		scope.From = *from
	}
	var ps fault.Problems
	if !scope.From.Before(scope.To) {
		ps.Add("from", "must be on or before to")
	}
	if scope.To.Sub(scope.From) > 10*366*24*time.Hour {
		ps.Add("from", "a report covers at most ten years")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	switch {
	case team != nil:
		scope.TeamIDs = []uuid.UUID{*team}
	case id.Role == access.RoleAdmin:
		ids, err := cw.st.AllTeamIDs(ctx)
		if err != nil {
			return nil, err
		}
		scope.TeamIDs = ids
	default:
		scope.TeamIDs = id.Teams
	}
	if len(scope.TeamIDs) == 0 {
		scope.TeamIDs = []uuid.UUID{uuid.Nil}
	}
	rep := &Report{From: scope.From, To: scope.To.AddDate(0, 0, -1)}
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if rep.BySource, err = q.ClientsBySource(ctx, scope); err != nil {
			return err
		}
		for _, k := range rep.BySource {
			rep.ClientsReferred += k.Count
		}
		if rep.Needs, err = q.NeedCounts(ctx, scope); err != nil {
			return err
		}
		if rep.ReferralsByStatus, err = q.ReferralsByStatus(ctx, scope); err != nil {
			return err
		}
		services, err := q.ReferralsByService(ctx, scope)
		if err != nil {
			return err
		}
		rep.summariseServices(services, now)
		ms, err := q.ScopeOutcomes(ctx, scope)
		if err != nil {
			return err
		}
		rep.Wellbeing = summariseWellbeing(ms)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func (rep *Report) summariseServices(services []store.ServiceReferrals, now time.Time) {
	stale := now.AddDate(0, -VerificationPeriod, 0)
	orgs := map[uuid.UUID]int{}
	for _, s := range services {
		st := ServiceStats{ServiceReferrals: s, Rates: Rates{Sent: s.Sent, Answered: s.Answered, Accepted: s.Accepted,
			AttendanceKnown: s.AttendanceKnown, Attended: s.Attended}}
		rep.Services = append(rep.Services, st)
		if s.AssuredDate == nil || s.AssuredDate.Before(stale) {
			rep.Unverified = append(rep.Unverified, st)
		}
		i, ok := orgs[s.OrganisationID]
		if !ok {
			i = len(rep.Organisations)
			orgs[s.OrganisationID] = i
			rep.Organisations = append(rep.Organisations, OrganisationStats{OrganisationID: s.OrganisationID, OrganisationName: s.OrganisationName})
		}
		o := &rep.Organisations[i].Rates
		o.Sent += s.Sent
		o.Answered += s.Answered
		o.Accepted += s.Accepted
		o.AttendanceKnown += s.AttendanceKnown
		o.Attended += s.Attended
	}
}

// summariseWellbeing averages each client's change from baseline.
func summariseWellbeing(ms []store.OutcomeMeasure) []WellbeingStats {
	byClient := map[uuid.UUID][]store.OutcomeMeasure{}
	var order []uuid.UUID
	for _, m := range ms {
		if _, ok := byClient[m.ClientID]; !ok {
			order = append(order, m.ClientID)
		}
		byClient[m.ClientID] = append(byClient[m.ClientID], m)
	}
	stats := map[string]*WellbeingStats{}
	var sums = map[string][]float64{}
	var totals = map[string]float64{}
	for _, c := range order {
		for _, ch := range Changes(byClient[c]) {
			s := stats[ch.Instrument]
			if s == nil {
				s = &WellbeingStats{Instrument: ch.Instrument}
				stats[ch.Instrument] = s
				sums[ch.Instrument] = make([]float64, len(ch.Items))
			}
			s.Pairs++
			for i, d := range ch.Items {
				sums[ch.Instrument][i] += float64(d)
			}
			totals[ch.Instrument] += float64(ch.Total)
		}
	}
	var out []WellbeingStats
	for _, inst := range []string{ONS4, SWEMWBS} {
		s := stats[inst]
		if s == nil {
			continue
		}
		for _, v := range sums[inst] {
			s.MeanItemChanges = append(s.MeanItemChanges, v/float64(s.Pairs))
		}
		if inst == SWEMWBS {
			m := totals[inst] / float64(s.Pairs)
			s.MeanTotalChange = &m
		}
		out = append(out, *s)
	}
	return out
}
