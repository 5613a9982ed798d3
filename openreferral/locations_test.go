package openreferral_test

import (
	"context"
	"testing"

	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// TestAChangedLocationReindexesItsServices: a re-import that moves a venue
// queues every service held there for the matching index, though the
// services' own records did not change.
func TestAChangedLocationReindexesItsServices(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	dataset := func(postcode string) *openreferral.Dataset {
		services := []*openreferral.Service{}
		for _, id := range []string{"lunch", "choir"} {
			services = append(services, &openreferral.Service{SourceID: id, OrgSourceID: "hall-trust", Name: "The " + id,
				Status: "active", AcceptingReferrals: true, Locations: []openreferral.ServiceAtLocation{{SourceID: id + "-hall", LocationSourceID: "hall"}}})
		}
		return &openreferral.Dataset{
			Organisations: []*openreferral.Organisation{{SourceID: "hall-trust", Name: "Hall Trust"}},
			Locations:     []*openreferral.Location{{SourceID: "hall", OrgSourceID: "hall-trust", Name: "Village Hall", Postcode: postcode}},
			Services:      services,
		}
	}
	if _, err := openreferral.Import(ctx, st, dataset("NE46 1BG"), openreferral.Options{Source: "halls"}); err != nil {
		t.Fatal(err)
	}
	head, err := st.OutboxHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := openreferral.Import(ctx, st, dataset("NE46 3RB"), openreferral.Options{Source: "halls"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Locations.Updated != 1 || sum.Services.Unchanged != 2 {
		t.Fatalf("re-import: locations %+v, services %+v", sum.Locations, sum.Services)
	}
	queued, err := st.OutboxFrom(ctx, head, 100)
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]bool{}
	for _, e := range queued {
		if e.Entity == store.EntityService {
			services[e.EntityID.String()] = true
		}
	}
	if len(services) != 2 {
		t.Fatalf("the moved hall queued %d services for the index, want both: %+v", len(services), queued)
	}
}
