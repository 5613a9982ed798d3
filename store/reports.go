package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// ReportScope is what a casework report covers: clients whose episode
// began, and referrals made, from From up to (not including) To, in the
// given teams.
type ReportScope struct {
	From, To time.Time
	TeamIDs  []uuid.UUID
}

// KeyCount is a count under a key.
type KeyCount struct {
	Key   string `bun:"key"`
	Count int    `bun:"count"`
}

// NeedCount is how many clients have a need, and for how many of them no
// referral addressing it has been accepted.
type NeedCount struct {
	Need    string `bun:"need"`
	Clients int    `bun:"clients"`
	Unmet   int    `bun:"unmet"`
}

// ServiceReferrals counts referrals to one service.
type ServiceReferrals struct {
	ServiceID        uuid.UUID  `bun:"service_id,type:uuid"`
	ServiceName      string     `bun:"service_name"`
	OrganisationID   uuid.UUID  `bun:"organisation_id,type:uuid"`
	OrganisationName string     `bun:"organisation_name"`
	Sent             int        `bun:"sent"`
	Answered         int        `bun:"answered"`
	Accepted         int        `bun:"accepted"`
	AttendanceKnown  int        `bun:"attendance_known"`
	Attended         int        `bun:"attended"`
	AssuredDate      *time.Time `bun:"assured_date,type:date"`
}

// ClientsBySource counts the scope's clients by referral source.
func (q Queries) ClientsBySource(ctx context.Context, s ReportScope) (_ []KeyCount, err error) {
	defer fault.Wrap(&err, "store.ClientsBySource()")
	var out []KeyCount
	err = q.db.NewRaw(`SELECT referral_source AS key, count(*) AS count FROM clients
		WHERE team_id IN (?) AND created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 2 DESC, 1`,
		bun.List(s.TeamIDs), s.From, s.To).Scan(ctx, &out)
	return out, err
}

// NeedCounts counts the scope's clients per need, and those whose need has
// no accepted referral to a service that addresses it.
func (q Queries) NeedCounts(ctx context.Context, s ReportScope) (_ []NeedCount, err error) {
	defer fault.Wrap(&err, "store.NeedCounts()")
	var out []NeedCount
	err = q.db.NewRaw(`WITH scoped AS (
			SELECT cn.client_id, cn.need FROM client_needs cn JOIN clients c ON c.id = cn.client_id
			WHERE c.team_id IN (?) AND c.created_at >= ? AND c.created_at < ?),
		met AS (
			SELECT DISTINCT r.client_id, tt.code FROM referrals r
			JOIN service_terms st ON st.service_id = r.service_id
			JOIN taxonomy_terms tt ON tt.id = st.term_id AND tt.taxonomy_id = ?
			WHERE r.status IN ('ACCEPTED', 'ATTENDED', 'DID_NOT_ATTEND', 'COMPLETED')
			AND r.client_id IN (SELECT client_id FROM scoped))
		SELECT s.need, count(*) AS clients, count(*) FILTER (WHERE m.client_id IS NULL) AS unmet
		FROM scoped s LEFT JOIN met m ON m.client_id = s.client_id AND m.code = s.need
		GROUP BY s.need ORDER BY clients DESC, s.need`, bun.List(s.TeamIDs), s.From, s.To, NeedsTaxonomyID).Scan(ctx, &out)
	return out, err
}

// ReferralsByStatus counts the scope's referrals by status.
func (q Queries) ReferralsByStatus(ctx context.Context, s ReportScope) (_ []KeyCount, err error) {
	defer fault.Wrap(&err, "store.ReferralsByStatus()")
	var out []KeyCount
	err = q.db.NewRaw(`SELECT r.status AS key, count(*) AS count FROM referrals r JOIN clients c ON c.id = r.client_id
		WHERE c.team_id IN (?) AND r.created_at >= ? AND r.created_at < ? GROUP BY 1 ORDER BY 2 DESC, 1`,
		bun.List(s.TeamIDs), s.From, s.To).Scan(ctx, &out)
	return out, err
}

// ReferralsByService counts the scope's sent referrals per service: how
// many were answered and accepted, and of those accepted whose attendance
// is known, how many attended.
func (q Queries) ReferralsByService(ctx context.Context, s ReportScope) (_ []ServiceReferrals, err error) {
	defer fault.Wrap(&err, "store.ReferralsByService()")
	var out []ServiceReferrals
	err = q.db.NewRaw(`SELECT s.id AS service_id, s.name AS service_name, o.id AS organisation_id, o.name AS organisation_name,
		count(*) AS sent,
		count(*) FILTER (WHERE r.status IN ('ACCEPTED', 'DECLINED', 'ATTENDED', 'DID_NOT_ATTEND', 'COMPLETED')) AS answered,
		count(*) FILTER (WHERE r.status IN ('ACCEPTED', 'ATTENDED', 'DID_NOT_ATTEND', 'COMPLETED')) AS accepted,
		count(*) FILTER (WHERE r.status IN ('ATTENDED', 'DID_NOT_ATTEND', 'COMPLETED')) AS attendance_known,
		count(*) FILTER (WHERE r.status IN ('ATTENDED', 'COMPLETED')) AS attended,
		s.assured_date
		FROM referrals r JOIN clients c ON c.id = r.client_id
		JOIN services s ON s.id = r.service_id JOIN organisations o ON o.id = s.organisation_id
		WHERE c.team_id IN (?) AND r.created_at >= ? AND r.created_at < ? AND r.sent_at IS NOT NULL
		GROUP BY s.id, o.id ORDER BY sent DESC, s.name`, bun.List(s.TeamIDs), s.From, s.To).Scan(ctx, &out)
	return out, err
}

// ScopeOutcomes returns the outcome measures of the scope's clients,
// ordered by client, instrument and date.
func (q Queries) ScopeOutcomes(ctx context.Context, s ReportScope) (_ []OutcomeMeasure, err error) {
	defer fault.Wrap(&err, "store.ScopeOutcomes()")
	var out []OutcomeMeasure
	err = q.db.NewSelect().Model(&out).
		Where("client_id IN (SELECT id FROM clients WHERE team_id IN (?) AND created_at >= ? AND created_at < ?)",
			bun.List(s.TeamIDs), s.From, s.To).
		Order("client_id", "instrument", "date", "created_at").Scan(ctx)
	return out, err
}

// AllTeamIDs lists every team.
func (q Queries) AllTeamIDs(ctx context.Context) (_ []uuid.UUID, err error) {
	defer fault.Wrap(&err, "store.AllTeamIDs()")
	var out []uuid.UUID
	err = q.db.NewSelect().Table("teams").Column("id").Scan(ctx, &out)
	return out, err
}
