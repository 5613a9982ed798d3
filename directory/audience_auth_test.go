package directory

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// denyEdits lets anyone read but no one edit.
type denyEdits struct{}

func (denyEdits) Authorize(_ context.Context, a access.Action, _ access.Resource) error {
	if a == access.EditService {
		return fault.Forbidden
	}
	return nil
}

// TestSetServiceAudienceAuthorisesFirst: someone who may not edit a
// service learns only that, not what is wrong with their input.
func TestSetServiceAudienceAuthorisesFirst(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	org := &store.Organisation{ID: uuid.New(), Name: "Ashby Carers Centre"}
	if err := st.InsertOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	s := &store.Service{ID: uuid.New(), OrganisationID: org.ID, Name: "Carers' café", Status: store.StatusActive,
		DeliveryModes: []string{}, AccessRoutes: []string{}, Accessibility: []string{}, Languages: []string{}}
	if err := st.InsertService(ctx, s); err != nil {
		t.Fatal(err)
	}
	bad := &AudienceInput{Gender: "woman", Groups: []string{"nonsense"}}
	_, err := New(st, denyEdits{}).SetServiceAudience(ctx, s.ID, s.Version, bad)
	var inv *fault.Invalid
	if !errors.Is(err, fault.Forbidden) || errors.As(err, &inv) {
		t.Fatalf("err %v, want forbidden before any check of the input", err)
	}
	// Someone who may edit it is told what is wrong.
	_, err = New(st, access.Open{}).SetServiceAudience(ctx, s.ID, s.Version, &AudienceInput{Gender: "woman"})
	if !errors.As(err, &inv) || inv.Problems[0].Field != "input.gender" {
		t.Fatalf("err %v, want input.gender invalid", err)
	}
}
