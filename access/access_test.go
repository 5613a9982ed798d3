package access

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
)

func TestDecide(t *testing.T) {
	orgA, orgB, team, other := uuid.New(), uuid.New(), uuid.New(), uuid.New()
	admin := &Identity{Kind: ByAccount, Role: RoleAdmin}
	lw := &Identity{Kind: ByAccount, Role: RoleLinkWorker, Teams: []uuid.UUID{team}}
	pa := &Identity{Kind: ByAccount, Role: RolePartner, OrganisationID: &orgA}
	token := &Identity{Kind: ByToken, Role: RolePartner, OrganisationID: &orgA}
	cases := []struct {
		name string
		id   *Identity
		a    Action
		r    Resource
		want error
	}{
		{"anyone reads the directory", anonymous, ReadDirectory, Resource{}, nil},
		{"anyone matches", anonymous, MatchServices, Resource{}, nil},
		{"anonymous cannot edit", anonymous, EditService, Resource{OrganisationID: orgA}, fault.Unauthenticated},
		{"partner edits own", pa, EditService, Resource{OrganisationID: orgA}, nil},
		{"partner not another's", pa, EditService, Resource{OrganisationID: orgB}, fault.Forbidden},
		{"token edits its org", token, EditService, Resource{OrganisationID: orgA}, nil},
		{"token cannot manage tokens", token, ManageTokens, Resource{OrganisationID: orgA}, fault.Forbidden},
		{"partner manages own tokens", pa, ManageTokens, Resource{OrganisationID: orgA}, nil},
		{"link worker cannot edit", lw, EditService, Resource{OrganisationID: orgA}, fault.Forbidden},
		{"only admin creates organisations", pa, CreateOrganisation, Resource{}, fault.Forbidden},
		{"admin creates organisations", admin, CreateOrganisation, Resource{}, nil},
		// Casework, designed ahead.
		{"link worker reads own team's client", lw, ReadClient, Resource{TeamID: team}, nil},
		{"link worker not another team's client", lw, ReadClient, Resource{TeamID: other}, fault.Forbidden},
		{"admin needs a reason for a client", admin, ReadClient, Resource{TeamID: team}, fault.Forbidden},
		{"admin with a reason", admin, ReadClient, Resource{TeamID: team, Reason: "subject access request"}, nil},
		{"partner never reads clients", pa, ReadClient, Resource{TeamID: team}, fault.Forbidden},
		{"partner reads referrals to its services", pa, ReadReferral, Resource{OrganisationID: orgA}, nil},
		{"partner not referrals to others", pa, ReadReferral, Resource{OrganisationID: orgB}, fault.Forbidden},
		{"partner answers its referrals", pa, AnswerReferral, Resource{OrganisationID: orgA}, nil},
		{"link worker cannot answer referrals", lw, AnswerReferral, Resource{OrganisationID: orgA, TeamID: team}, fault.Forbidden},
	}
	for _, c := range cases {
		err := Decide(c.id, c.a, c.r)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestPasswords(t *testing.T) {
	cheap := PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	h, err := cheap.Hash("correct horse battery staple")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q, %v", h, err)
	}
	if !CheckPassword(h, "correct horse battery staple") || CheckPassword(h, "correct horse battery stapler") {
		t.Fatal("password check is wrong")
	}
	h2, _ := cheap.Hash("correct horse battery staple")
	if h == h2 {
		t.Fatal("hashes are not salted")
	}
	for pw, ok := range map[string]bool{"correct horse battery staple": true, "short": false, "password1234": false,
		"zzzzzzzzzzzzzz": false, "a long passphrase with password in it": true, "jane.doe-is-great": false} {
		if err := CheckStrength(pw, "jane.doe@example.org"); (err == nil) != ok {
			t.Errorf("%q: %v", pw, err)
		}
	}
}
