package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/store"
)

// AudienceInput is an organisation's answer to whom a service is for: an
// age range, a gender (matcher.GenderWomen, matcher.GenderMen or "" for
// anyone) and the circumstance codes of the closed groups it is only for.
// Nothing given means the service is open to everyone.
type AudienceInput struct {
	MinimumAge, MaximumAge *int
	Gender                 string
	Groups                 []string
}

var audienceGenders = []string{matcher.GenderWomen, matcher.GenderMen}

// MaxAudienceGroups bounds the groups of an audience: a service cannot be
// only for more groups than the vocabulary holds.
var MaxAudienceGroups = len(matcher.CircumstanceCodes())

func (in *AudienceInput) normalise() {
	in.Gender = strings.ToLower(strings.TrimSpace(in.Gender))
	if len(in.Groups) > MaxAudienceGroups {
		return // refused by validate without reading the items
	}
	groups := make([]string, 0, len(in.Groups))
	for _, g := range in.Groups {
		if g = strings.TrimSpace(g); g != "" && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	in.Groups = groups
}

// validate checks the audience; problems name fields under prefix.
func (in *AudienceInput) validate(prefix string) fault.Problems {
	var ps fault.Problems
	for _, a := range []struct {
		field string
		v     *int
	}{{"minimumAge", in.MinimumAge}, {"maximumAge", in.MaximumAge}} {
		if a.v != nil && (*a.v < 0 || *a.v > maxAge) {
			ps.Add(prefix+a.field, "must be between 0 and %d", maxAge)
		}
	}
	if in.MinimumAge != nil && in.MaximumAge != nil && *in.MinimumAge > *in.MaximumAge {
		ps.Add(prefix+"minimumAge", "must not be greater than the maximum age (%d)", *in.MaximumAge)
	}
	if in.Gender != "" && !slices.Contains(audienceGenders, in.Gender) {
		ps.Add(prefix+"gender", "must be one of %s, or empty for anyone", strings.Join(audienceGenders, ", "))
	}
	if !bounds.CheckTags(&ps, prefix+"groups", in.Groups, MaxAudienceGroups) {
		return ps
	}
	for i, g := range in.Groups {
		if !matcher.IsCircumstance(g) {
			ps.Add(fmt.Sprintf("%sgroups[%d]", prefix, i), "%q is not a known circumstance code (see the circumstances query)", g)
		}
	}
	return ps
}

// SetServiceAudience records the organisation's answer to whom a service
// is for, which wins over the audience derived from its words; nil clears
// it, going back to the derived one. It is a service edit: the same people
// may make it, it is audited, bumps the version (a stale version fails with
// fault.Conflict) and reaches the index through the outbox.
func (d *Directory) SetServiceAudience(ctx context.Context, id uuid.UUID, version int, in *AudienceInput) (*store.Service, error) {
	why := "audience cleared: derived from the listing again"
	if in != nil {
		why = "audience confirmed by the organisation"
	}
	// The input is checked only once the caller may edit the service: its
	// problems are no one else's to learn.
	return d.lockedServiceWriteWhy(ctx, id, version, access.EditService, why, func(ctx context.Context, q store.Queries, s *store.Service) (*store.Service, error) {
		var a *store.Audience
		if in != nil {
			in.normalise()
			if err := in.validate("input.").Err(); err != nil {
				return nil, err
			}
			a = &store.Audience{MinimumAge: in.MinimumAge, MaximumAge: in.MaximumAge, Gender: in.Gender, Groups: in.Groups}
		}
		s.Audience = a
		return s, q.SetServiceAudience(ctx, s, version)
	})
}
