package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// TestByIDNotFound: every read of one row by id says ErrNotFound for an id
// that matches nothing, through the context the error carries.
func TestByIDNotFound(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	reads := map[string]func(uuid.UUID) error{
		"OrganisationByID":   func(id uuid.UUID) error { _, err := st.OrganisationByID(ctx, id); return err },
		"ServiceByID":        func(id uuid.UUID) error { _, err := st.ServiceByID(ctx, id); return err },
		"ServiceForUpdate":   func(id uuid.UUID) error { _, err := st.ServiceForUpdate(ctx, id); return err },
		"LocationByID":       func(id uuid.UUID) error { _, err := st.LocationByID(ctx, id); return err },
		"TaxonomyByID":       func(id uuid.UUID) error { _, err := st.TaxonomyByID(ctx, id); return err },
		"TermByID":           func(id uuid.UUID) error { _, err := st.TermByID(ctx, id); return err },
		"AccountByID":        func(id uuid.UUID) error { _, err := st.AccountByID(ctx, id); return err },
		"TeamByID":           func(id uuid.UUID) error { _, err := st.TeamByID(ctx, id); return err },
		"APITokenByID":       func(id uuid.UUID) error { _, err := st.APITokenByID(ctx, id); return err },
		"ClientByID":         func(id uuid.UUID) error { _, err := st.ClientByID(ctx, id); return err },
		"ClientForUpdate":    func(id uuid.UUID) error { _, err := st.ClientForUpdate(ctx, id); return err },
		"GoalByID":           func(id uuid.UUID) error { _, err := st.GoalByID(ctx, id); return err },
		"ClientSessionByID":  func(id uuid.UUID) error { _, err := st.ClientSessionByID(ctx, id); return err },
		"ReferralByID":       func(id uuid.UUID) error { _, err := st.ReferralByID(ctx, id); return err },
		"ServiceAtLocation":  func(id uuid.UUID) error { _, err := st.ServiceAtLocationByID(ctx, id); return err },
		"TeamMember(nobody)": func(id uuid.UUID) error { _, err := st.TeamMember(ctx, id, id); return err },
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			if err := read(newID()); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("%v, want ErrNotFound", err)
			}
		})
	}
}
