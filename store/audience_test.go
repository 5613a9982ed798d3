package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// TestServiceAudience: a confirmed audience is stored as written, guarded
// by the version, survives a full edit of the service, and clears back to
// none (NULL).
func TestServiceAudience(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	org := newOrganisation(t, st, "Ashby Carers Centre")
	svc := newService(t, st, org.ID, "Carers' café")
	if svc.Audience != nil {
		t.Fatalf("a new service has audience %+v", svc.Audience)
	}
	eighteen := 18
	want := &store.Audience{MinimumAge: &eighteen, Gender: "women", Groups: []string{"carer", "dementia"}}
	checkVersionGuard(t, func(expected int) error {
		s := *svc
		s.Audience = want
		return st.SetServiceAudience(ctx, &s, expected)
	}, func() error {
		s := *svc
		s.ID = newID()
		return st.SetServiceAudience(ctx, &s, 1)
	})
	got, err := st.ServiceByID(ctx, svc.ID)
	if err != nil || got.Version != 2 || got.Audience == nil || !reflect.DeepEqual(*got.Audience, *want) {
		t.Fatalf("read back %+v (version %d), %v", got.Audience, got.Version, err)
	}
	got.Description = "Tea and a chat for carers"
	must(t, st.UpdateService(ctx, got, 2))
	if again, _ := st.ServiceByID(ctx, svc.ID); again.Audience == nil || again.Description != got.Description {
		t.Errorf("a service edit lost the confirmed audience: %+v", again.Audience)
	}
	got.Audience = nil
	must(t, st.SetServiceAudience(ctx, got, 3))
	var isNull bool
	must(t, st.DB.NewRaw("SELECT audience IS NULL FROM services WHERE id = ?", svc.ID).Scan(ctx, &isNull))
	if !isNull {
		t.Error("clearing the audience left a value in the column")
	}
}
