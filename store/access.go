package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// Account is a person who signs in.
type Account struct {
	bun.BaseModel `bun:"table:accounts,alias:a"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	Email          string     `bun:"email"`
	Name           string     `bun:"name"`
	Role           string     `bun:"role"`
	OrganisationID *uuid.UUID `bun:"organisation_id,type:uuid"`
	PasswordHash   string     `bun:"password_hash"`
	Demo           bool       `bun:"demo"`
	DisabledAt     *time.Time `bun:"disabled_at"`
	// TOTPSecret is the two-factor secret, pending until TOTPEnabledAt is set.
	TOTPSecret    []byte     `bun:"totp_secret"`
	TOTPEnabledAt *time.Time `bun:"totp_enabled_at"`
	// TOTPLastStep is the last TOTP time step accepted (replays are refused).
	TOTPLastStep int64     `bun:"totp_last_step"`
	Version      int       `bun:"version"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

// Team is a group of link workers, e.g. a GP practice.
type Team struct {
	bun.BaseModel `bun:"table:teams,alias:tm"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	Name      string    `bun:"name"`
	CreatedAt time.Time `bun:"created_at"`
}

type teamMember struct {
	bun.BaseModel `bun:"table:team_members"`

	TeamID    uuid.UUID `bun:"team_id,type:uuid"`
	AccountID uuid.UUID `bun:"account_id,type:uuid"`
}

// Session is a signed-in browser.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	TokenHash  string    `bun:"token_hash,pk"`
	AccountID  uuid.UUID `bun:"account_id,type:uuid"`
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
	Address    string    `bun:"address"`
	UserAgent  string    `bun:"user_agent"`
}

// APIToken is a partner system's credential.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	Name           string     `bun:"name"`
	TokenHash      string     `bun:"token_hash"`
	OrganisationID uuid.UUID  `bun:"organisation_id,type:uuid"`
	Scope          string     `bun:"scope"`
	CreatedBy      *uuid.UUID `bun:"created_by,type:uuid"`
	CreatedAt      time.Time  `bun:"created_at"`
	LastUsedAt     *time.Time `bun:"last_used_at"`
	RevokedAt      *time.Time `bun:"revoked_at"`
}

// AuditEntry is a row of the audit trail.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log" json:"-"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	At         time.Time  `bun:"at" json:"at"`
	ActorKind  string     `bun:"actor_kind" json:"actorKind"`
	ActorID    *uuid.UUID `bun:"actor_id,type:uuid" json:"actorId"`
	Actor      string     `bun:"actor" json:"actor"`
	Action     string     `bun:"action" json:"action"`
	ObjectType string     `bun:"object_type" json:"objectType"`
	ObjectID   string     `bun:"object_id" json:"objectId"`
	Outcome    string     `bun:"outcome" json:"outcome"`
	Reason     string     `bun:"reason" json:"reason"`
	Address    string     `bun:"address" json:"address"`
	UserAgent  string     `bun:"user_agent" json:"userAgent"`
	RequestID  string     `bun:"request_id" json:"requestId"`
}

// AccountByEmail finds an account by e-mail, ignoring case.
func (q Queries) AccountByEmail(ctx context.Context, email string) (_ *Account, err error) {
	defer fault.Wrap(&err, "store.AccountByEmail()")
	a := new(Account)
	err = q.db.NewSelect().Model(a).Where("lower(email) = lower(?)", email).Scan(ctx)
	return a, notFound(err)
}

// AccountByID returns one account.
func (q Queries) AccountByID(ctx context.Context, id uuid.UUID) (_ *Account, err error) {
	defer fault.Wrap(&err, "store.AccountByID(%s)", id)
	a := new(Account)
	err = q.db.NewSelect().Model(a).Where("id = ?", id).Scan(ctx)
	return a, notFound(err)
}

// Accounts lists every account by e-mail.
func (q Queries) Accounts(ctx context.Context) (_ []Account, err error) {
	defer fault.Wrap(&err, "store.Accounts()")
	var out []Account
	err = q.db.NewSelect().Model(&out).OrderExpr("lower(email)").Scan(ctx)
	return out, err
}

// InsertAccount adds an account.
func (q Queries) InsertAccount(ctx context.Context, a *Account) (err error) {
	defer fault.Wrap(&err, "store.InsertAccount(%s)", a.ID)
	_, err = q.db.NewInsert().Model(a).ExcludeColumn("created_at", "updated_at", "version").Returning("*").Exec(ctx)
	return err
}

// UpdateAccount writes an account's editable fields if its version is
// still expected.
func (q Queries) UpdateAccount(ctx context.Context, a *Account, expected int) (err error) {
	defer fault.Wrap(&err, "store.UpdateAccount(%s, %d)", a.ID, expected)
	res, err := q.db.NewUpdate().Model(a).Column("email", "name", "role", "organisation_id", "password_hash", "disabled_at").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", a.ID, expected).Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "accounts", a.ID)
}

// SetPassword replaces an account's password hash.
func (q Queries) SetPassword(ctx context.Context, id uuid.UUID, hash string) (err error) {
	defer fault.Wrap(&err, "store.SetPassword(%s)", id)
	_, err = q.db.NewUpdate().Model((*Account)(nil)).Set("password_hash = ?", hash).Set("updated_at = now()").
		Where("id = ?", id).Exec(ctx)
	return err
}

// InsertTeam adds a team.
func (q Queries) InsertTeam(ctx context.Context, t *Team) (err error) {
	defer fault.Wrap(&err, "store.InsertTeam(%s)", t.ID)
	_, err = q.db.NewInsert().Model(t).ExcludeColumn("created_at").Returning("*").Exec(ctx)
	return err
}

// TeamByID returns one team.
func (q Queries) TeamByID(ctx context.Context, id uuid.UUID) (_ *Team, err error) {
	defer fault.Wrap(&err, "store.TeamByID(%s)", id)
	t := new(Team)
	err = q.db.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	return t, notFound(err)
}

// TeamByName returns one team.
func (q Queries) TeamByName(ctx context.Context, name string) (_ *Team, err error) {
	defer fault.Wrap(&err, "store.TeamByName()")
	t := new(Team)
	err = q.db.NewSelect().Model(t).Where("name = ?", name).Scan(ctx)
	return t, notFound(err)
}

// Teams lists teams by name; with account set, only that account's.
func (q Queries) Teams(ctx context.Context, account *uuid.UUID) (_ []Team, err error) {
	defer fault.Wrap(&err, "store.Teams()")
	var out []Team
	sq := q.db.NewSelect().Model(&out).Order("name")
	if account != nil {
		sq = sq.Where("EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = tm.id AND m.account_id = ?)", *account)
	}
	err = sq.Scan(ctx)
	return out, err
}

// TeamMembers lists the accounts in a team.
func (q Queries) TeamMembers(ctx context.Context, team uuid.UUID) (_ []Account, err error) {
	defer fault.Wrap(&err, "store.TeamMembers(%s)", team)
	var out []Account
	err = q.db.NewSelect().Model(&out).
		Where("EXISTS (SELECT 1 FROM team_members m WHERE m.account_id = a.id AND m.team_id = ?)", team).
		OrderExpr("lower(email)").Scan(ctx)
	return out, err
}

// AddTeamMember puts an account in a team (again is no change).
func (q Queries) AddTeamMember(ctx context.Context, team, account uuid.UUID) (err error) {
	defer fault.Wrap(&err, "store.AddTeamMember(%s, %s)", team, account)
	_, err = q.db.NewInsert().Model(&teamMember{TeamID: team, AccountID: account}).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}

// RemoveTeamMember takes an account out of a team.
func (q Queries) RemoveTeamMember(ctx context.Context, team, account uuid.UUID) (err error) {
	defer fault.Wrap(&err, "store.RemoveTeamMember(%s, %s)", team, account)
	_, err = q.db.NewDelete().Model((*teamMember)(nil)).Where("team_id = ? AND account_id = ?", team, account).Exec(ctx)
	return err
}

// InsertSession adds a session.
func (q Queries) InsertSession(ctx context.Context, s *Session) (err error) {
	defer fault.Wrap(&err, "store.InsertSession()")
	_, err = q.db.NewInsert().Model(s).Exec(ctx)
	return err
}

// SessionByHash returns a session and its account.
func (q Queries) SessionByHash(ctx context.Context, hash string) (_ *Session, err error) {
	defer fault.Wrap(&err, "store.SessionByHash()")
	s := new(Session)
	err = q.db.NewSelect().Model(s).Where("token_hash = ?", hash).Scan(ctx)
	return s, notFound(err)
}

// TouchSession records that a session was used.
func (q Queries) TouchSession(ctx context.Context, hash string, at time.Time) (err error) {
	defer fault.Wrap(&err, "store.TouchSession()")
	_, err = q.db.NewUpdate().Model((*Session)(nil)).Set("last_seen_at = ?", at).Where("token_hash = ?", hash).Exec(ctx)
	return err
}

// DeleteSession ends a session.
func (q Queries) DeleteSession(ctx context.Context, hash string) (err error) {
	defer fault.Wrap(&err, "store.DeleteSession()")
	_, err = q.db.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hash).Exec(ctx)
	return err
}

// DeleteSessionsOf ends every session of an account.
func (q Queries) DeleteSessionsOf(ctx context.Context, account uuid.UUID) (err error) {
	defer fault.Wrap(&err, "store.DeleteSessionsOf(%s)", account)
	_, err = q.db.NewDelete().Model((*Session)(nil)).Where("account_id = ?", account).Exec(ctx)
	return err
}

// InsertAPIToken adds a token.
func (q Queries) InsertAPIToken(ctx context.Context, t *APIToken) (err error) {
	defer fault.Wrap(&err, "store.InsertAPIToken(%s)", t.ID)
	_, err = q.db.NewInsert().Model(t).ExcludeColumn("created_at").Returning("*").Exec(ctx)
	return err
}

// APITokenByHash finds a token by the hash of its secret.
func (q Queries) APITokenByHash(ctx context.Context, hash string) (_ *APIToken, err error) {
	defer fault.Wrap(&err, "store.APITokenByHash()")
	t := new(APIToken)
	err = q.db.NewSelect().Model(t).Where("token_hash = ?", hash).Scan(ctx)
	return t, notFound(err)
}

// APITokenByID returns one token.
func (q Queries) APITokenByID(ctx context.Context, id uuid.UUID) (_ *APIToken, err error) {
	defer fault.Wrap(&err, "store.APITokenByID(%s)", id)
	t := new(APIToken)
	err = q.db.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	return t, notFound(err)
}

// APITokens lists tokens, of one organisation when org is set.
func (q Queries) APITokens(ctx context.Context, org *uuid.UUID) (_ []APIToken, err error) {
	defer fault.Wrap(&err, "store.APITokens()")
	var out []APIToken
	sq := q.db.NewSelect().Model(&out).Order("created_at", "id")
	if org != nil {
		sq = sq.Where("organisation_id = ?", *org)
	}
	err = sq.Scan(ctx)
	return out, err
}

// TouchAPIToken records a token's use.
func (q Queries) TouchAPIToken(ctx context.Context, id uuid.UUID, at time.Time) (err error) {
	defer fault.Wrap(&err, "store.TouchAPIToken(%s)", id)
	_, err = q.db.NewUpdate().Model((*APIToken)(nil)).Set("last_used_at = ?", at).Where("id = ?", id).Exec(ctx)
	return err
}

// RevokeAPIToken marks a token revoked.
func (q Queries) RevokeAPIToken(ctx context.Context, id uuid.UUID) (_ *APIToken, err error) {
	defer fault.Wrap(&err, "store.RevokeAPIToken(%s)", id)
	t := &APIToken{ID: id}
	_, err = q.db.NewUpdate().Model(t).Set("revoked_at = coalesce(revoked_at, now())").WherePK().Returning("*").Exec(ctx)
	return t, notFound(err)
}

// AppendAudit adds a row to the audit trail.
func (q Queries) AppendAudit(ctx context.Context, e *AuditEntry) (err error) {
	defer fault.Wrap(&err, "store.AppendAudit()")
	_, err = q.db.NewInsert().Model(e).ExcludeColumn("id", "at").Returning("id, at").Exec(ctx)
	return err
}

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	ActorID    *uuid.UUID
	ObjectType string
	ObjectID   string
	Outcome    string
	Action     string
}

// AuditPage returns up to limit entries before the given id, newest first.
func (q Queries) AuditPage(ctx context.Context, f AuditFilter, before int64, limit int) (_ []AuditEntry, err error) {
	defer fault.Wrap(&err, "store.AuditPage(%d, %d)", before, limit)
	var out []AuditEntry
	sq := q.db.NewSelect().Model(&out).OrderExpr("id DESC").Limit(int64(limit))
	if before > 0 {
		sq = sq.Where("id < ?", before)
	}
	if f.ActorID != nil {
		sq = sq.Where("actor_id = ?", *f.ActorID)
	}
	if f.ObjectType != "" {
		sq = sq.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		sq = sq.Where("object_id = ?", f.ObjectID)
	}
	if f.Outcome != "" {
		sq = sq.Where("outcome = ?", f.Outcome)
	}
	if f.Action != "" {
		sq = sq.Where("action = ?", f.Action)
	}
	err = sq.Scan(ctx)
	return out, err
}

// AccountsByIDs returns the accounts with these ids.
func (q Queries) AccountsByIDs(ctx context.Context, ids []uuid.UUID) (_ []Account, err error) {
	defer fault.Wrap(&err, "store.AccountsByIDs(%d)", len(ids))
	var out []Account
	err = q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// InsertSessionAlone starts a session and ends every other session of its
// account, in one transaction: one session per person.
func (s *Store) InsertSessionAlone(ctx context.Context, sess *Session) (err error) {
	defer fault.Wrap(&err, "store.InsertSessionAlone()")
	return s.InTx(ctx, func(ctx context.Context, q Queries) error {
		if err := q.DeleteSessionsOf(ctx, sess.AccountID); err != nil {
			return fmt.Errorf("ending older sessions: %w", err)
		}
		return q.InsertSession(ctx, sess)
	})
}

// ThrottleKey is one key sign-in attempts are counted under, with its
// rule: Free failures are allowed without delay; after that each attempt
// must wait Base·2^(failures−Free) since the last one, at most Cap.
type ThrottleKey struct {
	Kind, Key string
	Free      int
	Base, Cap time.Duration
}

// ReserveAttempt counts one more failed attempt under every key, in one
// transaction, unless some key must still wait: then nothing is counted
// and it returns when the attempt would be allowed. Each key is one INSERT
// ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING, so the check and the
// count are one atomic step: concurrent attempts (on any replica) queue on
// the row and see each other's counts. Counts older than forget start
// again from zero. Keys are locked in the order given, which callers keep
// fixed, so that two attempts cannot deadlock.
func (s *Store) ReserveAttempt(ctx context.Context, keys []ThrottleKey, now time.Time, forget time.Duration) (_ time.Time, _ bool, err error) {
	defer fault.Wrap(&err, "store.ReserveAttempt(%d)", len(keys))
	var retry time.Time
	errWait := errors.New("throttled")
	err = s.InTx(ctx, func(ctx context.Context, q Queries) error {
		for _, k := range keys {
			ok, at, err := q.reserve(ctx, k, now, now.Add(-forget))
			if err != nil {
				return err
			}
			if !ok {
				retry = at
				return errWait
			}
		}
		return nil
	})
	if errors.Is(err, errWait) {
		return retry, false, nil
	}
	return time.Time{}, err == nil, err
}

// reserve counts an attempt under one key if its delay has passed.
func (q Queries) reserve(ctx context.Context, k ThrottleKey, now, forgotten time.Time) (bool, time.Time, error) {
	var failures int
	err := q.db.NewRaw(`INSERT INTO login_throttle AS t (kind, key, failures, last_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (kind, key) DO UPDATE
		SET failures = CASE WHEN t.last_at < ? THEN 1 ELSE t.failures + 1 END, last_at = excluded.last_at
		WHERE t.failures < ? OR t.last_at < ? OR excluded.last_at >= t.last_at + `+delaySQL+`
		RETURNING failures`,
		k.Kind, k.Key, now, forgotten, k.Free, forgotten, k.Free, k.Base.Seconds(), k.Free, k.Cap.Seconds()).Scan(ctx, &failures)
	if err == nil {
		return true, time.Time{}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, fmt.Errorf("counting a sign-in attempt: %w", err)
	}
	var retry time.Time
	err = q.db.NewRaw(`SELECT t.last_at + `+delaySQL+` FROM login_throttle t WHERE kind = ? AND key = ?`,
		k.Free, k.Base.Seconds(), k.Free, k.Cap.Seconds(), k.Kind, k.Key).Scan(ctx, &retry)
	return false, retry, err
}

// delaySQL is how long after t.last_at the next attempt may come, given
// t.failures and the parameters free, base (seconds), free, cap (seconds).
const delaySQL = `(CASE WHEN t.failures < ? THEN interval '0'
	ELSE make_interval(secs => least(? * power(2, least(t.failures - ?, 40)), ?)) END)`

// ReleaseAttempt takes back one attempt counted under a key (it was not a
// failure after all: the sign-in succeeded, or was never checked).
func (q Queries) ReleaseAttempt(ctx context.Context, kind, key string) (err error) {
	defer fault.Wrap(&err, "store.ReleaseAttempt(%q)", kind)
	_, err = q.db.NewRaw(`UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE kind = ? AND key = ?`,
		kind, key).Exec(ctx)
	return err
}

// ResetAttempts forgets every attempt counted under a key.
func (q Queries) ResetAttempts(ctx context.Context, kind, key string) (err error) {
	defer fault.Wrap(&err, "store.ResetAttempts(%q)", kind)
	_, err = q.db.NewRaw(`DELETE FROM login_throttle WHERE kind = ? AND key = ?`, kind, key).Exec(ctx)
	return err
}

// PruneAttempts deletes counts last touched before a time.
func (q Queries) PruneAttempts(ctx context.Context, before time.Time) (_ int64, err error) {
	defer fault.Wrap(&err, "store.PruneAttempts()")
	res, err := q.db.NewRaw(`DELETE FROM login_throttle WHERE last_at < ?`, before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SetTOTPSecret stores a pending TOTP secret for an account that has none
// in force; it reports false when two-factor sign-in is already on.
func (q Queries) SetTOTPSecret(ctx context.Context, account uuid.UUID, secret []byte) (_ bool, err error) {
	defer fault.Wrap(&err, "store.SetTOTPSecret(%s, %d)", account, len(secret))
	res, err := q.db.NewUpdate().Model((*Account)(nil)).Set("totp_secret = ?", secret).Set("totp_last_step = 0").
		Where("id = ? AND totp_enabled_at IS NULL", account).Exec(ctx)
	return affected(res, err)
}

// EnableTOTP puts a pending secret in force, recording the step of the
// code that confirmed it; false when the secret is no longer the pending one.
func (q Queries) EnableTOTP(ctx context.Context, account uuid.UUID, secret []byte, step int64, at time.Time) (_ bool, err error) {
	defer fault.Wrap(&err, "store.EnableTOTP(%s, %d, %d)", account, len(secret), step)
	res, err := q.db.NewUpdate().Model((*Account)(nil)).Set("totp_enabled_at = ?", at).Set("totp_last_step = ?", step).
		Where("id = ? AND totp_enabled_at IS NULL AND totp_secret = ?", account, secret).Exec(ctx)
	return affected(res, err)
}

// UseTOTPStep records that a code of this step was accepted, if no code of
// this or a later step was: false means a replay.
func (q Queries) UseTOTPStep(ctx context.Context, account uuid.UUID, step int64) (_ bool, err error) {
	defer fault.Wrap(&err, "store.UseTOTPStep(%s, %d)", account, step)
	res, err := q.db.NewUpdate().Model((*Account)(nil)).Set("totp_last_step = ?", step).
		Where("id = ? AND totp_enabled_at IS NOT NULL AND totp_last_step < ?", account, step).Exec(ctx)
	return affected(res, err)
}

// DisableTOTP turns two-factor sign-in off and forgets the secret.
func (q Queries) DisableTOTP(ctx context.Context, account uuid.UUID) (err error) {
	defer fault.Wrap(&err, "store.DisableTOTP(%s)", account)
	_, err = q.db.NewUpdate().Model((*Account)(nil)).Set("totp_secret = NULL").Set("totp_enabled_at = NULL").
		Set("totp_last_step = 0").Where("id = ?", account).Exec(ctx)
	return err
}

func affected(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
