package casework_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/casework"
)

// TestCaseworkTextsAndListsAreBounded: what a link worker or partner writes
// through the service is bounded, naming the field, and nothing is written.
func TestCaseworkTextsAndListsAreBounded(t *testing.T) {
	w := newWorld(t)
	c := w.client(t, nil)
	ctx := as(w.worker)

	_, err := w.cw.CreateReferral(ctx, casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID, Message: "Hello\x00"})
	if _, ok := problems(t, err)["input.message"]; !ok {
		t.Errorf("NUL in a referral's message: %v", err)
	}
	_, err = w.cw.CreateReferral(ctx, casework.ReferralInput{ClientID: c.ID, ServiceID: w.service.ID, Message: strings.Repeat("x", bounds.Prose+1)})
	if _, ok := problems(t, err)["input.message"]; !ok {
		t.Errorf("a long message: %v", err)
	}
	r := w.reach(t, casework.Sent)
	_, err = w.cw.MoveReferral(as(w.partner), r.ID, r.Version, casework.Declined, strings.Repeat("x", bounds.Note+1))
	if _, ok := problems(t, err)["reason"]; !ok {
		t.Errorf("a long reason to decline: %v", err)
	}
	_, err = w.cw.SetClientStatus(ctx, c.ID, c.Version, casework.StatusClosed, "moved\x00away")
	if _, ok := problems(t, err)["reason"]; !ok {
		t.Errorf("NUL in a reason to close: %v", err)
	}
	_, err = w.cw.EraseClient(ctx, c.ID, strings.Repeat("x", bounds.Note+1))
	if _, ok := problems(t, err)["reason"]; !ok {
		t.Errorf("a long reason to erase: %v", err)
	}
	_, err = w.cw.AddGoal(ctx, c.ID, casework.GoalInput{Text: "Sleep\x00better"})
	if _, ok := problems(t, err)["input.text"]; !ok {
		t.Errorf("NUL in a goal: %v", err)
	}
	_, err = w.cw.AddGoal(ctx, c.ID, casework.GoalInput{Text: "Sleep better", Needs: make([]string, casework.MaxNeeds+1)})
	if _, ok := problems(t, err)["input.needs"]; !ok {
		t.Errorf("21 needs of a goal: %v", err)
	}
	// Goals: up to MaxGoals, then refused.
	for i := range casework.MaxGoals {
		if _, err := w.cw.AddGoal(ctx, c.ID, casework.GoalInput{Text: fmt.Sprintf("goal %d", i)}); err != nil {
			t.Fatalf("goal %d: %v", i, err)
		}
	}
	_, err = w.cw.AddGoal(ctx, c.ID, casework.GoalInput{Text: "one too many"})
	if _, ok := problems(t, err)["clientId"]; !ok {
		t.Errorf("goal %d: %v", casework.MaxGoals+1, err)
	}
	goals, err := w.cw.Goals(ctx, c)
	if err != nil || len(goals) != casework.MaxGoals {
		t.Errorf("the client has %d goals (%v), want %d", len(goals), err, casework.MaxGoals)
	}
}
