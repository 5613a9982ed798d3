package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/store"
)

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// must fails the test on err: for the setup steps of a test, not for the
// query under test.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkVersionGuard runs a versioned write whose row is at version 1:
// the write expecting 1 succeeds, the same write again (now stale) is
// refused with ErrVersionMismatch, and one for a row that does not exist
// with ErrNotFound.
func checkVersionGuard(t *testing.T, write func(expected int) error, writeMissing func() error) {
	t.Helper()
	if err := write(1); err != nil {
		t.Fatalf("write at the current version: %v", err)
	}
	if err := write(1); !errors.Is(err, store.ErrVersionMismatch) {
		t.Fatalf("stale write: %v, want ErrVersionMismatch", err)
	}
	if err := writeMissing(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("write of a missing row: %v, want ErrNotFound", err)
	}
}

func newOrganisation(t *testing.T, st *store.Store, name string) *store.Organisation {
	t.Helper()
	o := &store.Organisation{ID: newID(), Name: name}
	must(t, st.InsertOrganisation(context.Background(), o))
	return o
}

func newService(t *testing.T, st *store.Store, org uuid.UUID, name string) *store.Service {
	t.Helper()
	s := &store.Service{ID: newID(), OrganisationID: org, Name: name, Status: store.StatusActive,
		DeliveryModes: []string{}, AccessRoutes: []string{}, Accessibility: []string{}, Languages: []string{}}
	must(t, st.InsertService(context.Background(), s))
	return s
}

func newTeam(t *testing.T, st *store.Store, name string) *store.Team {
	t.Helper()
	tm := &store.Team{ID: newID(), Name: name}
	must(t, st.InsertTeam(context.Background(), tm))
	return tm
}

func newAccount(t *testing.T, st *store.Store, email string) *store.Account {
	t.Helper()
	a := &store.Account{ID: newID(), Email: email, Name: "Test account", Role: "LINK_WORKER", PasswordHash: "x"}
	must(t, st.InsertAccount(context.Background(), a))
	return a
}

func newClient(t *testing.T, st *store.Store, team uuid.UUID) *store.Client {
	t.Helper()
	c := &store.Client{ID: newID(), TeamID: team, FirstName: "Test", LastName: "Client", PreferredContact: "PHONE",
		ReferralSource: "SELF", ConsentHold: true, Status: "OPEN", Availability: []store.Availability{},
		Languages: []string{}, Accessibility: []string{}, Interests: []string{}, Episode: 1}
	must(t, st.InsertClient(context.Background(), c))
	return c
}
