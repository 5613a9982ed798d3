package casework_test

import (
	"context"
	"errors"
	"fmt"
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
