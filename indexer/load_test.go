package indexer

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// TestDocumentsCarryTheConfirmedAudience: the organisation's confirmed
// audience reaches the document, where it wins over what the matcher
// derives; a service without one gets none.
func TestDocumentsCarryTheConfirmedAudience(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	org := &store.Organisation{ID: uuid.New(), Name: "Ashby Carers Centre"}
	if err := st.InsertOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	mk := func(name string) *store.Service {
		s := &store.Service{ID: uuid.New(), OrganisationID: org.ID, Name: name, Status: store.StatusActive,
			DeliveryModes: []string{}, AccessRoutes: []string{}, Accessibility: []string{}, Languages: []string{}}
		if err := st.InsertService(ctx, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	confirmed, plain := mk("Carers' café"), mk("Walking group")
	sixty := 60
	confirmed.Audience = &store.Audience{MinimumAge: &sixty, Gender: "men", Groups: []string{"veteran"}}
	if err := st.SetServiceAudience(ctx, confirmed, confirmed.Version); err != nil {
		t.Fatal(err)
	}
	docs, _, err := documents(ctx, st.Queries, []uuid.UUID{confirmed.ID, plain.ID})
	if err != nil || len(docs) != 2 {
		t.Fatalf("documents: %d, %v", len(docs), err)
	}
	want := matcher.Audience{MinimumAge: &sixty, Gender: matcher.GenderMen, Groups: []string{"veteran"}}
	for _, d := range docs {
		switch d.ID {
		case confirmed.ID.String():
			if d.ConfirmedAudience == nil || !reflect.DeepEqual(*d.ConfirmedAudience, want) {
				t.Errorf("confirmed audience in the document: %+v", d.ConfirmedAudience)
			}
			if got := matcher.DeriveAudience(&d); got.Gender != want.Gender || !reflect.DeepEqual(got.Groups, want.Groups) ||
				got.MinimumAge == nil || *got.MinimumAge != sixty {
				t.Errorf("the organisation's answer does not win: %+v", got)
			}
		case plain.ID.String():
			if d.ConfirmedAudience != nil {
				t.Errorf("a service with no answer has %+v", d.ConfirmedAudience)
			}
		}
	}
}
