package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// Session lifetimes: a session ends after IdleTimeout without use, and at
// the latest AbsoluteTimeout after sign-in.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// touchEvery limits writes of last-seen times.
	touchEvery = time.Minute
	// TokenPrefix starts every API token, so leaked ones are recognisable.
	TokenPrefix = "sp_"
)

// ErrBadCredentials is the one answer to a wrong e-mail address, password
// or two-factor code, or a disabled account.
var ErrBadCredentials = fmt.Errorf("the e-mail address, password or code is wrong: %w", fault.Unauthenticated)

// Service manages accounts, teams, sessions, tokens and the audit trail.
type Service struct {
	st     *store.Store
	policy *RolePolicy
	now    func() time.Time
	// hashes bounds concurrent password checks (passwordChecks, shared by
	// the process).
	hashes *hashGate
	// lastPrune is when this process last pruned old sign-in attempts
	// (UnixNano).
	lastPrune atomic.Int64
	// checkPassword is CheckPassword; tests hold it to catch concurrent checks.
	checkPassword func(encoded, password string) bool
	// passwords are the costs new password hashes are made with.
	passwords PasswordParams
	// dummyHash is checked against when no account matches.
	dummyHash func() string
}

// Option configures a Service.
type Option func(*Service)

// WithPasswordParams makes new password hashes with p instead of
// DefaultPasswordParams (tests use cheap ones).
func WithPasswordParams(p PasswordParams) Option {
	return func(s *Service) { s.passwords = p }
}

// NewService returns the access service.
func NewService(st *store.Store, policy *RolePolicy, opts ...Option) *Service {
	s := &Service{st: st, policy: policy, now: time.Now, hashes: passwordChecks, checkPassword: CheckPassword,
		passwords: DefaultPasswordParams()}
	for _, o := range opts {
		o(s)
	}
	s.dummyHash = s.passwords.dummyHash()
	return s
}

// SetClock replaces the clock (tests of expiry and throttling).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func secret() (string, string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	raw := base64.RawURLEncoding.EncodeToString(b)
	return raw, hashSecret(raw), nil
}

func hashSecret(raw string) string {
	h := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(h[:])
}

// Login checks an e-mail address, password and, for accounts with
// two-factor sign-in on, a TOTP code, and starts a session, ending the
// account's other sessions (one session per person). It returns the
// account and the session secret for the cookie.
//
// The attempt is counted as a failure before the password is checked and
// taken back only when it succeeds, so parallel guesses cannot all be
// checked before the throttle sees them; password checks wait for a slot
// of the process's hash gate.
func (s *Service) Login(ctx context.Context, email, password, code string) (*store.Account, string, error) {
	email = strings.TrimSpace(email)
	a, err := s.checkCredentials(ctx, SignIn, email, password, code)
	if err != nil {
		return nil, "", err
	}
	raw, hashed, err := secret()
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	req := RequestFrom(ctx)
	if err := s.st.InsertSessionAlone(ctx, &store.Session{TokenHash: hashed, AccountID: a.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(AbsoluteTimeout), Address: req.Address, UserAgent: truncate(req.UserAgent, 300)}); err != nil {
		return nil, "", err
	}
	if err := s.policy.Record(WithIdentity(ctx, &Identity{Kind: ByAccount, AccountID: a.ID, Label: a.Email, Role: Role(a.Role)}),
		SignIn, "account", a.ID.String(), true, ""); err != nil {
		return nil, "", err
	}
	return a, raw, nil
}

// checkCredentials reserves a throttled attempt for the e-mail address,
// checks the password and, when the account has TOTP on, the code, and
// returns the account. Every failure is ErrBadCredentials or ErrThrottled,
// and is audited as a refusal of action.
func (s *Service) checkCredentials(ctx context.Context, action Action, email, password, code string) (*store.Account, error) {
	keys, err := s.reserveAttempt(ctx, email)
	if err != nil {
		if errors.Is(err, ErrThrottled) {
			return nil, s.refuse(ctx, action, email, "throttled", err)
		}
		return nil, err
	}
	a, err := s.st.AccountByEmail(ctx, email)
	hash := s.dummyHash()
	if err == nil {
		hash = a.PasswordHash
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if gerr := s.hashes.enter(ctx); gerr != nil {
		// Not checked, so not a failure: take the attempt back.
		if rerr := s.releaseAttempt(context.WithoutCancel(ctx), keys); rerr != nil {
			return nil, rerr
		}
		return nil, s.refuse(ctx, action, email, "too many password checks at once", gerr)
	}
	passwordOK := s.checkPassword(hash, password)
	s.hashes.leave()
	if !passwordOK || err != nil || a.DisabledAt != nil {
		return nil, s.refuse(ctx, action, email, "wrong e-mail or password, or disabled", ErrBadCredentials)
	}
	if a.TOTPEnabledAt != nil {
		ok, err := s.useTOTPCode(ctx, a, code)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, s.refuse(ctx, action, email, "wrong or missing two-factor code", ErrBadCredentials)
		}
	}
	return a, s.succeeded(ctx, keys)
}

// refuse audits a refused check of credentials and returns err, or the
// audit trail's failure.
func (s *Service) refuse(ctx context.Context, action Action, email, why string, err error) error {
	if aerr := s.policy.Record(ctx, action, "account", truncate(email, 320), false, why); aerr != nil {
		return fmt.Errorf("audit trail unavailable: %w", aerr)
	}
	return err
}

// useTOTPCode reports whether code is the account's current code, not used
// before, and records its step so that it cannot be used again.
func (s *Service) useTOTPCode(ctx context.Context, a *store.Account, code string) (bool, error) {
	step, ok := verifyTOTP(a.TOTPSecret, code, s.now(), a.TOTPLastStep)
	if !ok {
		return false, nil
	}
	return s.st.UseTOTPStep(ctx, a.ID, step)
}

// Logout ends the session with this secret.
func (s *Service) Logout(ctx context.Context, raw string) error {
	if raw == "" {
		return nil
	}
	if err := s.st.DeleteSession(ctx, hashSecret(raw)); err != nil {
		return err
	}
	return s.policy.Record(ctx, SignOut, "session", "", true, "")
}

// LogoutEverywhere ends every session of the signed-in person, on every
// browser. API tokens have no sessions: revoke the token instead.
func (s *Service) LogoutEverywhere(ctx context.Context) error {
	id := IdentityFrom(ctx)
	if id.Kind != ByAccount {
		return fmt.Errorf("only a person signed in has sessions; revoke a token to stop it: %w", fault.Forbidden)
	}
	if err := s.st.DeleteSessionsOf(ctx, id.AccountID); err != nil {
		return err
	}
	return s.policy.Record(ctx, SignOut, "session", id.AccountID.String(), true, "every session")
}

// SessionIdentity returns who a session cookie belongs to, or nil when the
// session is unknown, expired or its account disabled.
func (s *Service) SessionIdentity(ctx context.Context, raw string) (*Identity, error) {
	hashed := hashSecret(raw)
	sess, err := s.st.SessionByHash(ctx, hashed)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > IdleTimeout {
		return nil, s.st.DeleteSession(ctx, hashed)
	}
	a, err := s.st.AccountByID(ctx, sess.AccountID)
	if err != nil || a.DisabledAt != nil {
		return nil, nil
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.st.TouchSession(ctx, hashed, now); err != nil {
			return nil, err
		}
	}
	return s.identityOf(ctx, a)
}

func (s *Service) identityOf(ctx context.Context, a *store.Account) (*Identity, error) {
	id := &Identity{Kind: ByAccount, AccountID: a.ID, Label: a.Email, Role: Role(a.Role), OrganisationID: a.OrganisationID}
	if id.Role == RoleLinkWorker {
		teams, err := s.st.Teams(ctx, &a.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range teams {
			id.Teams = append(id.Teams, t.ID)
		}
	}
	return id, nil
}

// TokenIdentity returns who an API token speaks for, or nil when it is
// unknown or revoked.
func (s *Service) TokenIdentity(ctx context.Context, raw string) (*Identity, error) {
	if !strings.HasPrefix(raw, TokenPrefix) {
		return nil, nil
	}
	t, err := s.st.APITokenByHash(ctx, hashSecret(strings.TrimPrefix(raw, TokenPrefix)))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil || t.RevokedAt != nil {
		return nil, err
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		if err := s.st.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	org := t.OrganisationID
	return &Identity{Kind: ByToken, AccountID: t.ID, Label: "token " + t.Name, Role: RolePartner, OrganisationID: &org}, nil
}

// Me returns the signed-in account, or nil.
func (s *Service) Me(ctx context.Context) (*store.Account, error) {
	id := IdentityFrom(ctx)
	if id.Kind != ByAccount {
		return nil, nil
	}
	a, err := s.st.AccountByID(ctx, id.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return a, err
}

// AccountInput is an account as an admin edits it. Password may be empty
// on update to keep the current one.
type AccountInput struct {
	Email          string
	Name           string
	Role           Role
	OrganisationID *uuid.UUID
	Password       string
}

func (s *Service) checkAccount(ctx context.Context, in *AccountInput, creating bool, self *uuid.UUID) error {
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	var ps fault.Problems
	if !bounds.CheckAddress(&ps, "input.email", in.Email, bounds.Email) {
		// Too long or holding hidden characters: not looked up.
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		ps.Add("input.email", "%q is not an e-mail address", in.Email)
	} else if other, err := s.st.AccountByEmail(ctx, in.Email); err == nil && (self == nil || other.ID != *self) {
		ps.Add("input.email", "another account has this e-mail address")
	}
	bounds.CheckLine(&ps, "input.name", in.Name, bounds.Name)
	switch in.Role {
	case RoleAdmin, RoleLinkWorker:
		if in.OrganisationID != nil {
			ps.Add("input.organisationId", "only partners belong to an organisation")
		}
	case RolePartner:
		if in.OrganisationID == nil {
			ps.Add("input.organisationId", "a partner needs the organisation they speak for")
		} else if _, err := s.st.OrganisationByID(ctx, *in.OrganisationID); err != nil {
			ps.Add("input.organisationId", "no organisation has this id")
		}
	default:
		ps.Add("input.role", "%q is not ADMIN, LINK_WORKER or PARTNER", in.Role)
	}
	if creating || in.Password != "" {
		if err := CheckStrength(in.Password, in.Email); err != nil {
			ps.Add("input.password", "%s", strings.TrimPrefix(err.Error(), ErrWeakPassword.Error()+": "))
		}
	}
	return ps.Err()
}

// CreateAccount adds an account (admins only, or bootstrapping with no
// caller check from the command line through Bootstrap).
func (s *Service) CreateAccount(ctx context.Context, in AccountInput) (*store.Account, error) {
	if err := s.policy.Authorize(ctx, ManageAccounts, Resource{Kind: "account"}); err != nil {
		return nil, err
	}
	return s.createAccount(ctx, in, false)
}

// Bootstrap creates an account without a caller: for `signpost admin
// create` on the server itself. It is audited as the command line.
func (s *Service) Bootstrap(ctx context.Context, in AccountInput, demo bool) (*store.Account, error) {
	return s.createAccount(WithRequest(ctx, Request{Address: "command line"}), in, demo)
}

func (s *Service) createAccount(ctx context.Context, in AccountInput, demo bool) (*store.Account, error) {
	if err := s.checkAccount(ctx, &in, true, nil); err != nil {
		return nil, err
	}
	hash, err := s.passwords.Hash(in.Password)
	if err != nil {
		return nil, err
	}
	a := &store.Account{ID: uuid.Must(uuid.NewV7()), Email: in.Email, Name: in.Name, Role: string(in.Role),
		OrganisationID: in.OrganisationID, PasswordHash: hash, Demo: demo}
	if err := s.st.InsertAccount(ctx, a); err != nil {
		return nil, err
	}
	return a, s.policy.Record(ctx, ManageAccounts, "account", a.ID.String(), true, "created "+a.Email)
}

// UpdateAccount replaces an account's details if version is current.
func (s *Service) UpdateAccount(ctx context.Context, id uuid.UUID, version int, in AccountInput) (*store.Account, error) {
	if err := s.policy.Authorize(ctx, ManageAccounts, Resource{Kind: "account", ID: id}); err != nil {
		return nil, err
	}
	cur, err := s.st.AccountByID(ctx, id)
	if err != nil {
		return nil, store.Fault(err, "account", id)
	}
	if err := s.checkAccount(ctx, &in, false, &id); err != nil {
		return nil, err
	}
	cur.Email, cur.Name, cur.Role, cur.OrganisationID = in.Email, in.Name, string(in.Role), in.OrganisationID
	if in.Password != "" {
		if cur.PasswordHash, err = s.passwords.Hash(in.Password); err != nil {
			return nil, err
		}
	}
	if err := s.st.UpdateAccount(ctx, cur, version); err != nil {
		return nil, store.Fault(err, "account", id)
	}
	if in.Password != "" {
		err = s.st.DeleteSessionsOf(ctx, id)
	}
	return cur, err
}

// DisableAccount stops an account signing in and ends its sessions.
func (s *Service) DisableAccount(ctx context.Context, id uuid.UUID, version int) (*store.Account, error) {
	if err := s.policy.Authorize(ctx, ManageAccounts, Resource{Kind: "account", ID: id}); err != nil {
		return nil, err
	}
	cur, err := s.st.AccountByID(ctx, id)
	if err != nil {
		return nil, store.Fault(err, "account", id)
	}
	now := s.now()
	cur.DisabledAt = &now
	if err := s.st.UpdateAccount(ctx, cur, version); err != nil {
		return nil, store.Fault(err, "account", id)
	}
	return cur, s.st.DeleteSessionsOf(ctx, id)
}

// Accounts lists every account (admins).
func (s *Service) Accounts(ctx context.Context) ([]store.Account, error) {
	if err := s.policy.Authorize(ctx, ManageAccounts, Resource{Kind: "account"}); err != nil {
		return nil, err
	}
	return s.st.Accounts(ctx)
}

// Teams lists teams: all for admins, their own for link workers.
func (s *Service) Teams(ctx context.Context) ([]store.Team, error) {
	if err := s.policy.Authorize(ctx, ReadTeams, Resource{Kind: "team"}); err != nil {
		return nil, err
	}
	id := IdentityFrom(ctx)
	if id.Role == RoleAdmin {
		return s.st.Teams(ctx, nil)
	}
	return s.st.Teams(ctx, &id.AccountID)
}

// CreateTeam adds a team.
func (s *Service) CreateTeam(ctx context.Context, name string) (*store.Team, error) {
	if err := s.policy.Authorize(ctx, ManageTeams, Resource{Kind: "team"}); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	var ps fault.Problems
	if bounds.CheckLine(&ps, "name", name, bounds.Name) && name == "" {
		ps.Add("name", "must not be empty")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if _, err := s.st.TeamByName(ctx, name); err == nil {
		return nil, fault.InvalidField("name", "a team is already called %q", name)
	}
	t := &store.Team{ID: uuid.Must(uuid.NewV7()), Name: name}
	return t, s.st.InsertTeam(ctx, t)
}

// SetTeamMember adds or removes a link worker.
func (s *Service) SetTeamMember(ctx context.Context, team, account uuid.UUID, member bool) (*store.Team, error) {
	if err := s.policy.Authorize(ctx, ManageTeams, Resource{Kind: "team", ID: team}); err != nil {
		return nil, err
	}
	t, err := s.st.TeamByID(ctx, team)
	if err != nil {
		return nil, store.Fault(err, "team", team)
	}
	a, err := s.st.AccountByID(ctx, account)
	if err != nil {
		return nil, fault.InvalidField("accountId", "no account has this id")
	}
	if member && Role(a.Role) != RoleLinkWorker {
		return nil, fault.InvalidField("accountId", "only link workers belong to teams")
	}
	if member {
		err = s.st.AddTeamMember(ctx, team, account)
	} else {
		err = s.st.RemoveTeamMember(ctx, team, account)
	}
	return t, err
}

// MaxTokenName is the longest name an API token may have, in characters.
const MaxTokenName = 100

// CreateAPIToken issues a token for an organisation, returning it and its
// secret, which is shown once and stored only as a hash.
func (s *Service) CreateAPIToken(ctx context.Context, org uuid.UUID, name string) (*store.APIToken, string, error) {
	if err := s.policy.Authorize(ctx, ManageTokens, Resource{Kind: "api_token", OrganisationID: org}); err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	var ps fault.Problems
	if bounds.CheckLine(&ps, "name", name, MaxTokenName) && name == "" {
		ps.Add("name", "give the token a name of 1 to %d characters", MaxTokenName)
	}
	if err := ps.Err(); err != nil {
		return nil, "", err
	}
	if _, err := s.st.OrganisationByID(ctx, org); err != nil {
		return nil, "", fault.InvalidField("organisationId", "no organisation has this id")
	}
	raw, hashed, err := secret()
	if err != nil {
		return nil, "", err
	}
	id := IdentityFrom(ctx)
	creator := id.AccountID
	t := &store.APIToken{ID: uuid.Must(uuid.NewV7()), Name: name, TokenHash: hashed, OrganisationID: org,
		Scope: "directory:write", CreatedBy: &creator}
	if err := s.st.InsertAPIToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, TokenPrefix + raw, nil
}

// RevokeAPIToken revokes a token. Another organisation's token looks the
// same as a missing one.
func (s *Service) RevokeAPIToken(ctx context.Context, id uuid.UUID) (*store.APIToken, error) {
	t, err := s.st.APITokenByID(ctx, id)
	if err != nil {
		return nil, store.Fault(err, "token", id)
	}
	if err := s.policy.Authorize(ctx, ManageTokens, Resource{Kind: "api_token", ID: id, OrganisationID: t.OrganisationID}); err != nil {
		if errors.Is(err, fault.Forbidden) && IdentityFrom(ctx).Role == RolePartner {
			return nil, store.Fault(store.ErrNotFound, "token", id)
		}
		return nil, err
	}
	return s.st.RevokeAPIToken(ctx, id)
}

// APITokens lists tokens: an organisation's, or all for admins.
func (s *Service) APITokens(ctx context.Context, org *uuid.UUID) ([]store.APIToken, error) {
	id := IdentityFrom(ctx)
	if org == nil && id.Role == RolePartner && id.OrganisationID != nil {
		org = id.OrganisationID
	}
	r := Resource{Kind: "api_token"}
	if org != nil {
		r.OrganisationID = *org
	}
	if err := s.policy.Authorize(ctx, ManageTokens, r); err != nil {
		return nil, err
	}
	return s.st.APITokens(ctx, org)
}

// AuditLog pages through the audit trail, newest first (admins).
func (s *Service) AuditLog(ctx context.Context, f store.AuditFilter, before int64, limit int) ([]store.AuditEntry, error) {
	if err := s.policy.Authorize(ctx, ReadAudit, Resource{Kind: "audit"}); err != nil {
		return nil, err
	}
	var ps fault.Problems
	for _, t := range []struct{ field, v string }{{"filter.objectType", f.ObjectType}, {"filter.objectId", f.ObjectID},
		{"filter.outcome", f.Outcome}, {"filter.action", f.Action}} {
		bounds.CheckLine(&ps, t.field, t.v, bounds.Line)
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return s.st.AuditPage(ctx, f, before, limit)
}

// Record writes an audit entry for the caller (e.g. a refused field).
func (s *Service) Record(ctx context.Context, a Action, objectType string, allowed bool, reason string) error {
	return s.policy.Record(ctx, a, objectType, "", allowed, reason)
}

// ResetPassword sets a new password (demo accounts, command line).
func (s *Service) ResetPassword(ctx context.Context, id uuid.UUID, password string) error {
	hash, err := s.passwords.Hash(password)
	if err != nil {
		return err
	}
	if err := s.st.SetPassword(ctx, id, hash); err != nil {
		return err
	}
	return s.st.DeleteSessionsOf(ctx, id)
}
