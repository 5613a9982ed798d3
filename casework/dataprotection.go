package casework

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// Export is everything Signpost holds about a client: the answer to a
// subject access request.
type Export struct {
	ExportedAt time.Time              `json:"exportedAt"`
	Client     *store.Client          `json:"client"`
	Needs      []store.ClientNeed     `json:"needs"`
	Goals      []store.Goal           `json:"goals"`
	Sessions   []store.ClientSession  `json:"sessions"`
	Referrals  []ExportedReferral     `json:"referrals"`
	Outcomes   []store.OutcomeMeasure `json:"outcomes"`
	// Audit is every recorded read and write of the client's record.
	Audit []store.AuditEntry `json:"audit"`
}

// ExportedReferral is a referral with its history.
type ExportedReferral struct {
	store.Referral
	ServiceName string                `json:"serviceName"`
	History     []store.ReferralEvent `json:"history"`
}

// ExportClient gathers everything held about a client. The export itself
// is audited, as every read is.
func (cw *Casework) ExportClient(ctx context.Context, id uuid.UUID, reason string) (*Export, error) {
	c, err := cw.Client(ctx, id, reason)
	if err != nil {
		return nil, err
	}
	out := &Export{ExportedAt: cw.now().UTC(), Client: c}
	err = cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if out.Needs, err = q.ClientNeeds(ctx, id); err != nil {
			return err
		}
		if out.Goals, err = q.Goals(ctx, id); err != nil {
			return err
		}
		if out.Sessions, err = q.ClientSessions(ctx, id); err != nil {
			return err
		}
		refs, err := q.Referrals(ctx, store.ReferralFilter{ClientID: &id}, 10000)
		if err != nil {
			return err
		}
		for _, r := range refs {
			er := ExportedReferral{Referral: r}
			if s, err := q.ServiceByID(ctx, r.ServiceID); err == nil {
				er.ServiceName = s.Name
			}
			if er.History, err = q.ReferralEvents(ctx, r.ID); err != nil {
				return err
			}
			out.Referrals = append(out.Referrals, er)
		}
		if out.Outcomes, err = q.Outcomes(ctx, id); err != nil {
			return err
		}
		out.Audit, err = q.AuditFor(ctx, "client", id.String())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EraseClient removes a client's personal data, keeping anonymised counts
// for reports: needs, referrals and their outcomes, and wellbeing scores
// stay, tied to nobody. It needs a reason, which the record and the audit
// trail keep. Erasure cannot be undone.
func (cw *Casework) EraseClient(ctx context.Context, id uuid.UUID, reason string) (*store.Client, error) {
	reason = strings.TrimSpace(reason)
	var ps fault.Problems
	if reason == "" {
		return nil, fault.InvalidField("reason", "say why the client's data is erased (for example, their request of a date)")
	}
	if !bounds.CheckProse(&ps, "reason", reason, bounds.Note) {
		return nil, ps.Err()
	}
	var c *store.Client
	err := cw.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if c, err = q.ClientForUpdate(ctx, id); err != nil {
			return store.Fault(err, "client", id)
		}
		if err := cw.policy.Authorize(ctx, access.EditClient, clientResource(c, reason)); err != nil {
			return hide(ctx, err, "client", id)
		}
		if c.ErasedAt != nil {
			return fault.InvalidField("id", "the client's data has already been erased")
		}
		if err := q.EraseClient(ctx, id, "erased: "+reason); err != nil {
			return err
		}
		c, err = q.ClientByID(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
