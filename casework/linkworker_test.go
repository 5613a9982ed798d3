package casework_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/store"
)

// TestAssignedLinkWorkerIsAnActiveLinkWorkerOfTheTeam: a client's link
// worker must be an active link worker of the client's team; any other
// account, or an unknown id, is refused naming the field, on creation and
// on edit, and nothing is written.
func TestAssignedLinkWorkerIsAnActiveLinkWorkerOfTheTeam(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	leaver := w.teamWorker(t)
	if _, err := w.st.DB.ExecContext(ctx, "UPDATE accounts SET disabled_at = now() WHERE id = ?", leaver); err != nil {
		t.Fatal(err)
	}
	partnerInTeam := w.partner.AccountID
	if err := w.st.AddTeamMember(ctx, w.team, partnerInTeam); err != nil { // even if wrongly put in the team
		t.Fatal(err)
	}
	refused := map[string]uuid.UUID{
		"another team's link worker": w.outsider.AccountID,
		"a partner":                  partnerInTeam,
		"an administrator":           w.admin.AccountID,
		"a disabled link worker":     leaver,
		"an unknown id":              uuid.New(),
	}
	existing := w.client(t, nil)
	for name, id := range refused {
		t.Run(name, func(t *testing.T) {
			in := clientInput(w)
			in.LinkWorkerID = &id
			_, err := w.cw.CreateClient(as(w.worker), in)
			if msg, ok := problems(t, err)["input.linkWorkerId"]; !ok {
				t.Errorf("creating: %v", err)
			} else if msg != "is not an active link worker of the client's team" {
				t.Errorf("creating: %q", msg)
			}
			_, err = w.cw.UpdateClient(as(w.worker), existing.ID, existing.Version, in)
			if _, ok := problems(t, err)["input.linkWorkerId"]; !ok {
				t.Errorf("updating: %v", err)
			}
		})
	}
	c, err := w.cw.Client(as(w.worker), existing.ID, "")
	if err != nil || c.LinkWorkerID != nil || c.Version != existing.Version {
		t.Fatalf("a refused edit changed the client: %+v %v", c, err)
	}
	colleague := w.teamWorker(t)
	in := clientInput(w)
	in.LinkWorkerID = &colleague
	if c, err := w.cw.UpdateClient(as(w.worker), existing.ID, existing.Version, in); err != nil || *c.LinkWorkerID != colleague {
		t.Errorf("assigning a colleague in the team: %v", err)
	}
}

// teamWorker adds a link worker to the world's team, returning its id.
func (w *world) teamWorker(t *testing.T) uuid.UUID {
	t.Helper()
	a := &store.Account{ID: uuid.New(), Email: uuid.NewString() + "@example.org", Name: "Colleague",
		Role: string(access.RoleLinkWorker), PasswordHash: "-"}
	if err := w.st.InsertAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := w.st.AddTeamMember(context.Background(), w.team, a.ID); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func clientInput(w *world) casework.ClientInput {
	return casework.ClientInput{TeamID: w.team, FirstName: "Margaret", LastName: "Hall", Phone: "01434 600600",
		ReferralSource: "SELF", ConsentHold: true}
}
