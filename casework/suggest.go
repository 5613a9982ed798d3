package casework

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/store"
)

// Ranker ranks services for a profile: the matching service.
type Ranker interface {
	Match(ctx context.Context, p matching.Profile, first int) ([]matching.Result, error)
}

// Suggest returns the first services (matching.DefaultResults when nil) to
// suggest for a client, best first, leaving out the services the client
// already has an open or completed referral to. The ranking asks for as
// many more as are left out, so that leaving them out does not shorten the
// list, within the matcher's bound.
func (cw *Casework) Suggest(ctx context.Context, rank Ranker, c *store.Client, first *int) ([]matching.Result, error) {
	n := matching.DefaultResults
	if first != nil {
		n = *first
	}
	if n < 1 || n > matching.MaxResults {
		return nil, fault.InvalidField("first", "must be between 1 and %d", matching.MaxResults)
	}
	p, exclude, err := cw.Profile(ctx, c)
	if err != nil {
		return nil, err
	}
	results, err := rank.Match(ctx, matching.Fit(p), min(n+len(exclude), matching.MaxResults))
	if err != nil {
		return nil, err
	}
	out := make([]matching.Result, 0, n)
	for _, res := range results {
		if !exclude[res.Service.ID] && len(out) < n {
			out = append(out, res)
		}
	}
	return out, nil
}

// Profile builds the matching profile from a client's record: needs,
// active goals in their words, interests, age, gender, circumstances,
// location and preferences.
// It also returns the services the client already has an open or
// completed referral to, which suggestions leave out.
func (cw *Casework) Profile(ctx context.Context, c *store.Client) (matcher.Profile, map[uuid.UUID]bool, error) {
	p := matcher.Profile{Interests: c.Interests, MaxDistanceKm: c.MaxDistanceKm, FreeOnly: c.FreeOnly,
		Languages: c.Languages, Accessibility: c.Accessibility,
		Gender: MatcherGender(c.Gender), Circumstances: c.Circumstances}
	remote := c.RemoteOK
	p.AcceptsRemote = &remote
	if c.Latitude != nil && c.Longitude != nil {
		p.Location = &matcher.Point{Latitude: *c.Latitude, Longitude: *c.Longitude}
	}
	if c.DateOfBirth != nil {
		a := Age(*c.DateOfBirth, cw.now())
		p.Age = &a
	}
	for _, a := range c.Availability {
		p.Availability = append(p.Availability, matcher.Availability{Day: a.Day, From: a.From, To: a.To})
	}
	needs, err := cw.st.ClientNeeds(ctx, c.ID)
	if err != nil {
		return p, nil, err
	}
	for _, n := range needs {
		p.Needs = append(p.Needs, n.Need)
	}
	goals, err := cw.st.Goals(ctx, c.ID)
	if err != nil {
		return p, nil, err
	}
	for _, g := range goals {
		if g.Status == GoalActive && g.Text != "" {
			p.Goals = append(p.Goals, g.Text)
		}
	}
	refs, err := cw.st.Referrals(ctx, store.ReferralFilter{ClientID: &c.ID}, 10000)
	if err != nil {
		return p, nil, err
	}
	exclude := map[uuid.UUID]bool{}
	for _, r := range refs {
		if Open(r.Status) || r.Status == Completed {
			exclude[r.ServiceID] = true
		}
	}
	return p, exclude, nil
}

// Age is whole years from a date of birth to now.
func Age(dob, now time.Time) int {
	y := now.Year() - dob.Year()
	if now.Month() < dob.Month() || now.Month() == dob.Month() && now.Day() < dob.Day() {
		y--
	}
	return y
}
