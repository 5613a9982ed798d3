package access

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// TestAccessInputsAreBounded: names, e-mail addresses and filters an
// administrator types are refused, naming the field, when they are too
// long or hold control or hidden characters; nothing is written.
func TestAccessInputsAreBounded(t *testing.T) {
	s := newSignin(t)
	admin, err := s.st.AccountByEmail(context.Background(), s.email)
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithIdentity(from("192.0.2.1"), &Identity{Kind: ByAccount, AccountID: admin.ID, Label: admin.Email, Role: RoleAdmin})
	org := &store.Organisation{ID: uuid.Must(uuid.NewV7()), Name: "Ashbridge Carers"}
	if err := s.st.InsertOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", 201)
	account := func(email, name string) func() error {
		return func() error {
			_, err := s.svc.CreateAccount(ctx, AccountInput{Email: email, Name: name, Role: RoleLinkWorker, Password: "a long test password 42"})
			return err
		}
	}
	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"account name too long", "input.name", account("lw@test.example", long)},
		{"account name with NUL", "input.name", account("lw@test.example", "Ada\x00")},
		{"e-mail too long", "input.email", account(strings.Repeat("a", 250)+"@test.example", "Ada")},
		{"e-mail with a zero-width space", "input.email", account("lw\u200b@test.example", "Ada")},
		{"e-mail with a right-to-left override", "input.email", account("lw\u202e@test.example", "Ada")},
		{"team name too long", "name", func() error { _, err := s.svc.CreateTeam(ctx, long); return err }},
		{"team name with a control character", "name", func() error { _, err := s.svc.CreateTeam(ctx, "Team\x07"); return err }},
		{"token name too long", "name", func() error { _, _, err := s.svc.CreateAPIToken(ctx, org.ID, strings.Repeat("t", 101)); return err }},
		{"token name with NUL", "name", func() error { _, _, err := s.svc.CreateAPIToken(ctx, org.ID, "t\x00"); return err }},
		{"audit filter too long", "filter.objectType", func() error {
			_, err := s.svc.AuditLog(ctx, store.AuditFilter{ObjectType: strings.Repeat("x", 100_000)}, 0, 10)
			return err
		}},
		{"audit filter with NUL", "filter.action", func() error {
			_, err := s.svc.AuditLog(ctx, store.AuditFilter{Action: "x\x00"}, 0, 10)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var inv *fault.Invalid
			if !errors.As(err, &inv) || !hasField(inv.Problems, tc.field) {
				t.Fatalf("want a problem with %s, got %v", tc.field, err)
			}
		})
	}
	accounts, err := s.st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := s.st.Teams(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := s.st.APITokens(ctx, &org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 1 || len(teams) != 0 || len(tokens) != 0 {
		t.Errorf("refused inputs wrote %d accounts (want 1), %d teams, %d tokens", len(accounts), len(teams), len(tokens))
	}
	// Sane values at the limits are accepted.
	if _, err := s.svc.CreateTeam(ctx, strings.Repeat("b", 200)); err != nil {
		t.Errorf("a 200-character team name: %v", err)
	}
}

func hasField(ps fault.Problems, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}
