package casework_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

func TestReportOnAKnownDataSet(t *testing.T) {
	w := newWorld(t)
	l := knownReferrals(t, w)
	t.Run("the team's counts, rates and wellbeing", func(t *testing.T) { reportCounts(t, w, l) })
	t.Run("scope and period", func(t *testing.T) { reportScopeAndPeriod(t, w) })
}

// knownReferrals makes three clients of the worker's team (two lonely, one
// in debt) and one of the other team, refers the three to a loneliness
// service l that is not also for debt, answers the referrals, records
// wellbeing scores, and returns l.
func knownReferrals(t *testing.T, w *world) store.Service {
	t.Helper()
	ctx := context.Background()
	lonely, err := w.st.ServicesPage(ctx, store.ServiceFilter{NeedCodes: []string{"loneliness"}}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	debt, err := w.st.ServicesPage(ctx, store.ServiceFilter{NeedCodes: []string{"debt"}}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var l store.Service
	for _, s := range lonely {
		if !slices.ContainsFunc(debt, func(d store.Service) bool { return d.ID == s.ID }) {
			l = s
			break
		}
	}
	if l.ID == uuid.Nil {
		t.Fatal("no service for loneliness that is not also for debt")
	}
	// The receiving side answers through a policy that lets it.
	open := casework.New(w.st, access.Open{})
	need := func(n string) func(*casework.ClientInput) {
		return func(in *casework.ClientInput) {
			in.Needs = []casework.NeedInput{{Need: n}}
			if n == "debt" {
				in.ReferralSource, in.ReferralDetail = "SELF", ""
			}
		}
	}
	c1 := w.client(t, need("loneliness"))
	c2 := w.client(t, func(in *casework.ClientInput) { need("loneliness")(in); in.ReferralSource = "SELF" })
	c3 := w.client(t, need("debt"))
	other := casework.ClientInput{TeamID: w.otherTeam, FirstName: "Other", ConsentHold: true, ReferralSource: "GP_PRACTICE",
		ReferralDetail: "Elsewhere", PreferredContact: "POST", Needs: []casework.NeedInput{{Need: "loneliness"}}}
	if _, err := w.cw.CreateClient(as(w.outsider), other); err != nil {
		t.Fatal(err)
	}
	refer := func(c *store.Client, moves ...string) {
		r, err := w.cw.CreateReferral(as(w.worker), casework.ReferralInput{ClientID: c.ID, ServiceID: l.ID, Send: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range moves {
			if r, err = open.MoveReferral(as(w.partner), r.ID, r.Version, to, "noted"); err != nil {
				t.Fatal(err)
			}
		}
	}
	refer(c1, casework.Accepted, casework.Attended)
	refer(c2, casework.Declined)
	refer(c3, casework.Accepted, casework.DidNotAttend)
	day := time.Now().AddDate(0, 0, -30)
	for _, m := range []struct {
		c      *store.Client
		kind   string
		scores []int
	}{
		{c1, "BASELINE", []int{2, 2, 2, 2, 2, 2, 2}}, {c1, "FINAL", []int{3, 3, 3, 3, 3, 3, 3}},
		{c2, "BASELINE", []int{3, 3, 3, 3, 3, 3, 2}}, {c2, "REVIEW", []int{3, 3, 3, 3, 4, 4, 3}},
		{c3, "BASELINE", []int{1, 1, 1, 1, 1, 1, 1}},
	} {
		d := day
		if m.kind != "BASELINE" {
			d = day.AddDate(0, 0, 14)
		}
		if _, err := w.cw.RecordOutcome(as(w.worker), m.c.ID, casework.OutcomeInput{Instrument: "SWEMWBS", Kind: m.kind, Date: d, Scores: m.scores}); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func reportCounts(t *testing.T, w *world, l store.Service) {
	rep, err := w.cw.Report(as(w.worker), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ClientsReferred != 3 || fmt.Sprint(rep.BySource) != "[{SELF 2} {GP_PRACTICE 1}]" {
		t.Errorf("clients %d by source %v", rep.ClientsReferred, rep.BySource)
	}
	if fmt.Sprint(rep.Needs) != "[{loneliness 2 1} {debt 1 1}]" {
		t.Errorf("needs %v", rep.Needs)
	}
	if fmt.Sprint(rep.ReferralsByStatus) != "[{ATTENDED 1} {DECLINED 1} {DID_NOT_ATTEND 1}]" {
		t.Errorf("referrals by status %v", rep.ReferralsByStatus)
	}
	if len(rep.Services) != 1 || rep.Services[0].ServiceID != l.ID || rep.Services[0].Rates != (casework.Rates{Sent: 3, Answered: 3, Accepted: 2, AttendanceKnown: 2, Attended: 1}) ||
		*rep.Services[0].AcceptanceRate() != 2.0/3 || *rep.Services[0].AttendanceRate() != 0.5 {
		t.Errorf("services %+v", rep.Services)
	}
	if len(rep.Organisations) != 1 || rep.Organisations[0].OrganisationID != l.OrganisationID || rep.Organisations[0].Sent != 3 {
		t.Errorf("organisations %+v", rep.Organisations)
	}
	stale := l.AssuredDate == nil || l.AssuredDate.Before(time.Now().AddDate(-1, 0, 0))
	if (len(rep.Unverified) == 1) != stale {
		t.Errorf("unverified %+v for a service assured on %v", rep.Unverified, l.AssuredDate)
	}
	if len(rep.Wellbeing) != 1 || rep.Wellbeing[0].Pairs != 2 || *rep.Wellbeing[0].MeanTotalChange != 5 ||
		fmt.Sprint(rep.Wellbeing[0].MeanItemChanges) != "[0.5 0.5 0.5 0.5 1 1 1]" {
		t.Errorf("wellbeing %+v", rep.Wellbeing)
	}
}

func reportScopeAndPeriod(t *testing.T, w *world) {
	// Scope: an administrator may ask for one team; a link worker only theirs.
	rep, err := w.cw.Report(as(w.admin), nil, nil, &w.otherTeam)
	if err != nil || rep.ClientsReferred != 1 || len(rep.Services) != 0 {
		t.Errorf("other team's report: %+v %v", rep, err)
	}
	if rep, err := w.cw.Report(as(w.admin), nil, nil, nil); err != nil || rep.ClientsReferred != 4 {
		t.Errorf("all teams: %v", err)
	}
	if _, err := w.cw.Report(as(w.worker), nil, nil, &w.otherTeam); !errors.Is(err, fault.Forbidden) {
		t.Errorf("a link worker asking for another team: %v", err)
	}
	if _, err := w.cw.Report(as(w.partner), nil, nil, nil); !errors.Is(err, fault.Forbidden) {
		t.Errorf("a partner asking for a report: %v", err)
	}
	// A period before anything happened is empty; a backwards one is refused.
	past, pastEnd := time.Now().AddDate(-2, 0, 0), time.Now().AddDate(-1, -1, 0)
	if rep, err := w.cw.Report(as(w.worker), &past, &pastEnd, nil); err != nil || rep.ClientsReferred != 0 || len(rep.ReferralsByStatus) != 0 {
		t.Errorf("an empty period: %+v %v", rep, err)
	}
	if _, err := w.cw.Report(as(w.worker), &pastEnd, &past, nil); problems(t, err)["from"] == "" {
		t.Errorf("a backwards period: %v", err)
	}
}

// Page sizes the tests ask for: ten, and the largest.
var ten, hundred = 10, store.MaxPageSize
