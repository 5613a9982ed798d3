package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/store"
)

// demoClient is an invented person on the demo link worker's caseload.
type demoClient struct {
	in       casework.ClientInput
	goals    []casework.GoalInput
	sessions int
	// outcomes: instrument, kind, days ago, scores.
	outcomes []casework.OutcomeInput
}

// DemoCasework gives the demo link worker a small caseload: four invented
// clients with needs, goals, sessions and wellbeing measures, and referrals
// in every state, most to the demo partner's organisation so that its
// partner has referrals to answer. It does nothing if the demo team already
// has clients. Every name is invented.
func DemoCasework(ctx context.Context, st *store.Store) (int, error) {
	d, err := newDemoCaseload(ctx, st)
	if err != nil || d == nil {
		return 0, err
	}
	var clients []*store.Client
	for i, p := range d.people() {
		c, err := d.addClient(i, p)
		if err != nil {
			return 0, err
		}
		clients = append(clients, c)
	}
	if err := d.referrals(clients); err != nil {
		return 0, err
	}
	return len(clients), nil
}

// demoCaseload writes the demo caseload as the demo link worker and
// partner would, through casework.
type demoCaseload struct {
	cw                  *casework.Casework
	asWorker, asPartner context.Context
	team, worker        uuid.UUID
	carers              []store.Service // the demo partner's services
	now                 time.Time       // today, at midnight UTC
}

// newDemoCaseload finds the demo team, link worker and partner. It returns
// nil when the team already has clients.
func newDemoCaseload(ctx context.Context, st *store.Store) (*demoCaseload, error) {
	team, err := st.TeamByName(ctx, demoTeam)
	if err != nil {
		return nil, fmt.Errorf("the demo team: %w", err)
	}
	have, err := st.ClientsPage(ctx, store.ClientFilter{TeamIDs: []uuid.UUID{team.ID}}, nil, 1)
	if err != nil || len(have) > 0 {
		return nil, err
	}
	worker, err := st.AccountByEmail(ctx, DemoLinkWorker)
	if err != nil {
		return nil, fmt.Errorf("the demo link worker: %w", err)
	}
	partner, err := st.AccountByEmail(ctx, DemoPartner)
	if err != nil || partner.OrganisationID == nil {
		return nil, fmt.Errorf("the demo partner: %v", err)
	}
	carers, err := st.ServicesPage(ctx, store.ServiceFilter{OrganisationID: partner.OrganisationID}, nil, 50)
	if err != nil || len(carers) == 0 {
		return nil, fmt.Errorf("the demo partner's services: %v", err)
	}
	return &demoCaseload{
		cw: casework.New(st, access.Open{}),
		asWorker: access.WithIdentity(ctx, &access.Identity{Kind: access.ByAccount, AccountID: worker.ID, Label: worker.Email,
			Role: access.RoleLinkWorker, Teams: []uuid.UUID{team.ID}}),
		asPartner: access.WithIdentity(ctx, &access.Identity{Kind: access.ByAccount, AccountID: partner.ID, Label: partner.Email,
			Role: access.RolePartner, OrganisationID: partner.OrganisationID}),
		team: team.ID, worker: worker.ID, carers: carers, now: time.Now().UTC().Truncate(24 * time.Hour),
	}, nil
}

func (d *demoCaseload) daysAgo(n int) time.Time { return d.now.AddDate(0, 0, -n) }

func dob(y int, m time.Month, day int) *time.Time {
	t := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return &t
}

// people are the invented clients, with what happened to them.
func (d *demoCaseload) people() []demoClient {
	return []demoClient{
		{in: casework.ClientInput{FirstName: "Eileen", LastName: "Robson", DateOfBirth: dob(1947, 5, 12), Postcode: "NE46 1DQ",
			NHSNumber: "943 476 5919", Phone: "07700 900101", ReferralSource: "GP_PRACTICE", ReferralDetail: "Burn Lane Medical Practice",
			ConsentShare: true, Interests: []string{"singing", "crafts"},
			Availability: []store.Availability{{Day: "TU"}, {Day: "TH", From: "10:00", To: "15:00"}},
			Needs:        []casework.NeedInput{{Need: "carers", Priority: 1}, {Need: "loneliness", Priority: 2}, {Need: "mental-wellbeing", Priority: 3}}},
			goals: []casework.GoalInput{{Text: "Have a couple of hours a week that are just for me", Needs: []string{"carers"}, Progress: 6},
				{Text: "Get back to singing like I used to", Needs: []string{"loneliness"}, Progress: 3}},
			sessions: 6,
			outcomes: []casework.OutcomeInput{{Instrument: "SWEMWBS", Kind: "BASELINE", Date: d.daysAgo(70), Scores: []int{2, 2, 3, 2, 2, 3, 2}},
				{Instrument: "ONS4", Kind: "BASELINE", Date: d.daysAgo(70), Scores: []int{4, 5, 4, 8}},
				{Instrument: "ONS4", Kind: "REVIEW", Date: d.daysAgo(10), Scores: []int{6, 7, 6, 5}},
				{Instrument: "SWEMWBS", Kind: "FINAL", Date: d.daysAgo(10), Scores: []int{3, 3, 4, 3, 3, 4, 3}}}},
		{in: casework.ClientInput{FirstName: "David", LastName: "Charlton", DateOfBirth: dob(1969, 11, 3), Postcode: "NE46 3PU",
			Email: "david.charlton@example.org", PreferredContact: "EMAIL", ReferralSource: "SELF",
			Needs: []casework.NeedInput{{Need: "debt", Priority: 1}, {Need: "carers", Priority: 2}, {Need: "mental-wellbeing", Priority: 2}}},
			goals:    []casework.GoalInput{{Text: "Sort out the council tax arrears before Christmas", Needs: []string{"debt"}, Progress: 2}},
			sessions: 3,
			outcomes: []casework.OutcomeInput{{Instrument: "SWEMWBS", Kind: "BASELINE", Date: d.daysAgo(40), Scores: []int{2, 1, 2, 2, 2, 2, 1}},
				{Instrument: "SWEMWBS", Kind: "REVIEW", Date: d.daysAgo(5), Scores: []int{2, 2, 2, 3, 2, 2, 2}}}},
		{in: casework.ClientInput{FirstName: "Priya", LastName: "Shah", DateOfBirth: dob(1988, 2, 20), Postcode: "NE46 2BA",
			Phone: "07700 900303", PreferredContact: "TEXT", ReferralSource: "GP_PRACTICE", ReferralDetail: "A84013", ConsentShare: true,
			Needs: []casework.NeedInput{{Need: "carers", Priority: 1}, {Need: "family-and-relationships", Priority: 2}}},
			goals:    []casework.GoalInput{{Text: "Find something my son enjoys that gives us both a break", Needs: []string{"carers", "family-and-relationships"}}},
			sessions: 2,
			outcomes: []casework.OutcomeInput{{Instrument: "SWEMWBS", Kind: "BASELINE", Date: d.daysAgo(20), Scores: []int{3, 2, 3, 3, 2, 3, 3}}}},
		{in: casework.ClientInput{FirstName: "Tom", LastName: "Armstrong", DateOfBirth: dob(1955, 8, 30), Postcode: "NE46 1JA",
			Phone: "01434 600909", ReferralSource: "OTHER", ReferralDetail: "Community nurse", RemoteOK: false,
			Needs: []casework.NeedInput{{Need: "bereavement", Priority: 1}, {Need: "loneliness", Priority: 1}, {Need: "carers", Priority: 3}}},
			goals:    []casework.GoalInput{{Text: "Get out of the house on more days than not", Needs: []string{"loneliness"}, Progress: 1}},
			sessions: 4},
	}
}

// addClient creates a client (the i'th) with goals, sessions and
// outcomes.
func (d *demoCaseload) addClient(i int, p demoClient) (*store.Client, error) {
	p.in.TeamID, p.in.LinkWorkerID, p.in.ConsentHold = d.team, &d.worker, true
	if p.in.PreferredContact == "" {
		p.in.PreferredContact = "PHONE"
	}
	if i != 3 {
		p.in.RemoteOK = true
	}
	c, err := d.cw.CreateClient(d.asWorker, p.in)
	if err != nil {
		return nil, fmt.Errorf("demo client %s: %w", p.in.FirstName, err)
	}
	for _, g := range p.goals {
		if _, err := d.cw.AddGoal(d.asWorker, c.ID, g); err != nil {
			return nil, fmt.Errorf("demo goal: %w", err)
		}
	}
	for n := 0; n < p.sessions; n++ {
		held := n < p.sessions-1
		kind := []string{"FACE_TO_FACE", "TELEPHONE", "HOME_VISIT"}[n%3]
		mins := 45
		in := casework.SessionInput{Date: d.daysAgo(7 * (p.sessions - 1 - n)), Kind: kind, DurationMinutes: &mins}
		if held {
			in.Attended = &held
		}
		if _, err := d.cw.RecordSession(d.asWorker, c.ID, in); err != nil {
			return nil, fmt.Errorf("demo session: %w", err)
		}
	}
	for _, o := range p.outcomes {
		if _, err := d.cw.RecordOutcome(d.asWorker, c.ID, o); err != nil {
			return nil, fmt.Errorf("demo outcome: %w", err)
		}
	}
	return c, nil
}

// referrals makes one referral in every state, to the partner's services.
func (d *demoCaseload) referrals(clients []*store.Client) error {
	used := map[uuid.UUID]map[uuid.UUID]bool{}
	for i, path := range [][]string{
		{casework.Sent, casework.Accepted, casework.Attended, casework.Completed},
		{casework.Sent, casework.Declined},
		{casework.Sent, casework.Accepted, casework.Attended},
		{casework.Sent, casework.Accepted, casework.DidNotAttend},
		{casework.Sent, casework.Accepted},
		{casework.Sent},
		{},
		{casework.Sent, casework.Withdrawn},
	} {
		c := clients[i%len(clients)]
		if used[c.ID] == nil {
			used[c.ID] = map[uuid.UUID]bool{}
		}
		var svc store.Service
		for _, s := range d.carers {
			if !used[c.ID][s.ID] {
				svc = s
				break
			}
		}
		used[c.ID][svc.ID] = true
		r, err := d.cw.CreateReferral(d.asWorker, casework.ReferralInput{ClientID: c.ID, ServiceID: svc.ID, ShareDetails: c.ConsentShare,
			Message: fmt.Sprintf("%s would like to come along; I can come to the first session with them.", c.FirstName)})
		if err != nil {
			return fmt.Errorf("demo referral: %w", err)
		}
		for _, to := range path {
			who, why := d.asPartner, ""
			switch to {
			case casework.Sent, casework.Withdrawn:
				who = d.asWorker
			case casework.Declined:
				why = "The group is full until January; we have put them on the waiting list."
			}
			if to == casework.Withdrawn {
				why = "They found a group nearer home."
			}
			if r, err = d.cw.MoveReferral(who, r.ID, r.Version, to, why); err != nil {
				return fmt.Errorf("demo referral to %s: %w", to, err)
			}
		}
	}
	return nil
}
