package store_test

import (
	"context"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestLocations(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	org := newOrganisation(t, st, "Ashby Carers Centre")
	l := &store.Location{ID: newID(), OrganisationID: &org.ID, Name: "Bandstand", Postcode: "NE46 3RB", Country: "GB",
		Accessibility: []string{}}
	must(t, st.InsertLocation(ctx, l))

	got, err := st.LocationByID(ctx, l.ID)
	if err != nil || got.Name != "Bandstand" || got.Version != 1 {
		t.Fatalf("LocationByID = %+v, %v", got, err)
	}
	// Locations are versioned by the service that lists them: an update
	// bumps the version without a guard of its own.
	edit := *got
	edit.Name = "The bandstand"
	must(t, st.UpdateLocation(ctx, &edit))
	if got, err := st.LocationByID(ctx, l.ID); err != nil || got.Name != "The bandstand" || got.Version != 2 {
		t.Fatalf("after the update: %+v, %v", got, err)
	}
	if ids, err := st.ServiceIDsAtLocation(ctx, l.ID); err != nil || len(ids) != 0 {
		t.Fatalf("ServiceIDsAtLocation of an unused location = %v, %v", ids, err)
	}
}
