package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// ReferralInput is a social prescription as the link worker writes it.
type ReferralInput struct {
	ClientID  uuid.UUID
	ServiceID uuid.UUID
	Message   string
	// ShareDetails sends the client's contact details to the provider; it
	// needs the client's consent to share.
	ShareDetails bool
	// Send sends it at once rather than keeping a draft.
	Send bool
}

// referralResource names a referral for the policy. The receiving
// organisation has a say over a referral only once it has received it
// (store.Referral.Received): before that, the referral belongs to no
// organisation, so its partners are refused and it reads as not there to
// them. Every read or answer of one referral is decided on this resource;
// a partner's lists filter with store.ReferralFilter.ReceivedBy.
func referralResource(r *store.Referral, c *store.Client) access.Resource {
	res := access.Resource{Kind: "referral", ID: r.ID, TeamID: c.TeamID}
	if r.Received() {
		res.OrganisationID = r.OrganisationID
	}
	return res
}

// CreateReferral refers a client to a service, as a draft or sent.
func (cw *Casework) CreateReferral(ctx context.Context, in ReferralInput) (*store.Referral, error) {
	var ps fault.Problems
	in.Message = strings.TrimSpace(in.Message)
	bounds.CheckProse(&ps, "input.message", in.Message, bounds.Prose)
	r := &store.Referral{ID: newID(), ClientID: in.ClientID, ServiceID: in.ServiceID, Message: in.Message,
		ShareDetails: in.ShareDetails, Status: Draft}
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		c, err := cw.clientForEdit(ctx, q, in.ClientID, "")
		if err != nil {
			return err
		}
		if c.Status == StatusClosed {
			ps.Add("input.clientId", "the client's episode is closed")
		}
		if in.ShareDetails && !c.ConsentShare {
			ps.Add("input.shareDetails", "the client has not consented to sharing their details with a provider")
		}
		svc, err := q.ServiceByID(ctx, in.ServiceID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			ps.Add("input.serviceId", "no such service")
		case err != nil:
			return err
		case svc.Status != store.StatusActive || svc.ArchivedAt != nil:
			ps.Add("input.serviceId", "the service is not taking referrals (it is %s)", svc.Status)
		default:
			r.OrganisationID = svc.OrganisationID
			open, err := q.Referrals(ctx, store.ReferralFilter{ClientID: &c.ID}, 1000)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(open, func(o store.Referral) bool { return o.ServiceID == svc.ID && Open(o.Status) }) {
				ps.Add("input.serviceId", "the client already has an open referral to this service")
			}
		}
		if err := ps.Err(); err != nil {
			return err
		}
		actor := access.IdentityFrom(ctx)
		if actor.Kind == access.ByAccount {
			aid := actor.AccountID
			r.CreatedBy = &aid
		}
		if err := q.InsertReferral(ctx, r); err != nil {
			return err
		}
		if !in.Send {
			return nil
		}
		return cw.move(ctx, q, r, Sent, "", actor)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// move applies a checked transition.
func (cw *Casework) move(ctx context.Context, q store.Queries, r *store.Referral, to, reason string, actor *access.Identity) error {
	from, version := r.Status, r.Version
	r.Status = to
	if to == Sent {
		now := cw.now()
		r.SentAt = &now
	}
	ev := &store.ReferralEvent{ReferralID: r.ID, FromStatus: from, ToStatus: to, Actor: actor.Label, Reason: reason}
	if actor.Kind != access.Anonymous {
		aid := actor.AccountID
		ev.ActorID = &aid
	}
	if err := q.MoveReferral(ctx, r, version, from, ev); err != nil {
		return store.Fault(err, "referral", r.ID)
	}
	// Acceptance and attendance feed the matcher's ranking.
	return q.AddToOutbox(ctx, store.EntityService, r.ServiceID)
}

// MoveReferral moves a referral along the state machine. version is the
// version the caller saw: if someone else has moved it since, the move
// fails with fault.Conflict and changes nothing. Link workers of the
// client's team send and withdraw; partners of the receiving organisation
// accept, decline (with a reason) and record attendance.
func (cw *Casework) MoveReferral(ctx context.Context, id uuid.UUID, version int, to, reason string) (*store.Referral, error) {
	to = strings.ToUpper(strings.TrimSpace(to))
	reason = strings.TrimSpace(reason)
	if !slices.Contains(Statuses, to) {
		return nil, fault.InvalidField("to", "must be one of %s", strings.Join(Statuses, ", "))
	}
	var ps fault.Problems
	if !bounds.CheckProse(&ps, "reason", reason, bounds.Note) {
		return nil, ps.Err()
	}
	var r *store.Referral
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if r, err = q.ReferralByID(ctx, id); err != nil {
			return store.Fault(err, "referral", id)
		}
		c, err := q.ClientByID(ctx, r.ClientID)
		if err != nil {
			return err
		}
		res := referralResource(r, c)
		if err := cw.policy.Authorize(ctx, access.ReadReferral, res); err != nil {
			return hide(ctx, err, "referral", id)
		}
		if r.Version != version {
			return fmt.Errorf("referral %s is now %s (someone else answered it); reload it: %w", id, r.Status, fault.Conflict)
		}
		who, ok := CanMove(r.Status, to)
		if !ok {
			return fault.InvalidField("to", "a %s referral cannot become %s", r.Status, to)
		}
		switch who {
		case byLinkWorker:
			err = cw.policy.Authorize(ctx, access.EditClient, clientResource(c, ""))
		default:
			err = cw.policy.Authorize(ctx, access.AnswerReferral, res)
		}
		if err != nil {
			return fmt.Errorf("only the %s may make a referral %s: %w", who, to, fault.Forbidden)
		}
		if to == Declined && reason == "" {
			return fault.InvalidField("reason", "say why the referral is declined")
		}
		if to == Sent && c.Status == StatusClosed {
			return fault.InvalidField("to", "the client's episode is closed")
		}
		return cw.move(ctx, q, r, to, reason, access.IdentityFrom(ctx))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Referral returns a referral the caller may see: its client's link
// workers see it from the draft on; the receiving organisation once it
// was sent (see referralResource).
func (cw *Casework) Referral(ctx context.Context, id uuid.UUID) (*store.Referral, error) {
	r, err := cw.st.ReferralByID(ctx, id)
	if err != nil {
		return nil, store.Fault(err, "referral", id)
	}
	c, err := cw.st.ClientByID(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	if err := cw.policy.Authorize(ctx, access.ReadReferral, referralResource(r, c)); err != nil {
		return nil, hide(ctx, err, "referral", id)
	}
	return r, nil
}

// ClientReferrals lists a client's referrals, newest first; the client has
// already been read through Client.
func (cw *Casework) ClientReferrals(ctx context.Context, c *store.Client) ([]store.Referral, error) {
	return cw.st.Referrals(ctx, store.ReferralFilter{ClientID: &c.ID}, 1000)
}

// IncomingReferrals lists the referrals sent to the caller's organisation,
// newest first, optionally only in some statuses. One never sent is not
// listed, whatever its status.
func (cw *Casework) IncomingReferrals(ctx context.Context, statuses []string, p store.Page) (store.Rows[store.Referral], error) {
	id := access.IdentityFrom(ctx)
	org := uuid.Nil
	if id.OrganisationID != nil {
		org = *id.OrganisationID
	}
	if err := cw.policy.Authorize(ctx, access.AnswerReferral, access.Resource{Kind: "referral", OrganisationID: org}); err != nil {
		return store.Rows[store.Referral]{}, err
	}
	var ps fault.Problems
	for i, s := range statuses {
		if !slices.Contains(Statuses, s) {
			ps.Add(fmt.Sprintf("status[%d]", i), "must be one of %s", strings.Join(Statuses, ", "))
		}
	}
	limit, err := p.Limit()
	var bad *fault.Invalid
	if errors.As(err, &bad) {
		ps = append(ps, bad.Problems...)
	}
	if err := ps.Err(); err != nil {
		return store.Rows[store.Referral]{}, err
	}
	rows, err := cw.st.Referrals(ctx, store.ReferralFilter{ReceivedBy: &org, Statuses: statuses, Before: p.After}, limit)
	return store.Cut(rows, limit), err
}

// ReferralEvents is a referral's history, oldest first.
func (cw *Casework) ReferralEvents(ctx context.Context, r *store.Referral) ([]store.ReferralEvent, error) {
	return cw.st.ReferralEvents(ctx, r.ID)
}

// SharedClient is what the receiving organisation learns about the person
// referred: without consent to share, only a first name and the link
// worker's contact.
type SharedClient struct {
	FirstName        string
	LastName         string
	Phone            string
	Email            string
	Postcode         string
	PreferredContact string
	LinkWorkerName   string
	LinkWorkerEmail  string
}

// Shared returns the client as the referral shares them.
func (cw *Casework) Shared(ctx context.Context, r *store.Referral) (*SharedClient, error) {
	c, err := cw.st.ClientByID(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	var worker *store.Account
	if id := WorkerOf(r, c); id != nil {
		a, err := cw.st.AccountByID(ctx, *id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err == nil {
			worker = a
		}
	}
	return SharedFrom(r, c, worker), nil
}

// WorkerOf is the link worker a provider should contact about a referral:
// the client's assigned worker, else whoever wrote the referral.
func WorkerOf(r *store.Referral, c *store.Client) *uuid.UUID {
	if c.LinkWorkerID != nil {
		return c.LinkWorkerID
	}
	return r.CreatedBy
}

// SharedFrom applies the sharing rules to a referral's client and link
// worker (nil when unknown).
func SharedFrom(r *store.Referral, c *store.Client, worker *store.Account) *SharedClient {
	out := &SharedClient{FirstName: c.FirstName}
	if r.ShareDetails && c.ConsentShare && c.ErasedAt == nil {
		out.LastName, out.Phone, out.Email = c.LastName, c.Phone, c.Email
		out.Postcode, out.PreferredContact = c.Postcode, c.PreferredContact
	}
	if worker != nil {
		out.LinkWorkerName, out.LinkWorkerEmail = worker.Name, worker.Email
	}
	return out
}
