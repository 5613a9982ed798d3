package casework_test

import (
	"context"
	"errors"
	"github.com/signpost/signpost/store"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/fault"
)

// TestNeverSentReferralsReachNoOneOutsideTheTeam: a draft withdrawn was
// never sent: the receiving partner neither lists nor reads it, and the
// matcher's referral history does not count it as sent.
func TestNeverSentReferralsReachNoOneOutsideTheTeam(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	before, err := w.st.ReferralHistory(ctx, []uuid.UUID{w.service.ID})
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	if len(before) == 1 {
		sent = before[0].Sent
	}
	r := w.reach(t, casework.Withdrawn) // draft → withdrawn
	if r.SentAt != nil {
		t.Fatalf("reached WITHDRAWN by sending: %+v", r)
	}
	in, err := w.cw.IncomingReferrals(as(w.partner), nil, store.Page{First: &hundred})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range in.Items {
		if x.ID == r.ID {
			t.Errorf("the partner lists a referral never sent")
		}
	}
	if _, err := w.cw.Referral(as(w.partner), r.ID); !errors.Is(err, fault.NotFound) {
		t.Errorf("the partner reads a referral never sent: %v", err)
	}
	after, err := w.st.ReferralHistory(ctx, []uuid.UUID{w.service.ID})
	if err != nil || len(after) != 1 || after[0].Sent != sent {
		t.Errorf("referral history after a draft was withdrawn: %+v (%v), want %d sent", after, err, sent)
	}
}
