package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/store"
)

// SessionLimit is how many sessions an episode has before the link worker
// must record a reason to plan more.
const SessionLimit = 12

// Casework is the casework domain service. Every operation asks the policy
// first; the role policy writes each decision, and so every read and write
// of a client record, to the audit trail.
type Casework struct {
	st     *store.Store
	policy access.Policy
	now    func() time.Time
}

// New returns the service over st asking policy before every operation.
func New(st *store.Store, policy access.Policy) *Casework {
	return &Casework{st: st, policy: policy, now: time.Now}
}

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// clientResource names a client for the policy.
func clientResource(c *store.Client, reason string) access.Resource {
	return access.Resource{Kind: "client", ID: c.ID, TeamID: c.TeamID, Reason: reason}
}

// Client returns a client the caller may see. Admins give a reason, which
// the audit trail keeps. A client the caller may not see is reported as
// not found, so that ids cannot be probed.
func (cw *Casework) Client(ctx context.Context, id uuid.UUID, reason string) (*store.Client, error) {
	c, err := cw.st.ClientByID(ctx, id)
	if err != nil {
		return nil, store.Fault(err, "client", id)
	}
	if err := cw.policy.Authorize(ctx, access.ReadClient, clientResource(c, reason)); err != nil {
		return nil, hide(ctx, err, "client", id)
	}
	return c, nil
}

// hide turns a refusal to read an object into not found, so that ids
// cannot be probed; administrators, who may read any client with a reason,
// are told they were refused.
func hide(ctx context.Context, err error, what string, id uuid.UUID) error {
	if errors.Is(err, fault.Forbidden) && access.IdentityFrom(ctx).Role != access.RoleAdmin {
		return fmt.Errorf("%s %s: %w", what, id, fault.NotFound)
	}
	return err
}

// clientForEdit loads a client inside a transaction, locked, and checks
// the caller may edit it.
func (cw *Casework) clientForEdit(ctx context.Context, q store.Queries, id uuid.UUID, reason string) (*store.Client, error) {
	c, err := q.ClientForUpdate(ctx, id)
	if err != nil {
		return nil, store.Fault(err, "client", id)
	}
	if err := cw.policy.Authorize(ctx, access.EditClient, clientResource(c, reason)); err != nil {
		return nil, hide(ctx, err, "client", id)
	}
	if c.ErasedAt != nil {
		return nil, fmt.Errorf("client %s has been erased: %w", id, fault.NotFound)
	}
	return c, nil
}

// Clients lists a page of the clients of the caller's teams (all teams for
// an admin who gives a reason), in name order.
func (cw *Casework) Clients(ctx context.Context, f store.ClientFilter, p store.Page, reason string) (store.Rows[store.Client], error) {
	id := access.IdentityFrom(ctx)
	if id.Role != access.RoleAdmin {
		f.TeamIDs = id.Teams
		if f.TeamIDs == nil {
			f.TeamIDs = []uuid.UUID{}
		}
	}
	if err := cw.policy.Authorize(ctx, access.ReadClient, access.Resource{Kind: "client", TeamID: teamOf(id), Reason: reason}); err != nil {
		return store.Rows[store.Client]{}, err
	}
	if id.Role == access.RoleAdmin {
		all, err := cw.st.AllTeamIDs(ctx)
		if err != nil {
			return store.Rows[store.Client]{}, err
		}
		f.TeamIDs = append(all, uuid.Nil) // never an empty list
	}
	limit, err := p.Limit()
	if err != nil {
		return store.Rows[store.Client]{}, err
	}
	rows, err := cw.st.ClientsPage(ctx, f, p.After, limit)
	return store.Cut(rows, limit), err
}

// teamOf picks a team of the caller for list-level checks: a link worker
// lists only their own teams' clients, so any of them stands for the list.
func teamOf(id *access.Identity) uuid.UUID {
	if len(id.Teams) > 0 {
		return id.Teams[0]
	}
	return uuid.Nil
}

// CreateClient records a new client with their needs.
func (cw *Casework) CreateClient(ctx context.Context, in ClientInput) (*store.Client, error) {
	if err := cw.policy.Authorize(ctx, access.EditClient, access.Resource{Kind: "client", TeamID: in.TeamID, Reason: in.Reason}); err != nil {
		return nil, err
	}
	in.normalise()
	ps := in.validate("input.", cw.now())
	needs, err := cw.checkNeeds(ctx, &ps, "input.needs", in.Needs)
	if err != nil {
		return nil, err
	}
	c := &store.Client{ID: newID(), TeamID: in.TeamID, Status: StatusOpen, Episode: 1}
	if err := cw.apply(ctx, &ps, c, in); err != nil {
		return nil, err
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	err = cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if _, err := q.TeamByID(ctx, in.TeamID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fault.InvalidField("input.teamId", "no such team")
			}
			return err
		}
		if err := checkLinkWorker(ctx, q, &ps, in.TeamID, in.LinkWorkerID); err != nil {
			return err
		}
		if err := ps.Err(); err != nil {
			return err
		}
		if err := q.InsertClient(ctx, c); err != nil {
			return err
		}
		return q.SetClientNeeds(ctx, c.ID, withClient(needs, c.ID))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateClient replaces a client's details and needs if version is current.
func (cw *Casework) UpdateClient(ctx context.Context, id uuid.UUID, version int, in ClientInput) (*store.Client, error) {
	in.normalise()
	ps := in.validate("input.", cw.now())
	needs, err := cw.checkNeeds(ctx, &ps, "input.needs", in.Needs)
	if err != nil {
		return nil, err
	}
	var c *store.Client
	err = cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if c, err = cw.clientForEdit(ctx, q, id, in.Reason); err != nil {
			return err
		}
		if in.TeamID != c.TeamID {
			ps.Add("input.teamId", "a client cannot be moved to another team by an edit")
		}
		if err := checkLinkWorker(ctx, q, &ps, c.TeamID, in.LinkWorkerID); err != nil {
			return err
		}
		if err := cw.apply(ctx, &ps, c, in); err != nil {
			return err
		}
		if err := ps.Err(); err != nil {
			return err
		}
		if err := q.UpdateClient(ctx, c, version); err != nil {
			return store.Fault(err, "client", id)
		}
		return q.SetClientNeeds(ctx, id, withClient(needs, id))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// SetClientStatus opens, holds or closes a client's episode; closing needs
// a reason.
func (cw *Casework) SetClientStatus(ctx context.Context, id uuid.UUID, version int, status, reason string) (*store.Client, error) {
	reason = strings.TrimSpace(reason)
	var ps fault.Problems
	switch {
	case !bounds.CheckProse(&ps, "reason", reason, bounds.Note):
		return nil, ps.Err()
	case !slices.Contains(clientStatuses, status):
		return nil, fault.InvalidField("status", "must be one of %s", strings.Join(clientStatuses, ", "))
	case status == StatusClosed && reason == "":
		return nil, fault.InvalidField("reason", "say why the client's episode is closed")
	}
	var c *store.Client
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if c, err = cw.clientForEdit(ctx, q, id, ""); err != nil {
			return err
		}
		if c.Status == StatusClosed && status != StatusClosed {
			// Reopening starts a new episode with its own sessions.
			c.Episode++
			c.SessionLimitReason = ""
		}
		c.Status, c.ClosedReason = status, ""
		if status == StatusClosed {
			c.ClosedReason = reason
		}
		return store.Fault(q.UpdateClient(ctx, c, version), "client", id)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// checkLinkWorker checks the link worker assigned to a client of team: an
// active link worker of that team. Any other account, or none with the
// id, is refused alike, so that accounts cannot be probed through it.
func checkLinkWorker(ctx context.Context, q store.Queries, ps *fault.Problems, team uuid.UUID, id *uuid.UUID) error {
	if id == nil {
		return nil
	}
	a, err := q.TeamMember(ctx, team, *id)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	case access.Role(a.Role) == access.RoleLinkWorker && a.DisabledAt == nil:
		return nil
	}
	ps.Add("input.linkWorkerId", "is not an active link worker of the client's team")
	return nil
}

func withClient(needs []store.ClientNeed, id uuid.UUID) []store.ClientNeed {
	for i := range needs {
		needs[i].ClientID = id
	}
	return needs
}

// checkNeeds checks need codes against the vocabulary.
func (cw *Casework) checkNeeds(ctx context.Context, ps *fault.Problems, field string, in []NeedInput) ([]store.ClientNeed, error) {
	if len(in) > MaxNeeds {
		return nil, nil // validate reported it; the items are not read
	}
	terms, err := cw.st.NeedTerms(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, t := range terms {
		known[t.Code] = true
	}
	seen := map[string]bool{}
	out := make([]store.ClientNeed, 0, len(in))
	for i, n := range in {
		f := fmt.Sprintf("%s[%d]", field, i)
		code := strings.ToLower(strings.TrimSpace(n.Need))
		switch {
		case !known[code]:
			ps.Add(f+".need", "%q is not a known need code", n.Need)
			continue
		case seen[code]:
			ps.Add(f+".need", "%q is listed twice", code)
			continue
		}
		p := n.Priority
		if p == 0 {
			p = 2
		}
		if p < 1 || p > 3 {
			ps.Add(f+".priority", "must be 1 (highest), 2 or 3")
		}
		seen[code] = true
		out = append(out, store.ClientNeed{Need: code, Priority: p})
	}
	return out, nil
}

// apply copies validated input onto c, resolving the postcode.
func (cw *Casework) apply(ctx context.Context, ps *fault.Problems, c *store.Client, in ClientInput) error {
	c.FirstName, c.LastName, c.DateOfBirth = in.FirstName, in.LastName, in.DateOfBirth
	c.Email, c.Phone, c.PreferredContact = in.Email, in.Phone, in.PreferredContact
	c.ReferralSource, c.ReferralDetail = in.ReferralSource, in.ReferralDetail
	c.ConsentHold, c.ConsentShare = in.ConsentHold, in.ConsentShare
	c.LinkWorkerID = in.LinkWorkerID
	c.NHSNumber = ""
	if in.NHSNumber != "" {
		c.NHSNumber = NormaliseNHSNumber(in.NHSNumber)
	}
	c.Availability, c.MaxDistanceKm = in.Availability, in.MaxDistanceKm
	c.RemoteOK, c.FreeOnly = in.RemoteOK, in.FreeOnly
	c.Languages, c.Accessibility, c.Interests = in.Languages, in.Accessibility, in.Interests
	c.Gender, c.Circumstances = in.Gender, in.Circumstances // normalise makes the list non-nil
	c.Postcode, c.Latitude, c.Longitude = "", nil, nil
	if in.Postcode == "" || slices.ContainsFunc(*ps, func(p fault.Problem) bool { return p.Field == "input.postcode" }) {
		return nil // a postcode out of bounds is not looked up
	}
	pt, err := postcodes.Lookup(ctx, cw.st.Queries, "input.postcode", in.Postcode)
	var inv *fault.Invalid
	if errors.As(err, &inv) {
		*ps = append(*ps, inv.Problems...)
		return nil
	}
	if err != nil {
		return err
	}
	c.Postcode, c.Latitude, c.Longitude = pt.Postcode, &pt.Latitude, &pt.Longitude
	return nil
}

// Needs returns a client's needs, highest priority first.
func (cw *Casework) Needs(ctx context.Context, c *store.Client) ([]store.ClientNeed, error) {
	return cw.st.ClientNeeds(ctx, c.ID)
}

// Goals returns a client's goals.
func (cw *Casework) Goals(ctx context.Context, c *store.Client) ([]store.Goal, error) {
	return cw.st.Goals(ctx, c.ID)
}

// AddGoal records a goal in the client's own words.
func (cw *Casework) AddGoal(ctx context.Context, client uuid.UUID, in GoalInput) (*store.Goal, error) {
	g := &store.Goal{ID: newID(), ClientID: client, Status: GoalActive}
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		c, err := cw.clientForEdit(ctx, q, client, "")
		if err != nil {
			return err
		}
		if err := cw.applyGoal(ctx, q, c, g, in); err != nil {
			return err
		}
		held, err := q.Goals(ctx, client)
		if err != nil {
			return err
		}
		if len(held) >= MaxGoals {
			return fault.InvalidField("clientId", "a client has at most %d goals; update one that is achieved or dropped instead", MaxGoals)
		}
		return q.InsertGoal(ctx, g)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// UpdateGoal changes a goal's words, needs, status or progress.
func (cw *Casework) UpdateGoal(ctx context.Context, id uuid.UUID, version int, in GoalInput) (*store.Goal, error) {
	var g *store.Goal
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if g, err = q.GoalByID(ctx, id); err != nil {
			return store.Fault(err, "goal", id)
		}
		c, err := cw.clientForEdit(ctx, q, g.ClientID, "")
		if err != nil {
			return hideAs(err, "goal", id)
		}
		if err := cw.applyGoal(ctx, q, c, g, in); err != nil {
			return err
		}
		return store.Fault(q.UpdateGoal(ctx, g, version), "goal", id)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

func hideAs(err error, what string, id uuid.UUID) error {
	if errors.Is(err, fault.NotFound) {
		return fmt.Errorf("%s %s: %w", what, id, fault.NotFound)
	}
	return err
}

func (cw *Casework) applyGoal(ctx context.Context, q store.Queries, c *store.Client, g *store.Goal, in GoalInput) error {
	var ps fault.Problems
	if !bounds.CheckCount(&ps, "input.needs", len(in.Needs), MaxNeeds) {
		return ps.Err()
	}
	text := strings.TrimSpace(in.Text)
	if text == "" {
		ps.Add("input.text", "write the goal in the client's own words")
	} else {
		bounds.CheckProse(&ps, "input.text", text, bounds.Note)
	}
	if in.Progress < 0 || in.Progress > 10 {
		ps.Add("input.progress", "must be from 0 to 10")
	}
	if in.Status != "" && !slices.Contains(goalStatuses, in.Status) {
		ps.Add("input.status", "must be one of %s", strings.Join(goalStatuses, ", "))
	}
	held, err := q.ClientNeeds(ctx, c.ID)
	if err != nil {
		return err
	}
	needs := make([]string, 0, len(in.Needs))
	for i, n := range in.Needs {
		n = strings.ToLower(strings.TrimSpace(n))
		if !bounds.CheckLine(&ps, fmt.Sprintf("input.needs[%d]", i), n, bounds.Tag) {
			continue
		}
		if !slices.ContainsFunc(held, func(h store.ClientNeed) bool { return h.Need == n }) {
			ps.Add(fmt.Sprintf("input.needs[%d]", i), "%q is not one of the client's needs", n)
		}
		needs = append(needs, n)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	g.Text, g.Needs, g.Progress = text, needs, in.Progress
	if in.Status != "" {
		g.Status = in.Status
	}
	return nil
}

// Sessions returns a client's sessions in order.
func (cw *Casework) Sessions(ctx context.Context, c *store.Client) ([]store.ClientSession, error) {
	return cw.st.ClientSessions(ctx, c.ID)
}

// RecordSession plans or records a session of the client's current
// episode. Sessions are numbered in order within it; past the SessionLimit
// one is refused unless the client's record holds a reason to extend the
// episode, given now or before.
func (cw *Casework) RecordSession(ctx context.Context, client uuid.UUID, in SessionInput) (*store.ClientSession, error) {
	var ps fault.Problems
	in.check(&ps)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	s := &store.ClientSession{ID: newID(), ClientID: client}
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		c, err := cw.clientForEdit(ctx, q, client, "")
		if err != nil {
			return err
		}
		if c.Status == StatusClosed {
			return fault.InvalidField("clientId", "the client's episode is closed; reopen it to add sessions")
		}
		held, err := q.ClientSessions(ctx, client)
		if err != nil {
			return err
		}
		s.Episode, s.Number = c.Episode, 1
		for _, h := range held {
			if h.Episode == c.Episode {
				s.Number++
			}
		}
		extend := strings.TrimSpace(in.ExtensionReason)
		if s.Number > SessionLimit && c.SessionLimitReason == "" {
			if extend == "" {
				return fault.InvalidField("input.extensionReason",
					"an episode has up to %d sessions; record why this client needs session %d", SessionLimit, s.Number)
			}
			c.SessionLimitReason = extend
			if err := q.UpdateClient(ctx, c, c.Version); err != nil {
				return store.Fault(err, "client", client)
			}
		}
		in.apply(s)
		return q.InsertClientSession(ctx, s)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateSession records what happened at a planned session.
func (cw *Casework) UpdateSession(ctx context.Context, id uuid.UUID, version int, in SessionInput) (*store.ClientSession, error) {
	var ps fault.Problems
	in.check(&ps)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	var s *store.ClientSession
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if s, err = q.ClientSessionByID(ctx, id); err != nil {
			return store.Fault(err, "session", id)
		}
		if _, err := cw.clientForEdit(ctx, q, s.ClientID, ""); err != nil {
			return hideAs(err, "session", id)
		}
		in.apply(s)
		return store.Fault(q.UpdateClientSession(ctx, s, version), "session", id)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}
