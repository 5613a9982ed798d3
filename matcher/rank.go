package matcher

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Profile describes the person services are ranked for.
type Profile struct {
	Needs         []string // codes from the built-in vocabulary
	Goals         []string // free text, as the client said it
	Interests     []string
	Age           *int
	Location      *Point
	MaxDistanceKm *float64
	// AcceptsRemote says whether online or telephone services will do; nil
	// means yes.
	AcceptsRemote *bool
	Availability  []Availability
	FreeOnly      bool
	Languages     []string
	Accessibility []string
}

// Point is a place on the map.
type Point struct{ Latitude, Longitude float64 }

// Availability is when the client is free: a day (MO … SU) and, when
// given, a time range (HH:MM).
type Availability struct {
	Day      string
	From, To string
}

// Options tune a ranking.
type Options struct {
	Limit   int
	Now     time.Time
	Weights *Weights
}

// ReasonKind classifies a reason.
type ReasonKind string

// Reason kinds.
const (
	ReasonNeed     ReasonKind = "NEED"
	ReasonGoal     ReasonKind = "GOAL"
	ReasonDistance ReasonKind = "DISTANCE"
	ReasonRemote   ReasonKind = "REMOTE"
	ReasonSession  ReasonKind = "SESSION"
	ReasonCost     ReasonKind = "COST"
	ReasonVerified ReasonKind = "VERIFIED"
	ReasonHistory  ReasonKind = "HISTORY"
)

// Reason is one reason for a match, with a sentence a link worker can say.
type Reason struct {
	Kind ReasonKind
	Text string
}

// Match is a ranked service.
type Match struct {
	ServiceID    string
	Score        float64
	DistanceKm   *float64
	Location     *Location // the nearest location, when known
	Session      *Session  // the session that fits, when known
	NeedsCovered []string
	Reasons      []Reason
	// Signals are the parts of the score, for explanation and tuning.
	Signals map[string]float64
}

// ProfileError names a field of the profile that cannot be used.
type ProfileError struct {
	Field   string
	Message string
}

func (e *ProfileError) Error() string { return e.Field + ": " + e.Message }

// ProfileErrors are all the problems with a profile.
type ProfileErrors []*ProfileError

func (es ProfileErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

var dayCodes = map[string]bool{"MO": true, "TU": true, "WE": true, "TH": true, "FR": true, "SA": true, "SU": true}

// Validate checks a profile.
func (p *Profile) Validate() error {
	var es ProfileErrors
	add := func(field, format string, args ...any) {
		es = append(es, &ProfileError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for i, n := range p.Needs {
		if !IsNeed(n) {
			add(fmt.Sprintf("needs[%d]", i), "%q is not a known need code", n)
		}
	}
	if len(p.Needs) == 0 && strings.TrimSpace(strings.Join(p.Goals, "")+strings.Join(p.Interests, "")) == "" {
		add("needs", "give at least one need, goal or interest")
	}
	if p.Age != nil && (*p.Age < 0 || *p.Age > 130) {
		add("age", "must be between 0 and 130")
	}
	if l := p.Location; l != nil && (l.Latitude < -90 || l.Latitude > 90 || l.Longitude < -180 || l.Longitude > 180) {
		add("location", "coordinates must be within -90..90 and -180..180")
	}
	if d := p.MaxDistanceKm; d != nil {
		if *d <= 0 || *d > 1000 {
			add("maxDistanceKm", "must be above 0 and at most 1000")
		} else if p.Location == nil {
			add("maxDistanceKm", "needs a location to measure from")
		}
	}
	for i, a := range p.Availability {
		f := fmt.Sprintf("availability[%d]", i)
		if !dayCodes[a.Day] {
			add(f+".day", "%q is not a day (MO … SU)", a.Day)
		}
		if (a.From != "" && !isClock(a.From)) || (a.To != "" && !isClock(a.To)) {
			add(f+".from", "times must be HH:MM")
		} else if a.From != "" && a.To != "" && a.From >= a.To {
			add(f+".from", "must be before to")
		}
	}
	if len(es) > 0 {
		return es
	}
	return nil
}

func isClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	h, m := (s[0]-'0')*10+(s[1]-'0'), (s[3]-'0')*10+(s[4]-'0')
	return s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' && h < 24 && m < 60
}

type candidate struct {
	e       *entry
	text    float64
	signals map[string]float64
	score   float64
	dist    *float64
	nearest *Location
	session *Session
	covered []string
}

// Rank returns the services that suit the profile, best first.
func (ix *Index) Rank(ctx context.Context, p Profile, o Options) ([]Match, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	w := DefaultWeights
	if o.Weights != nil {
		w = *o.Weights
	}
	if o.Limit <= 0 {
		o.Limit = 10
	}
	if len(p.Needs) == 0 {
		w.Text += w.Need / 2
		w.Need /= 2
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	goalText := strings.TrimSpace(strings.Join(append(append([]string{}, p.Goals...), p.Interests...), " "))

	// Needs asked for, and needs the client's own words point at.
	wanted := map[string]float64{}
	for _, n := range p.Needs {
		wanted[n] = 1
	}
	if goalText != "" {
		english()
		phrases.match(tokens(goalText), func(need, _ string) {
			if wanted[need] == 0 {
				wanted[need] = goalNeedShare
			}
		})
	}

	// Text relevance of goals and interests from Bleve.
	textHits := map[string]float64{}
	if q := goalQuery(goalText); q != "" {
		var err error
		if textHits, err = ix.textScores(ctx, q, 400); err != nil {
			return nil, err
		}
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	cands := map[string]*candidate{}
	for n := range wanted {
		for id, e := range ix.byNeed[n] {
			cands[id] = &candidate{e: e}
		}
	}
	for id, s := range textHits {
		if e := ix.entries[id]; e != nil {
			c := cands[id]
			if c == nil {
				c = &candidate{e: e}
				cands[id] = c
			}
			c.text = s
		}
	}

	var kept []*candidate
	totalWant := 0.0
	for _, v := range wanted {
		totalWant += v
	}
	for _, c := range cands {
		if !ix.passes(c, &p) {
			continue
		}
		c.signals = map[string]float64{}
		need, onTopic, all := 0.0, 0.0, 0.0
		for n, share := range wanted {
			if ev := c.e.needs[n]; ev != nil {
				need += share * ev.Strength
				if ev.Strength >= minStrength {
					onTopic += ev.Strength
					if share == 1 {
						c.covered = append(c.covered, n)
					}
				}
			}
		}
		for _, ev := range c.e.needs {
			if ev.Strength >= minStrength {
				all += ev.Strength
			}
		}
		if totalWant > 0 {
			need /= totalWant
		}
		// Focus: how much of what the service does is what the client needs.
		focus := 0.0
		if all > 0 {
			focus = onTopic / all
		}
		c.signals["focus"] = focus
		need *= 1 - focusShare + focusShare*focus
		sort.Strings(c.covered)
		c.signals["need"] = need
		c.signals["text"] = c.text
		c.signals["distance"] = distanceSignal(c, &p)
		c.signals["schedule"] = scheduleSignal(c, &p)
		c.signals["cost"] = costSignal(c.e)
		c.signals["freshness"] = freshness(c.e.doc.AssuredDate, o.Now)
		c.signals["history"] = historySignal(c.e.doc.History)
		c.signals["age"] = ageSignal(c.e, p.Age)
		c.score = w.Need*need + w.Text*c.text + w.Distance*c.signals["distance"] + w.Schedule*c.signals["schedule"] +
			w.Cost*c.signals["cost"] + w.Freshness*c.signals["freshness"] + w.History*c.signals["history"] +
			w.Age*c.signals["age"]
		kept = append(kept, c)
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].score != kept[j].score {
			return kept[i].score > kept[j].score
		}
		return kept[i].e.doc.ID < kept[j].e.doc.ID
	})
	picked := diversify(kept, p.Needs, o.Limit, w)
	out := make([]Match, len(picked))
	for i, c := range picked {
		out[i] = Match{ServiceID: c.e.doc.ID, Score: math.Round(c.score*10000) / 10000, DistanceKm: c.dist,
			Location: c.nearest, Session: c.session, NeedsCovered: c.covered, Signals: c.signals,
			Reasons: reasons(c, &p, wanted, goalText, o.Now)}
	}
	return out, nil
}

// textScores runs the goals and interests against the index and returns
// each hit's BM25 score divided by the best.
func (ix *Index) textScores(ctx context.Context, text string, size int) (map[string]float64, error) {
	field := func(f string, boost float64) query.Query {
		q := query.NewMatchQuery(text)
		q.SetField(f)
		q.SetBoost(boost)
		return q
	}
	q := query.NewDisjunctionQuery([]query.Query{field("name", 3), field("labels", 2), field("description", 1), field("organisation", 0.5)})
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	if len(res.Hits) == 0 || res.MaxScore <= 0 {
		return out, nil
	}
	// The square root keeps a description-only match from vanishing next
	// to a service that has the word in its name.
	for _, h := range res.Hits {
		out[h.ID] = math.Sqrt(h.Score / res.MaxScore)
	}
	return out, nil
}

// passes applies the hard filters; it also records distance and the
// nearest location.
func (ix *Index) passes(c *candidate, p *Profile) bool {
	d := &c.e.doc
	if d.Status != "" && d.Status != "active" {
		return false
	}
	if !d.AcceptingRefs {
		return false
	}
	if p.Age != nil && ((d.MinimumAge != nil && *p.Age < *d.MinimumAge) || (d.MaximumAge != nil && *p.Age > *d.MaximumAge)) {
		return false
	}
	if p.FreeOnly && !d.Free {
		return false
	}
	remoteOK := p.AcceptsRemote == nil || *p.AcceptsRemote
	if !remoteOK && c.e.remote && !c.e.inPerson {
		return false
	}
	if len(p.Languages) > 0 && len(c.e.langs) > 0 {
		ok := false
		for _, l := range p.Languages {
			if c.e.langs[normaliseLanguage(l)] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(p.Accessibility) > 0 && len(c.e.access) > 0 {
		for _, need := range p.Accessibility {
			key := AccessibilityKey(need)
			if key != "" && !contains(c.e.access, key) {
				return false
			}
		}
	}
	if p.Location != nil {
		for i := range d.Locations {
			l := &d.Locations[i]
			km := haversineKm(p.Location.Latitude, p.Location.Longitude, l.Latitude, l.Longitude)
			if c.dist == nil || km < *c.dist {
				k := km
				c.dist, c.nearest = &k, l
			}
		}
		if p.MaxDistanceKm != nil {
			near := c.dist != nil && *c.dist <= *p.MaxDistanceKm && c.e.inPerson
			remote := c.e.remote && remoteOK
			unknown := c.dist == nil && c.e.inPerson && !c.e.remote
			if !near && !remote && !unknown {
				return false
			}
		}
	}
	return true
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	r := math.Pi / 180
	a := math.Pow(math.Sin((lat2-lat1)*r/2), 2) + math.Cos(lat1*r)*math.Cos(lat2*r)*math.Pow(math.Sin((lon2-lon1)*r/2), 2)
	return 2 * 6371.0088 * math.Asin(math.Sqrt(a))
}

func distanceSignal(c *candidate, p *Profile) float64 {
	remoteOK := p.AcceptsRemote == nil || *p.AcceptsRemote
	switch {
	case p.Location == nil:
		return 0.5
	case c.dist != nil && c.e.inPerson:
		near := 1 / (1 + math.Pow(*c.dist/distanceScaleKm, 2))
		if c.e.remote && remoteOK {
			return math.Max(near, 0.6)
		}
		return near
	case c.e.remote && remoteOK:
		return 0.6
	default:
		return 0.3
	}
}

// scheduleSignal scores how well sessions fit the availability and
// records the best-fitting session.
func scheduleSignal(c *candidate, p *Profile) float64 {
	sessions := c.e.doc.Sessions
	if len(p.Availability) == 0 {
		if len(sessions) > 0 {
			s := sessions[0]
			c.session = &s
		}
		return 0.5
	}
	if len(sessions) == 0 {
		return 0.3
	}
	best := 0.0
	for i := range sessions {
		s := &sessions[i]
		for _, a := range p.Availability {
			if !contains(s.Days, a.Day) {
				continue
			}
			fit := 0.6
			if s.Opens != "" && s.Closes != "" && (a.From == "" || s.Opens >= a.From) && (a.To == "" || s.Closes <= a.To) {
				fit = 1
			} else if s.Opens != "" && a.To != "" && s.Opens >= a.To || s.Closes != "" && a.From != "" && s.Closes <= a.From {
				continue // the session is wholly outside the client's time
			}
			if fit > best {
				best = fit
				cp := *s
				c.session = &cp
			}
		}
	}
	return best
}

func costSignal(e *entry) float64 {
	switch {
	case e.doc.Free:
		return 1
	case e.doc.CostText == "":
		return 0.6
	default:
		return 0.3
	}
}

func freshness(assured *time.Time, now time.Time) float64 {
	if assured == nil {
		return 0.3
	}
	days := now.Sub(*assured).Hours() / 24
	switch {
	case days <= freshFullDays:
		return 1
	case days >= freshZeroDays:
		return 0
	}
	return 1 - (days-freshFullDays)/(freshZeroDays-freshFullDays)
}

// ageSignal is how targeted a service's age range is at the client.
func ageSignal(e *entry, age *int) float64 {
	d := &e.doc
	if age == nil {
		return 0
	}
	if d.MinimumAge == nil && d.MaximumAge == nil {
		if len(e.audience) == 0 {
			return 0
		}
		for _, g := range ageGroups(*age) {
			if e.audience[g] {
				return 0.5
			}
		}
		return -0.5
	}
	lo, hi := 0, 100
	if d.MinimumAge != nil {
		lo = *d.MinimumAge
	}
	if d.MaximumAge != nil {
		hi = min(*d.MaximumAge, 100)
	}
	return math.Max(0, 1-float64(hi-lo)/100)
}

func historySignal(h History) float64 {
	if h.Sent == 0 {
		return 0.5
	}
	// Beta(1,1) smoothing of accepted and attended shares.
	acc := float64(h.Accepted+1) / float64(h.Sent+2)
	att := float64(h.Attended+1) / float64(h.Accepted+2)
	return (acc + att) / 2
}

// diversify picks results in order, favouring a service that covers a need
// nothing above it covers yet, and spreading organisations.
func diversify(cands []*candidate, needs []string, limit int, w Weights) []*candidate {
	uncovered := map[string]bool{}
	for _, n := range needs {
		uncovered[n] = true
	}
	orgCount := map[string]int{}
	shown := map[string]bool{}
	// The same programme listed once per office has the same name and
	// description, whatever organisation record each office hangs off.
	key := func(c *candidate) string {
		desc := c.e.doc.Description
		if len(desc) > 120 {
			desc = desc[:120]
		}
		return strings.ToLower(strings.TrimSpace(c.e.doc.Name)) + "\x00" + desc
	}
	var out []*candidate
	// Only the head of the list competes; beyond it order is by score.
	pool := cands
	if len(pool) > limit*20 {
		pool = pool[:limit*20]
	}
	used := make([]bool, len(pool))
	for len(out) < limit && len(out) < len(pool) {
		best, bestScore := -1, math.Inf(-1)
		for i, c := range pool {
			if used[i] {
				continue
			}
			s := c.score - w.SameOrganisation*float64(orgCount[c.e.doc.OrganisationID])
			if shown[key(c)] {
				s -= w.Duplicate
			}
			for _, n := range c.covered {
				if uncovered[n] {
					s += w.Diversity
					break
				}
			}
			if s > bestScore {
				best, bestScore = i, s
			}
		}
		used[best] = true
		c := pool[best]
		out = append(out, c)
		orgCount[c.e.doc.OrganisationID]++
		shown[key(c)] = true
		for _, n := range c.covered {
			delete(uncovered, n)
		}
	}
	return out
}
