package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// Availability is when a client is free.
type Availability struct {
	Day  string `json:"day"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Client is a person a link worker supports.
type Client struct {
	bun.BaseModel `bun:"table:clients,alias:c" json:"-"`

	ID                 uuid.UUID      `bun:"id,pk,type:uuid" json:"id"`
	TeamID             uuid.UUID      `bun:"team_id,type:uuid" json:"teamId"`
	LinkWorkerID       *uuid.UUID     `bun:"link_worker_id,type:uuid" json:"linkWorkerId"`
	FirstName          string         `bun:"first_name" json:"firstName"`
	LastName           string         `bun:"last_name" json:"lastName"`
	DateOfBirth        *time.Time     `bun:"date_of_birth,type:date" json:"dateOfBirth"`
	Postcode           string         `bun:"postcode" json:"postcode"`
	Latitude           *float64       `bun:"latitude" json:"latitude"`
	Longitude          *float64       `bun:"longitude" json:"longitude"`
	NHSNumber          string         `bun:"nhs_number" json:"nhsNumber"`
	Email              string         `bun:"email" json:"email"`
	Phone              string         `bun:"phone" json:"phone"`
	PreferredContact   string         `bun:"preferred_contact" json:"preferredContact"`
	ReferralSource     string         `bun:"referral_source" json:"referralSource"`
	ReferralDetail     string         `bun:"referral_detail" json:"referralDetail"`
	ConsentHold        bool           `bun:"consent_hold" json:"consentHold"`
	ConsentShare       bool           `bun:"consent_share" json:"consentShare"`
	Status             string         `bun:"status" json:"status"`
	ClosedReason       string         `bun:"closed_reason" json:"closedReason"`
	Availability       []Availability `bun:"availability,type:jsonb" json:"availability"`
	MaxDistanceKm      *float64       `bun:"max_distance_km" json:"maxDistanceKm"`
	RemoteOK           bool           `bun:"remote_ok" json:"remoteOk"`
	FreeOnly           bool           `bun:"free_only" json:"freeOnly"`
	Languages          []string       `bun:"languages,array" json:"languages"`
	Accessibility      []string       `bun:"accessibility,array" json:"accessibility"`
	Interests          []string       `bun:"interests,array" json:"interests"`
	Episode            int            `bun:"episode" json:"episode"`
	SessionLimitReason string         `bun:"session_limit_reason" json:"sessionLimitReason"`
	ErasedAt           *time.Time     `bun:"erased_at" json:"erasedAt"`
	Version            int            `bun:"version" json:"version"`
	CreatedAt          time.Time      `bun:"created_at" json:"createdAt"`
	UpdatedAt          time.Time      `bun:"updated_at" json:"updatedAt"`

	// Gender is WOMAN, MAN, NON_BINARY or "" when not given; it matters
	// only for single-sex services.
	Gender string `bun:"gender" json:"gender"`
	// Circumstances are circumstance codes (matcher.CircumstanceCodes)
	// the client says apply to them.
	Circumstances []string `bun:"circumstances,array,nullzero" json:"circumstances"`
}

// ClientNeed is a need with a priority (1 highest).
type ClientNeed struct {
	bun.BaseModel `bun:"table:client_needs" json:"-"`

	ClientID uuid.UUID `bun:"client_id,type:uuid" json:"clientId"`
	Need     string    `bun:"need" json:"need"`
	Priority int       `bun:"priority" json:"priority"`
}

// Goal is what a client wants, in their words.
type Goal struct {
	bun.BaseModel `bun:"table:goals" json:"-"`

	ID        uuid.UUID `bun:"id,pk,type:uuid" json:"id"`
	ClientID  uuid.UUID `bun:"client_id,type:uuid" json:"clientId"`
	Text      string    `bun:"text" json:"text"`
	Needs     []string  `bun:"needs,array" json:"needs"`
	Status    string    `bun:"status" json:"status"`
	Progress  int       `bun:"progress" json:"progress"`
	Version   int       `bun:"version" json:"version"`
	CreatedAt time.Time `bun:"created_at" json:"createdAt"`
	UpdatedAt time.Time `bun:"updated_at" json:"updatedAt"`
}

// ClientSession is a meeting with the link worker.
type ClientSession struct {
	bun.BaseModel `bun:"table:client_sessions" json:"-"`

	ID              uuid.UUID `bun:"id,pk,type:uuid" json:"id"`
	ClientID        uuid.UUID `bun:"client_id,type:uuid" json:"clientId"`
	Episode         int       `bun:"episode" json:"episode"`
	Number          int       `bun:"number" json:"number"`
	Date            time.Time `bun:"date,type:date" json:"date"`
	Kind            string    `bun:"kind" json:"kind"`
	DurationMinutes *int      `bun:"duration_minutes" json:"durationMinutes"`
	Notes           string    `bun:"notes" json:"notes"`
	Attended        *bool     `bun:"attended" json:"attended"`
	Version         int       `bun:"version" json:"version"`
	CreatedAt       time.Time `bun:"created_at" json:"createdAt"`
}

// Referral is a social prescription.
type Referral struct {
	bun.BaseModel `bun:"table:referrals,alias:r" json:"-"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid" json:"id"`
	ClientID       uuid.UUID  `bun:"client_id,type:uuid" json:"clientId"`
	ServiceID      uuid.UUID  `bun:"service_id,type:uuid" json:"serviceId"`
	OrganisationID uuid.UUID  `bun:"organisation_id,type:uuid" json:"organisationId"`
	Message        string     `bun:"message" json:"message"`
	ShareDetails   bool       `bun:"share_details" json:"shareDetails"`
	Status         string     `bun:"status" json:"status"`
	CreatedBy      *uuid.UUID `bun:"created_by,type:uuid" json:"createdBy"`
	SentAt         *time.Time `bun:"sent_at" json:"sentAt"`
	Version        int        `bun:"version" json:"version"`
	CreatedAt      time.Time  `bun:"created_at" json:"createdAt"`
	UpdatedAt      time.Time  `bun:"updated_at" json:"updatedAt"`
}

// ReferralEvent is one transition of a referral.
type ReferralEvent struct {
	bun.BaseModel `bun:"table:referral_events" json:"-"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	ReferralID uuid.UUID  `bun:"referral_id,type:uuid" json:"referralId"`
	FromStatus string     `bun:"from_status" json:"fromStatus"`
	ToStatus   string     `bun:"to_status" json:"toStatus"`
	ActorID    *uuid.UUID `bun:"actor_id,type:uuid" json:"actorId"`
	Actor      string     `bun:"actor" json:"actor"`
	Reason     string     `bun:"reason" json:"reason"`
	At         time.Time  `bun:"at" json:"at"`
}

// OutcomeMeasure is a wellbeing score.
type OutcomeMeasure struct {
	bun.BaseModel `bun:"table:outcome_measures" json:"-"`

	ID         uuid.UUID `bun:"id,pk,type:uuid" json:"id"`
	ClientID   uuid.UUID `bun:"client_id,type:uuid" json:"clientId"`
	Instrument string    `bun:"instrument" json:"instrument"`
	Kind       string    `bun:"kind" json:"kind"`
	Date       time.Time `bun:"date,type:date" json:"date"`
	Scores     []int     `bun:"scores,array" json:"scores"`
	Total      int       `bun:"total" json:"total"`
	CreatedAt  time.Time `bun:"created_at" json:"createdAt"`
}

// ClientByID returns one client.
func (q Queries) ClientByID(ctx context.Context, id uuid.UUID) (_ *Client, err error) {
	defer fault.Wrap(&err, "store.ClientByID(%s)", id)
	c := new(Client)
	err = q.db.NewSelect().Model(c).Where("id = ?", id).Scan(ctx)
	return c, notFound(err)
}

// ClientForUpdate returns a client, locking it for the transaction.
func (q Queries) ClientForUpdate(ctx context.Context, id uuid.UUID) (_ *Client, err error) {
	defer fault.Wrap(&err, "store.ClientForUpdate(%s)", id)
	c := new(Client)
	err = q.db.NewSelect().Model(c).Where("id = ?", id).For("UPDATE").Scan(ctx)
	return c, notFound(err)
}

// ClientFilter narrows a list of clients.
type ClientFilter struct {
	TeamIDs []uuid.UUID
	Status  string
}

// CursorKey is the client's position in ClientsPage: ByName, the name
// being "last first", as the ORDER BY there sorts.
func (c *Client) CursorKey() CursorKey { return nameKey(c.LastName+" "+c.FirstName, c.ID) }

// ClientsPage lists up to limit clients after the key, in name order
// (Client.CursorKey).
func (q Queries) ClientsPage(ctx context.Context, f ClientFilter, after *CursorKey, limit int) (_ []Client, err error) {
	defer fault.Wrap(&err, "store.ClientsPage(%d)", limit)
	var out []Client
	sq := q.db.NewSelect().Model(&out).Where("c.team_id IN (?)", bun.List(f.TeamIDs)).Where("c.erased_at IS NULL")
	if f.Status != "" {
		sq = sq.Where("c.status = ?", f.Status)
	}
	if after != nil {
		sq = sq.Where("(lower(c.last_name || ' ' || c.first_name), c.id) > (lower(?), ?)", after.Value, after.ID)
	}
	err = sq.OrderExpr("lower(c.last_name || ' ' || c.first_name), c.id").Limit(int64(limit)).Scan(ctx)
	return out, err
}

// InsertClient adds a client.
func (q Queries) InsertClient(ctx context.Context, c *Client) (err error) {
	defer fault.Wrap(&err, "store.InsertClient(%s)", c.ID)
	_, err = q.db.NewInsert().Model(c).ExcludeColumn("created_at", "updated_at", "version").Returning("*").Exec(ctx)
	return err
}

var clientEditable = []string{"team_id", "link_worker_id", "first_name", "last_name", "date_of_birth", "postcode", "latitude",
	"longitude", "nhs_number", "email", "phone", "preferred_contact", "referral_source", "referral_detail", "consent_hold",
	"consent_share", "status", "closed_reason", "availability", "max_distance_km", "remote_ok", "free_only", "languages",
	"accessibility", "interests", "gender", "circumstances", "episode", "session_limit_reason", "erased_at"}

// UpdateClient writes a client if its version is still expected.
func (q Queries) UpdateClient(ctx context.Context, c *Client, expected int) (err error) {
	defer fault.Wrap(&err, "store.UpdateClient(%s, %d)", c.ID, expected)
	res, err := q.db.NewUpdate().Model(c).Column(clientEditable...).
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", c.ID, expected).Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "clients", c.ID)
}

// SetClientNeeds replaces a client's needs.
func (q Queries) SetClientNeeds(ctx context.Context, client uuid.UUID, needs []ClientNeed) (err error) {
	defer fault.Wrap(&err, "store.SetClientNeeds(%s, %d)", client, len(needs))
	if _, err := q.db.NewDelete().Model((*ClientNeed)(nil)).Where("client_id = ?", client).Exec(ctx); err != nil {
		return err
	}
	if len(needs) == 0 {
		return nil
	}
	_, err = q.db.NewInsert().Model(&needs).Exec(ctx)
	return err
}

// ClientNeeds returns a client's needs, highest priority first.
func (q Queries) ClientNeeds(ctx context.Context, client uuid.UUID) (_ []ClientNeed, err error) {
	defer fault.Wrap(&err, "store.ClientNeeds(%s)", client)
	var out []ClientNeed
	err = q.db.NewSelect().Model(&out).Where("client_id = ?", client).Order("priority", "need").Scan(ctx)
	return out, err
}

// Goals returns a client's goals.
func (q Queries) Goals(ctx context.Context, client uuid.UUID) (_ []Goal, err error) {
	defer fault.Wrap(&err, "store.Goals(%s)", client)
	var out []Goal
	err = q.db.NewSelect().Model(&out).Where("client_id = ?", client).Order("created_at", "id").Scan(ctx)
	return out, err
}

// GoalByID returns one goal.
func (q Queries) GoalByID(ctx context.Context, id uuid.UUID) (_ *Goal, err error) {
	defer fault.Wrap(&err, "store.GoalByID(%s)", id)
	g := new(Goal)
	err = q.db.NewSelect().Model(g).Where("id = ?", id).Scan(ctx)
	return g, notFound(err)
}

// InsertGoal adds a goal.
func (q Queries) InsertGoal(ctx context.Context, g *Goal) (err error) {
	defer fault.Wrap(&err, "store.InsertGoal(%s)", g.ID)
	_, err = q.db.NewInsert().Model(g).ExcludeColumn("created_at", "updated_at", "version").Returning("*").Exec(ctx)
	return err
}

// UpdateGoal writes a goal if its version is still expected.
func (q Queries) UpdateGoal(ctx context.Context, g *Goal, expected int) (err error) {
	defer fault.Wrap(&err, "store.UpdateGoal(%s, %d)", g.ID, expected)
	res, err := q.db.NewUpdate().Model(g).Column("text", "needs", "status", "progress").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ?", g.ID, expected).Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "goals", g.ID)
}

// ClientSessions returns a client's sessions in order.
func (q Queries) ClientSessions(ctx context.Context, client uuid.UUID) (_ []ClientSession, err error) {
	defer fault.Wrap(&err, "store.ClientSessions(%s)", client)
	var out []ClientSession
	err = q.db.NewSelect().Model(&out).Where("client_id = ?", client).Order("episode", "number").Scan(ctx)
	return out, err
}

// InsertClientSession adds a session.
func (q Queries) InsertClientSession(ctx context.Context, s *ClientSession) (err error) {
	defer fault.Wrap(&err, "store.InsertClientSession(%s)", s.ID)
	_, err = q.db.NewInsert().Model(s).ExcludeColumn("created_at", "version").Returning("*").Exec(ctx)
	return err
}

// ClientSessionByID returns one session.
func (q Queries) ClientSessionByID(ctx context.Context, id uuid.UUID) (_ *ClientSession, err error) {
	defer fault.Wrap(&err, "store.ClientSessionByID(%s)", id)
	s := new(ClientSession)
	err = q.db.NewSelect().Model(s).Where("id = ?", id).Scan(ctx)
	return s, notFound(err)
}

// UpdateClientSession records what happened at a session.
func (q Queries) UpdateClientSession(ctx context.Context, s *ClientSession, expected int) (err error) {
	defer fault.Wrap(&err, "store.UpdateClientSession(%s, %d)", s.ID, expected)
	res, err := q.db.NewUpdate().Model(s).Column("date", "kind", "duration_minutes", "notes", "attended").
		Set("version = version + 1").Where("id = ? AND version = ?", s.ID, expected).Returning("*").Exec(ctx)
	return versioned(ctx, q, res, err, "client_sessions", s.ID)
}

// InsertReferral adds a referral.
func (q Queries) InsertReferral(ctx context.Context, r *Referral) (err error) {
	defer fault.Wrap(&err, "store.InsertReferral(%s)", r.ID)
	_, err = q.db.NewInsert().Model(r).ExcludeColumn("created_at", "updated_at", "version").Returning("*").Exec(ctx)
	return err
}

// ReferralByID returns one referral.
func (q Queries) ReferralByID(ctx context.Context, id uuid.UUID) (_ *Referral, err error) {
	defer fault.Wrap(&err, "store.ReferralByID(%s)", id)
	r := new(Referral)
	err = q.db.NewSelect().Model(r).Where("id = ?", id).Scan(ctx)
	return r, notFound(err)
}

// MoveReferral changes a referral's status if its version and status are
// still those expected, recording the event.
func (q Queries) MoveReferral(ctx context.Context, r *Referral, expected int, from string, ev *ReferralEvent) (err error) {
	defer fault.Wrap(&err, "store.MoveReferral(%s, %d)", r.ID, expected)
	res, err := q.db.NewUpdate().Model(r).Column("status", "sent_at", "share_details").
		Set("version = version + 1").Set("updated_at = now()").
		Where("id = ? AND version = ? AND status = ?", r.ID, expected, from).Returning("*").Exec(ctx)
	if err := versioned(ctx, q, res, err, "referrals", r.ID); err != nil {
		return err
	}
	_, err = q.db.NewInsert().Model(ev).ExcludeColumn("id", "at").Exec(ctx)
	return err
}

// Received reports whether a referral has reached the organisation it is
// for: it was sent. A draft, and a draft withdrawn without being sent,
// never reached it, and its partners must never see them. This is the one
// rule for what a receiving organisation sees; ReferralFilter.ReceivedBy
// is the same rule in SQL.
func (r *Referral) Received() bool { return r.SentAt != nil }

// receivedSQL is Received as a condition on referrals aliased r.
const receivedSQL = "r.sent_at IS NOT NULL"

// CursorKey is the referral's position in Referrals (ByNewest).
func (r *Referral) CursorKey() CursorKey { return newestKey(r.CreatedAt, r.ID) }

// ReferralFilter narrows a list of referrals.
type ReferralFilter struct {
	ClientID *uuid.UUID
	// ReceivedBy keeps the referrals this organisation received (see
	// Received): a partner's every list of referrals goes through it.
	ReceivedBy *uuid.UUID
	TeamIDs    []uuid.UUID
	Statuses   []string
	// Before continues a list after this key (ByNewest, so earlier).
	Before *CursorKey
}

// Referrals lists referrals, newest first.
func (q Queries) Referrals(ctx context.Context, f ReferralFilter, limit int) (_ []Referral, err error) {
	defer fault.Wrap(&err, "store.Referrals(%d)", limit)
	var out []Referral
	sq := q.db.NewSelect().Model(&out).OrderExpr("r.created_at DESC, r.id DESC").Limit(int64(limit))
	if f.Before != nil {
		sq = sq.Where("(r.created_at, r.id) < (CAST(? AS timestamptz), ?)", f.Before.Value, f.Before.ID)
	}
	if f.ClientID != nil {
		sq = sq.Where("r.client_id = ?", *f.ClientID)
	}
	if f.ReceivedBy != nil {
		sq = sq.Where("r.organisation_id = ?", *f.ReceivedBy).Where(receivedSQL)
	}
	if f.TeamIDs != nil {
		sq = sq.Where("r.client_id IN (SELECT id FROM clients WHERE team_id IN (?))", bun.List(f.TeamIDs))
	}
	if len(f.Statuses) > 0 {
		sq = sq.Where("r.status IN (?)", bun.List(f.Statuses))
	}
	err = sq.Scan(ctx)
	return out, err
}

// ReferralEvents returns a referral's history.
func (q Queries) ReferralEvents(ctx context.Context, referral uuid.UUID) (_ []ReferralEvent, err error) {
	defer fault.Wrap(&err, "store.ReferralEvents(%s)", referral)
	var out []ReferralEvent
	err = q.db.NewSelect().Model(&out).Where("referral_id = ?", referral).Order("id").Scan(ctx)
	return out, err
}

// InsertOutcome adds an outcome measure.
func (q Queries) InsertOutcome(ctx context.Context, o *OutcomeMeasure) (err error) {
	defer fault.Wrap(&err, "store.InsertOutcome(%s)", o.ID)
	_, err = q.db.NewInsert().Model(o).ExcludeColumn("created_at").Returning("*").Exec(ctx)
	return err
}

// Outcomes returns a client's measures by date.
func (q Queries) Outcomes(ctx context.Context, client uuid.UUID) (_ []OutcomeMeasure, err error) {
	defer fault.Wrap(&err, "store.Outcomes(%s)", client)
	var out []OutcomeMeasure
	err = q.db.NewSelect().Model(&out).Where("client_id = ?", client).Order("instrument", "date", "created_at").Scan(ctx)
	return out, err
}

// ReferralCounts is a service's referral history for ranking.
type ReferralCounts struct {
	ServiceID uuid.UUID `bun:"service_id,type:uuid"`
	Sent      int       `bun:"sent"`
	Accepted  int       `bun:"accepted"`
	Attended  int       `bun:"attended"`
}

// ReferralHistory counts referrals sent, accepted and attended per service.
func (q Queries) ReferralHistory(ctx context.Context, services []uuid.UUID) (_ []ReferralCounts, err error) {
	defer fault.Wrap(&err, "store.ReferralHistory(%d)", len(services))
	var out []ReferralCounts
	err = q.db.NewRaw(`SELECT service_id,
		count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,
		count(*) FILTER (WHERE status IN ('ACCEPTED', 'ATTENDED', 'DID_NOT_ATTEND', 'COMPLETED')) AS accepted,
		count(*) FILTER (WHERE status IN ('ATTENDED', 'COMPLETED')) AS attended
		FROM referrals WHERE service_id IN (?) GROUP BY service_id`, bun.List(services)).Scan(ctx, &out)
	return out, err
}

// EraseClient removes a client's personal data and free text, keeping the
// shape of the record (needs, goal statuses, sessions held, referrals and
// their moves, outcome scores) for anonymised counts. The postcode is cut
// to its district.
func (q Queries) EraseClient(ctx context.Context, id uuid.UUID, reason string) (err error) {
	defer fault.Wrap(&err, "store.EraseClient(%s)", id)
	stmts := []string{
		`UPDATE clients SET first_name = '', last_name = '', date_of_birth = NULL,
			postcode = CASE WHEN position(' ' IN postcode) > 0 THEN split_part(postcode, ' ', 1) ELSE postcode END,
			latitude = NULL, longitude = NULL, nhs_number = '', email = '', phone = '', referral_detail = CASE
			WHEN referral_source = 'GP_PRACTICE' THEN referral_detail ELSE '' END, link_worker_id = NULL,
			availability = '[]', languages = '{}', accessibility = '{}', interests = '{}', session_limit_reason = '',
			gender = '', circumstances = '{}',
			status = 'CLOSED', closed_reason = ?1, erased_at = now(), version = version + 1, updated_at = now()
			WHERE id = ?0`,
		`UPDATE goals SET text = '' WHERE client_id = ?0`,
		`UPDATE client_sessions SET notes = '' WHERE client_id = ?0`,
		`UPDATE referrals SET message = '', share_details = false WHERE client_id = ?0`,
		`UPDATE referral_events SET reason = '' WHERE referral_id IN (SELECT id FROM referrals WHERE client_id = ?0)`,
	}
	for _, s := range stmts {
		if _, err := q.db.ExecContext(ctx, s, id, reason); err != nil {
			return err
		}
	}
	return nil
}

// AuditFor returns every audit entry about an object, oldest first.
func (q Queries) AuditFor(ctx context.Context, objectType, objectID string) (_ []AuditEntry, err error) {
	defer fault.Wrap(&err, "store.AuditFor(%q, %q)", objectType, objectID)
	var out []AuditEntry
	err = q.db.NewSelect().Model(&out).Where("object_type = ? AND object_id = ?", objectType, objectID).Order("id").Scan(ctx)
	return out, err
}

// ClientsByIDs returns the clients with these ids.
func (q Queries) ClientsByIDs(ctx context.Context, ids []uuid.UUID) (_ []Client, err error) {
	defer fault.Wrap(&err, "store.ClientsByIDs(%d)", len(ids))
	var out []Client
	err = q.db.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).Scan(ctx)
	return out, err
}

// TeamMember returns an account that is a member of the team; ErrNotFound
// when it is not (or does not exist).
func (q Queries) TeamMember(ctx context.Context, team, account uuid.UUID) (_ *Account, err error) {
	defer fault.Wrap(&err, "store.TeamMember(%s, %s)", team, account)
	a := new(Account)
	err = q.db.NewSelect().Model(a).Where("a.id = ?", account).
		Where("EXISTS (SELECT 1 FROM team_members m WHERE m.account_id = a.id AND m.team_id = ?)", team).Scan(ctx)
	return a, notFound(err)
}
