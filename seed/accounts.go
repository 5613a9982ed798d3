package seed

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/store"
)

// Credential is a demo sign-in.
type Credential struct {
	Role     access.Role
	Email    string
	Password string
	What     string
}

// Demo accounts, one per role.
const (
	DemoAdmin      = "admin@demo.signpost.example"
	DemoLinkWorker = "linkworker@demo.signpost.example"
	DemoPartner    = "partner@demo.signpost.example"
	demoTeam       = "Burn Lane Medical Practice"
	demoPartnerOrg = "Ashbridge Carers Centre"
)

// DemoAccounts makes sure the demo's admin, link worker and partner exist
// and gives them fresh random passwords, returned for printing. Only the
// demo calls it: real accounts are never given printed passwords.
func DemoAccounts(ctx context.Context, st *store.Store, svc *access.Service) ([]Credential, error) {
	orgs, err := st.OrganisationsPage(ctx, store.OrganisationFilter{Text: demoPartnerOrg}, nil, 1)
	if err != nil || len(orgs) == 0 {
		return nil, fmt.Errorf("the demo organisation %q is missing: %v", demoPartnerOrg, err)
	}
	org := orgs[0].ID
	team, err := st.TeamByName(ctx, demoTeam)
	if errors.Is(err, store.ErrNotFound) {
		team = &store.Team{ID: newUUID(), Name: demoTeam}
		err = st.InsertTeam(ctx, team)
	}
	if err != nil {
		return nil, err
	}
	want := []struct {
		in   access.AccountInput
		what string
	}{
		{access.AccountInput{Email: DemoAdmin, Name: "Demo Administrator", Role: access.RoleAdmin}, "curates the directory, manages accounts"},
		{access.AccountInput{Email: DemoLinkWorker, Name: "Demo Link Worker", Role: access.RoleLinkWorker}, "link worker in " + demoTeam},
		{access.AccountInput{Email: DemoPartner, Name: "Demo Partner", Role: access.RolePartner, OrganisationID: &org}, "edits " + demoPartnerOrg + "'s listings"},
	}
	var out []Credential
	for _, w := range want {
		pw, err := password()
		if err != nil {
			return nil, err
		}
		a, err := st.AccountByEmail(ctx, w.in.Email)
		switch {
		case errors.Is(err, store.ErrNotFound):
			w.in.Password = pw
			if a, err = svc.Bootstrap(ctx, w.in, true); err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		case !a.Demo:
			return nil, fmt.Errorf("%s exists and is not a demo account; not touching it", w.in.Email)
		default:
			if err := svc.ResetPassword(ctx, a.ID, pw); err != nil {
				return nil, err
			}
		}
		if w.in.Role == access.RoleLinkWorker {
			if err := st.AddTeamMember(ctx, team.ID, a.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, Credential{Role: w.in.Role, Email: w.in.Email, Password: pw, What: w.what})
	}
	return out, nil
}

func password() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
