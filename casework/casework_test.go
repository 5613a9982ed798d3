package casework_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a directory with two teams, their link workers, partners of two
// organisations and an admin.
type world struct {
	st                *store.Store
	cw                *casework.Casework
	team, otherTeam   uuid.UUID
	worker, outsider  *access.Identity // link workers of team and otherTeam
	partner, stranger *access.Identity // partners of the service's organisation and of another
	admin             *access.Identity
	service, service2 store.Service // of the partner's organisation
	otherOrgsService  store.Service
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st := pgtest.NewStore(t)
	if _, err := seed.Demo(ctx, directory.New(st, access.Open{}), st); err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, cw: casework.New(st, access.NewRolePolicy(st, nil))}
	services, err := st.ServicesPage(ctx, store.ServiceFilter{}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	byOrg := map[uuid.UUID][]store.Service{}
	for _, s := range services {
		byOrg[s.OrganisationID] = append(byOrg[s.OrganisationID], s)
	}
	for _, list := range byOrg {
		if len(list) >= 2 && w.service.ID == uuid.Nil {
			w.service, w.service2 = list[0], list[1]
		}
	}
	for _, s := range services {
		if s.OrganisationID != w.service.OrganisationID {
			w.otherOrgsService = s
			break
		}
	}
	if w.service.ID == uuid.Nil || w.otherOrgsService.ID == uuid.Nil {
		t.Fatal("the demo directory has no organisation with two services")
	}
	account := func(role access.Role, org *uuid.UUID, teams ...uuid.UUID) *access.Identity {
		a := &store.Account{ID: uuid.New(), Email: uuid.NewString() + "@example.org", Name: string(role) + " person",
			Role: string(role), OrganisationID: org, PasswordHash: "-"}
		if err := st.InsertAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		for _, tm := range teams {
			if err := st.AddTeamMember(ctx, tm, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		return &access.Identity{Kind: access.ByAccount, AccountID: a.ID, Label: a.Email, Role: role,
			OrganisationID: org, Teams: teams}
	}
	for _, tm := range []*uuid.UUID{&w.team, &w.otherTeam} {
		team := &store.Team{ID: uuid.New(), Name: "Team " + uuid.NewString()}
		if err := st.InsertTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		*tm = team.ID
	}
	w.worker = account(access.RoleLinkWorker, nil, w.team)
	w.outsider = account(access.RoleLinkWorker, nil, w.otherTeam)
	org, other := w.service.OrganisationID, w.otherOrgsService.OrganisationID
	w.partner = account(access.RolePartner, &org)
	w.stranger = account(access.RolePartner, &other)
	w.admin = account(access.RoleAdmin, nil)
	return w
}

func as(id *access.Identity) context.Context {
	return access.WithIdentity(context.Background(), id)
}

func (w *world) client(t *testing.T, mutate func(*casework.ClientInput)) *store.Client {
	t.Helper()
	dob := time.Date(1958, 3, 14, 0, 0, 0, 0, time.UTC)
	in := casework.ClientInput{TeamID: w.team, FirstName: "Margaret", LastName: "Hall", DateOfBirth: &dob,
		Postcode: "ne46 1bg", NHSNumber: "9434765919", Phone: "01434 600600", ReferralSource: "GP_PRACTICE",
		ReferralDetail: "Burn Lane Medical Practice", ConsentHold: true,
		Needs: []casework.NeedInput{{Need: "loneliness", Priority: 1}, {Need: "mental-wellbeing"}}}
	if mutate != nil {
		mutate(&in)
	}
	c, err := w.cw.CreateClient(as(w.worker), in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func problems(t *testing.T, err error) map[string]string {
	t.Helper()
	var inv *fault.Invalid
	if !errors.As(err, &inv) {
		t.Fatalf("want invalid input, got %v", err)
	}
	out := map[string]string{}
	for _, p := range inv.Problems {
		out[p.Field] = p.Message
	}
	return out
}

func TestNHSNumber(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"943 476 5919", true},
		{"9434765919", true},
		{"401-023-2137", true},
		{"943 476 5918", false}, // wrong check digit
		{"943476591", false},    // nine digits
		{"94347659190", false},  // eleven digits
		{"943476591X", false},
		{"1000000010", false}, // check digit would be 10: never issued
		{"", false},
	} {
		if got := casework.ValidNHSNumber(c.in); got != c.ok {
			t.Errorf("ValidNHSNumber(%q) = %v, want %v", c.in, got, c.ok)
		}
	}
	if got := casework.NormaliseNHSNumber("9434765919"); got != "943 476 5919" {
		t.Errorf("normalised to %q", got)
	}
}

func TestCreateClientResolvesPostcodeAndNeeds(t *testing.T) {
	w := newWorld(t)
	c := w.client(t, nil)
	if c.Postcode != "NE46 1BG" || c.Latitude == nil || *c.Latitude < 54.9 || *c.Latitude > 55 {
		t.Errorf("postcode %q at %v", c.Postcode, c.Latitude)
	}
	if c.NHSNumber != "943 476 5919" || c.Status != casework.StatusOpen || c.Version != 1 {
		t.Errorf("client %+v", c)
	}
	got, err := w.cw.Client(as(w.worker), c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	needs, err := w.cw.Needs(as(w.worker), got)
	if err != nil {
		t.Fatal(err)
	}
	if len(needs) != 2 || needs[0].Need != "loneliness" || needs[0].Priority != 1 || needs[1].Priority != 2 {
		t.Errorf("needs %+v", needs)
	}
}

func TestCreateClientNamesEveryBadFieldAndWritesNothing(t *testing.T) {
	w := newWorld(t)
	future := time.Now().AddDate(1, 0, 0)
	far := 500.0
	in := casework.ClientInput{TeamID: w.team, DateOfBirth: &future, Postcode: "XX1 1XX", NHSNumber: "9434765918",
		Email: "not an address", PreferredContact: "EMAIL", ReferralSource: "GP_PRACTICE", MaxDistanceKm: &far,
		Needs:        []casework.NeedInput{{Need: "unicorns"}, {Need: "debt", Priority: 7}},
		Availability: []store.Availability{{Day: "XX"}, {Day: "MO", From: "10:00", To: "09:00"}}}
	_, err := w.cw.CreateClient(as(w.worker), in)
	ps := problems(t, err)
	for _, f := range []string{"input.firstName", "input.consentHold", "input.dateOfBirth", "input.postcode",
		"input.nhsNumber", "input.email", "input.referralDetail", "input.maxDistanceKm", "input.needs[0].need",
		"input.needs[1].priority", "input.availability[0].day", "input.availability[1].to"} {
		if ps[f] == "" {
			t.Errorf("no problem named %s in %v", f, ps)
		}
	}
	// Another team's client cannot be created by this link worker.
	in = casework.ClientInput{TeamID: w.otherTeam, FirstName: "A", ConsentHold: true, ReferralSource: "SELF",
		PreferredContact: "POST"}
	if _, err := w.cw.CreateClient(as(w.worker), in); !errors.Is(err, fault.Forbidden) {
		t.Errorf("creating in another team: %v", err)
	}
	rows, err := w.cw.Clients(as(w.worker), store.ClientFilter{}, store.Page{First: &ten}, "")
	if err != nil || len(rows.Items) != 0 {
		t.Errorf("after refused creates: %d clients, %v", len(rows.Items), err)
	}
}

func TestOnlyTheTeamAndAdminsWithAReasonSeeAClient(t *testing.T) {
	w := newWorld(t)
	c := w.client(t, nil)
	for name, c2 := range map[string]struct {
		id     *access.Identity
		reason string
		want   error
	}{
		"worker of the team":   {w.worker, "", nil},
		"worker of another":    {w.outsider, "", fault.NotFound},
		"partner":              {w.partner, "", fault.NotFound},
		"admin without reason": {w.admin, "", fault.Forbidden},
		"admin with reason":    {w.admin, "complaint 42", nil},
		"anonymous":            {&access.Identity{Kind: access.Anonymous}, "", fault.Unauthenticated},
	} {
		_, err := w.cw.Client(as(c2.id), c.ID, c2.reason)
		if c2.want == nil && err != nil || c2.want != nil && !errors.Is(err, c2.want) {
			t.Errorf("%s: got %v, want %v", name, err, c2.want)
		}
	}
	// Every read, allowed or not, is in the audit trail.
	entries, err := w.st.AuditPage(context.Background(), store.AuditFilter{ObjectType: "client", ObjectID: c.ID.String(),
		Action: string(access.ReadClient)}, 1<<62, 100)
	if err != nil {
		t.Fatal(err)
	}
	allowed, denied := 0, 0
	for _, e := range entries {
		if e.Outcome == "allowed" {
			allowed++
		} else {
			denied++
		}
	}
	if allowed != 2 || denied != 4 {
		t.Errorf("audit trail has %d allowed and %d denied reads, want 2 and 4", allowed, denied)
	}
	// An administrator with a reason lists every team's clients.
	all, err := w.cw.Clients(as(w.admin), store.ClientFilter{}, store.Page{First: &ten}, "audit of records")
	if err != nil || len(all.Items) != 1 {
		t.Errorf("admin lists %d clients, %v", len(all.Items), err)
	}
	// A partner's list of clients is empty; another team's worker sees none.
	rows, err := w.cw.Clients(as(w.outsider), store.ClientFilter{}, store.Page{First: &ten}, "")
	if err != nil || len(rows.Items) != 0 {
		t.Errorf("outsider lists %d clients, %v", len(rows.Items), err)
	}
	if _, err := w.cw.Clients(as(w.partner), store.ClientFilter{}, store.Page{First: &ten}, ""); !errors.Is(err, fault.Forbidden) {
		t.Errorf("partner listing clients: %v", err)
	}
}

func TestSessionLimit(t *testing.T) {
	w := newWorld(t)
	c := w.client(t, nil)
	ctx := as(w.worker)
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= casework.SessionLimit; i++ {
		s, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: day.AddDate(0, 0, 7*i), Kind: "telephone"})
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		if s.Number != i || s.Episode != 1 || s.Kind != "TELEPHONE" {
			t.Errorf("session %d numbered %d kind %s", i, s.Number, s.Kind)
		}
	}
	_, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: day.AddDate(0, 4, 0), Kind: "VIDEO"})
	if msg := problems(t, err)["input.extensionReason"]; msg == "" {
		t.Fatalf("13th session without a reason: %v", err)
	}
	s, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: day.AddDate(0, 4, 0), Kind: "VIDEO",
		ExtensionReason: "bereavement mid-episode; agreed with team lead"})
	if err != nil || s.Number != 13 {
		t.Fatalf("13th session with a reason: %v", err)
	}
	if s, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: day.AddDate(0, 4, 7), Kind: "VIDEO"}); err != nil || s.Number != 14 {
		t.Fatalf("14th session after the extension: %v", err)
	}
	got, _ := w.cw.Client(ctx, c.ID, "")
	if got.SessionLimitReason == "" {
		t.Error("the extension reason was not kept on the client")
	}
	held, _ := w.cw.Sessions(ctx, got)
	if len(held) != 14 {
		t.Errorf("%d sessions held", len(held))
	}
	// Closing and reopening starts a new episode with a fresh allowance.
	closed, err := w.cw.SetClientStatus(ctx, c.ID, got.Version, casework.StatusClosed, "goals met")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: day, Kind: "VIDEO"}); problems(t, err)["clientId"] == "" {
		t.Errorf("a session for a closed client: %v", err)
	}
	reopened, err := w.cw.SetClientStatus(ctx, c.ID, closed.Version, casework.StatusOpen, "")
	if err != nil || reopened.Episode != 2 || reopened.SessionLimitReason != "" {
		t.Fatalf("reopened: %+v %v", reopened, err)
	}
	for i := 1; i <= casework.SessionLimit; i++ {
		s, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: day.AddDate(1, 0, i), Kind: "VIDEO"})
		if err != nil || s.Episode != 2 || s.Number != i {
			t.Fatalf("episode 2 session %d: %+v %v", i, s, err)
		}
	}
	if _, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: day.AddDate(1, 1, 0), Kind: "VIDEO"}); problems(t, err)["input.extensionReason"] == "" {
		t.Errorf("the 13th session of episode 2 without a reason: %v", err)
	}
	if _, err := w.cw.RecordSession(as(w.outsider), c.ID, casework.SessionInput{Date: day, Kind: "VIDEO"}); !errors.Is(err, fault.NotFound) {
		t.Errorf("another team's session: %v", err)
	}
}

// reach builds a referral in the given state through allowed moves.
func (w *world) reach(t *testing.T, state string) *store.Referral {
	t.Helper()
	c := w.client(t, nil)
	r, err := w.cw.CreateReferral(as(w.worker), casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID, Message: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	path := map[string][]string{
		casework.Draft:        {},
		casework.Sent:         {casework.Sent},
		casework.Accepted:     {casework.Sent, casework.Accepted},
		casework.Declined:     {casework.Sent, casework.Declined},
		casework.Attended:     {casework.Sent, casework.Accepted, casework.Attended},
		casework.DidNotAttend: {casework.Sent, casework.Accepted, casework.DidNotAttend},
		casework.Completed:    {casework.Sent, casework.Accepted, casework.Attended, casework.Completed},
		casework.Withdrawn:    {casework.Withdrawn},
	}[state]
	for _, to := range path {
		if r, err = w.cw.MoveReferral(as(w.mover(to)), r.ID, r.Version, to, "because"); err != nil {
			t.Fatalf("reaching %s, move to %s: %v", state, to, err)
		}
	}
	return r
}

func (w *world) mover(to string) *access.Identity {
	switch to {
	case casework.Sent, casework.Withdrawn:
		return w.worker
	}
	return w.partner
}

func TestReferralStateMachine(t *testing.T) {
	w := newWorld(t)
	allowed := map[[2]string]bool{}
	for _, m := range [][2]string{
		{casework.Draft, casework.Sent}, {casework.Draft, casework.Withdrawn},
		{casework.Sent, casework.Accepted}, {casework.Sent, casework.Declined}, {casework.Sent, casework.Withdrawn},
		{casework.Accepted, casework.Attended}, {casework.Accepted, casework.DidNotAttend}, {casework.Accepted, casework.Withdrawn},
		{casework.Attended, casework.Completed}, {casework.Attended, casework.Withdrawn},
	} {
		allowed[m] = true
	}
	for _, from := range casework.Statuses {
		for _, to := range casework.Statuses {
			t.Run(from+"→"+to, func(t *testing.T) {
				r := w.reach(t, from)
				if allowed[[2]string{from, to}] {
					// The wrong side may not make the move.
					wrong := w.partner
					if w.mover(to) == w.partner {
						wrong = w.worker
					}
					want := fault.Forbidden
					if r.SentAt == nil {
						want = fault.NotFound // a referral never sent is invisible to the partner
					}
					if _, err := w.cw.MoveReferral(as(wrong), r.ID, r.Version, to, "reason"); !errors.Is(err, want) {
						t.Errorf("made by the wrong side: %v", err)
					}
					got, err := w.cw.MoveReferral(as(w.mover(to)), r.ID, r.Version, to, "reason")
					if err != nil {
						t.Fatalf("allowed move refused: %v", err)
					}
					events, _ := w.cw.ReferralEvents(context.Background(), got)
					last := events[len(events)-1]
					if got.Status != to || last.FromStatus != from || last.ToStatus != to || last.Reason != "reason" ||
						last.ActorID == nil || *last.ActorID != w.mover(to).AccountID {
						t.Errorf("after the move: %s, event %+v", got.Status, last)
					}
					return
				}
				for _, who := range []*access.Identity{w.worker, w.partner} {
					_, err := w.cw.MoveReferral(as(who), r.ID, r.Version, to, "reason")
					if r.SentAt == nil && who == w.partner {
						// A draft, or a draft withdrawn, never reached the
						// partner: it is not there to move.
						if !errors.Is(err, fault.NotFound) {
							t.Errorf("the partner moving a referral never sent: %v", err)
						}
						continue
					}
					if msg := problems(t, err)["to"]; msg == "" {
						t.Errorf("refused move by %s: %v", who.Role, err)
					}
				}
			})
		}
	}
}

func TestDeclineNeedsAReasonAndStrangersSeeNothing(t *testing.T) {
	w := newWorld(t)
	r := w.reach(t, casework.Sent)
	if _, err := w.cw.MoveReferral(as(w.partner), r.ID, r.Version, casework.Declined, " "); problems(t, err)["reason"] == "" {
		t.Errorf("decline without a reason: %v", err)
	}
	for _, who := range []*access.Identity{w.stranger, w.outsider} {
		if _, err := w.cw.MoveReferral(as(who), r.ID, r.Version, casework.Accepted, ""); !errors.Is(err, fault.NotFound) {
			t.Errorf("%s moving another's referral: %v", who.Role, err)
		}
		if _, err := w.cw.Referral(as(who), r.ID); !errors.Is(err, fault.NotFound) {
			t.Errorf("%s reading another's referral: %v", who.Role, err)
		}
	}
	draft := w.reach(t, casework.Draft)
	if _, err := w.cw.Referral(as(w.partner), draft.ID); !errors.Is(err, fault.NotFound) {
		t.Errorf("partner reading a draft: %v", err)
	}
	in, err := w.cw.IncomingReferrals(as(w.partner), nil, store.Page{First: &hundred})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Items) != 1 || in.Items[0].ID != r.ID {
		t.Errorf("partner's incoming referrals: %d", len(in.Items))
	}
	if in, err := w.cw.IncomingReferrals(as(w.stranger), nil, store.Page{First: &hundred}); err != nil || len(in.Items) != 0 {
		t.Errorf("stranger's incoming referrals: %d, %v", len(in.Items), err)
	}
}

func TestConcurrentAnswersHaveOneWinner(t *testing.T) {
	w := newWorld(t)
	for round := range 8 {
		r := w.reach(t, casework.Sent)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, to := range []string{casework.Accepted, casework.Declined} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.cw.MoveReferral(as(w.partner), r.ID, r.Version, to, "busy")
			}()
		}
		wg.Wait()
		wins, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, fault.Conflict):
				conflicts++
			default:
				t.Errorf("round %d: %v", round, err)
			}
		}
		if wins != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d wins, %d conflicts", round, wins, conflicts)
		}
		// The database guard on its own, without the service's version
		// check: a write expecting the old version changes nothing.
		stale := *r
		stale.Status = casework.Withdrawn
		err := w.st.MoveReferral(context.Background(), &stale, r.Version, casework.Sent,
			&store.ReferralEvent{ReferralID: r.ID, FromStatus: casework.Sent, ToStatus: casework.Withdrawn})
		if !errors.Is(err, store.ErrVersionMismatch) {
			t.Fatalf("round %d: a stale write to the store: %v", round, err)
		}
		got, _ := w.cw.Referral(as(w.worker), r.ID)
		events, _ := w.cw.ReferralEvents(context.Background(), got)
		if len(events) != 2 {
			t.Errorf("round %d: %d events, want send and one answer", round, len(events))
		}
	}
}

func TestSharingNeedsConsent(t *testing.T) {
	w := newWorld(t)
	c := w.client(t, nil) // no consent to share
	_, err := w.cw.CreateReferral(as(w.worker), casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID, ShareDetails: true})
	if problems(t, err)["input.shareDetails"] == "" {
		t.Errorf("sharing without consent: %v", err)
	}
	r, err := w.cw.CreateReferral(as(w.worker), casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID, Send: true})
	if err != nil || r.Status != casework.Sent || r.SentAt == nil {
		t.Fatalf("sent at once: %+v %v", r, err)
	}
	if _, err := w.cw.CreateReferral(as(w.worker), casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID}); problems(t, err)["input.serviceId"] == "" {
		t.Errorf("a second open referral to the same service: %v", err)
	}
	// The database holds the rule too, for two referrals made at once.
	dup := &store.Referral{ID: uuid.New(), ClientID: c.ID, ServiceID: w.service.ID, OrganisationID: w.service.OrganisationID, Status: casework.Draft}
	if err := w.st.InsertReferral(context.Background(), dup); err == nil {
		t.Error("the database took a second open referral to the same service")
	}
	shared, err := w.cw.Shared(as(w.partner), r)
	if err != nil {
		t.Fatal(err)
	}
	if shared.FirstName != "Margaret" || shared.LastName != "" || shared.Phone != "" || shared.Postcode != "" ||
		shared.LinkWorkerEmail != w.worker.Label {
		t.Errorf("without consent the partner sees %+v", shared)
	}
	c2 := w.client(t, func(in *casework.ClientInput) { in.ConsentShare = true })
	r2, err := w.cw.CreateReferral(as(w.worker), casework.ReferralInput{ClientID: c2.ID, ServiceID: w.service2.ID, ShareDetails: true, Send: true})
	if err != nil {
		t.Fatal(err)
	}
	shared, _ = w.cw.Shared(as(w.partner), r2)
	if shared.LastName != "Hall" || shared.Phone != "01434 600600" {
		t.Errorf("with consent the partner sees %+v", shared)
	}
}

func TestOutcomeScoringAndChange(t *testing.T) {
	for _, c := range []struct {
		inst    string
		scores  []int
		total   int
		problem bool
	}{
		{casework.SWEMWBS, []int{1, 2, 3, 4, 5, 3, 2}, 20, false},
		{casework.SWEMWBS, []int{1, 1, 1, 1, 1, 1, 1}, 7, false},
		{casework.SWEMWBS, []int{5, 5, 5, 5, 5, 5, 5}, 35, false},
		{casework.SWEMWBS, []int{0, 2, 3, 4, 5, 3, 2}, 0, true},
		{casework.SWEMWBS, []int{1, 2, 3}, 0, true},
		{casework.ONS4, []int{0, 10, 5, 7}, 22, false},
		{casework.ONS4, []int{0, 11, 5, 7}, 0, true},
		{"WEMWBS", []int{1}, 0, true},
	} {
		total, _, problem := casework.ScoreOutcome(c.inst, c.scores)
		if total != c.total || (problem != "") != c.problem {
			t.Errorf("%s %v: total %d problem %q", c.inst, c.scores, total, problem)
		}
	}
	w := newWorld(t)
	cl := w.client(t, nil)
	ctx := as(w.worker)
	day := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, in := range []casework.OutcomeInput{
		{Instrument: "swemwbs", Kind: "baseline", Date: day, Scores: []int{2, 2, 2, 2, 2, 2, 2}},
		{Instrument: "ONS4", Kind: "BASELINE", Date: day, Scores: []int{3, 4, 3, 8}},
		{Instrument: "SWEMWBS", Kind: "REVIEW", Date: day.AddDate(0, 1, 0), Scores: []int{3, 3, 2, 2, 3, 3, 2}},
		{Instrument: "SWEMWBS", Kind: "FINAL", Date: day.AddDate(0, 3, 0), Scores: []int{4, 3, 4, 3, 3, 4, 3}},
	} {
		if _, err := w.cw.RecordOutcome(ctx, cl.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.cw.RecordOutcome(ctx, cl.ID, casework.OutcomeInput{Instrument: "SWEMWBS", Kind: "MIDWAY", Date: day.AddDate(1, 0, 0), Scores: []int{9}})
	ps := problems(t, err)
	if ps["input.kind"] == "" || ps["input.scores"] == "" {
		t.Errorf("bad measure: %v", ps)
	}
	ms, err := w.cw.Outcomes(ctx, cl)
	if err != nil || len(ms) != 4 {
		t.Fatalf("%d measures, %v", len(ms), err)
	}
	changes := casework.Changes(ms)
	if len(changes) != 1 {
		t.Fatalf("changes %+v: ONS4 has no follow-up, SWEMWBS has", changes)
	}
	ch := changes[0]
	if ch.Instrument != casework.SWEMWBS || ch.Baseline.Total != 14 || ch.Latest.Total != 24 || ch.Total != 10 ||
		fmt.Sprint(ch.Items) != "[2 1 2 1 1 2 1]" {
		t.Errorf("change %+v", ch)
	}
}

func TestExportAndErase(t *testing.T) {
	w := newWorld(t)
	c := w.client(t, func(in *casework.ClientInput) { in.ConsentShare = true; in.Email = "margaret@example.org" })
	ctx := as(w.worker)
	if _, err := w.cw.AddGoal(ctx, c.ID, casework.GoalInput{Text: "Join a choir by spring", Needs: []string{"loneliness"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.cw.AddGoal(ctx, c.ID, casework.GoalInput{Text: "x", Needs: []string{"debt"}}); problems(t, err)["input.needs[0]"] == "" {
		t.Errorf("a goal for a need the client does not have: %v", err)
	}
	if _, err := w.cw.RecordSession(ctx, c.ID, casework.SessionInput{Date: time.Now(), Kind: "FACE_TO_FACE", Notes: "Talked about her late husband"}); err != nil {
		t.Fatal(err)
	}
	r, err := w.cw.CreateReferral(ctx, casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID, Message: "Margaret sings alto", ShareDetails: true, Send: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.cw.MoveReferral(as(w.partner), r.ID, r.Version, casework.Accepted, "see you Tuesday"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.cw.RecordOutcome(ctx, c.ID, casework.OutcomeInput{Instrument: "ONS4", Kind: "BASELINE", Date: time.Now().AddDate(0, 0, -1), Scores: []int{4, 5, 4, 7}}); err != nil {
		t.Fatal(err)
	}
	x, err := w.cw.ExportClient(ctx, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if x.Client.Email != "margaret@example.org" || len(x.Needs) != 2 || len(x.Goals) != 1 || len(x.Sessions) != 1 ||
		len(x.Referrals) != 1 || len(x.Referrals[0].History) != 2 || x.Referrals[0].ServiceName != w.service.Name ||
		len(x.Outcomes) != 1 || len(x.Audit) == 0 {
		t.Errorf("export: %+v", x)
	}
	if _, err := w.cw.ExportClient(as(w.outsider), c.ID, ""); !errors.Is(err, fault.NotFound) {
		t.Errorf("another team's export: %v", err)
	}

	if _, err := w.cw.EraseClient(ctx, c.ID, " "); problems(t, err)["reason"] == "" {
		t.Errorf("erasing without a reason: %v", err)
	}
	if _, err := w.cw.EraseClient(as(w.partner), c.ID, "asked"); !errors.Is(err, fault.NotFound) {
		t.Errorf("a partner erasing: %v", err)
	}
	erased, err := w.cw.EraseClient(ctx, c.ID, "client's request of 20 November")
	if err != nil {
		t.Fatal(err)
	}
	if erased.FirstName != "" || erased.LastName != "" || erased.DateOfBirth != nil || erased.NHSNumber != "" ||
		erased.Email != "" || erased.Phone != "" || erased.Latitude != nil || erased.Postcode != "NE46" ||
		erased.Status != casework.StatusClosed || erased.ErasedAt == nil {
		t.Errorf("after erasure: %+v", erased)
	}
	x, err = w.cw.ExportClient(ctx, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if x.Goals[0].Text != "" || x.Sessions[0].Notes != "" || x.Referrals[0].Message != "" || x.Referrals[0].History[1].Reason != "" {
		t.Errorf("free text survived erasure: %+v", x)
	}
	// Counts survive: the needs, the referral and its answer, the scores.
	if len(x.Needs) != 2 || x.Referrals[0].Status != casework.Accepted || len(x.Outcomes) != 1 {
		t.Errorf("erasure lost anonymised counts: %+v", x)
	}
	shared, _ := w.cw.Shared(as(w.partner), &x.Referrals[0].Referral)
	if shared.FirstName != "" || shared.Phone != "" {
		t.Errorf("the partner still sees %+v", shared)
	}
	if _, err := w.cw.EraseClient(ctx, c.ID, "again"); problems(t, err)["id"] == "" {
		t.Errorf("erasing twice: %v", err)
	}
	rows, _ := w.cw.Clients(ctx, store.ClientFilter{}, store.Page{First: &ten}, "")
	if len(rows.Items) != 0 {
		t.Errorf("an erased client is still listed")
	}
}

func TestProfileFromTheRecord(t *testing.T) {
	w := newWorld(t)
	km := 3.0
	c := w.client(t, func(in *casework.ClientInput) {
		in.Interests = []string{"singing"}
		in.MaxDistanceKm = &km
		in.FreeOnly = true
		in.Availability = []store.Availability{{Day: "TU", From: "10:00", To: "14:00"}}
	})
	ctx := as(w.worker)
	if _, err := w.cw.AddGoal(ctx, c.ID, casework.GoalInput{Text: "Make friends", Needs: []string{"loneliness"}}); err != nil {
		t.Fatal(err)
	}
	r, err := w.cw.CreateReferral(ctx, casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.cw.MoveReferral(ctx, r.ID, r.Version, casework.Withdrawn, "changed her mind"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.cw.CreateReferral(ctx, casework.ReferralInput{ClientID: c.ID, ServiceID: w.service2.ID, Send: true}); err != nil {
		t.Fatal(err)
	}
	p, exclude, err := w.cw.Profile(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(p.Needs) != "[loneliness mental-wellbeing]" || fmt.Sprint(p.Goals) != "[Make friends]" ||
		p.Age == nil || *p.Age < 60 || p.Location == nil || !p.FreeOnly || *p.MaxDistanceKm != 3 ||
		len(p.Availability) != 1 || p.Availability[0].Day != "TU" || fmt.Sprint(p.Interests) != "[singing]" {
		t.Errorf("profile %+v", p)
	}
	if exclude[w.service.ID] || !exclude[w.service2.ID] {
		t.Errorf("excluded %v: a withdrawn referral frees the service, a sent one does not", exclude)
	}
}

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
