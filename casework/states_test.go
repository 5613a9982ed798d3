package casework_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

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
