package matcher

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
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
	sig     signals
	score   float64
	dist    float64
	hasDist bool
	nearest *Location // points into the document
	session *Session  // points into the document
	covered []string
}

// signals are the parts of a score.
type signals struct {
	need, text, distance, schedule, cost, freshness, history, age, focus float64
}

func (s signals) asMap() map[string]float64 {
	return map[string]float64{"need": s.need, "text": s.text, "distance": s.distance, "schedule": s.schedule,
		"cost": s.cost, "freshness": s.freshness, "history": s.history, "age": s.age, "focus": s.focus}
}

// Rank returns the services that suit the profile, best first.
func (ix *Index) Rank(ctx context.Context, p Profile, o Options) ([]Match, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
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
	type want struct {
		need  string
		share float64
		idx   int
	}
	var wanted []want
	shareOf := map[string]float64{}
	for _, n := range p.Needs {
		if shareOf[n] == 0 {
			shareOf[n] = 1
			wanted = append(wanted, want{n, 1, needIndex[n]})
		}
	}
	if goalText != "" {
		english()
		phrases.match(tokens(goalText), func(need, _ string) {
			if shareOf[need] == 0 {
				shareOf[need] = goalNeedShare
				wanted = append(wanted, want{need, goalNeedShare, needIndex[need]})
			}
		})
	}
	totalWant := 0.0
	for _, x := range wanted {
		totalWant += x.share
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
	buf := getBuffers(len(ix.all))
	defer putBuffers(buf)
	seen := buf.seen
	var textByIdx []float64
	if len(textHits) > 0 {
		textByIdx = buf.text
		for id, s := range textHits {
			if e := ix.entries[id]; e != nil {
				textByIdx[e.idx] = s
			}
		}
	}
	textOf := func(e *entry) float64 {
		if textByIdx == nil {
			return 0
		}
		return textByIdx[e.idx]
	}
	pool := make([]candidate, 0, o.Limit*poolFactor+1)
	var lowest float64 // the lowest score in a full pool
	consider := func(e *entry, text float64) {
		if seen[e.idx] {
			return
		}
		seen[e.idx] = true
		c := candidate{e: e, text: text}
		if !ix.passes(&c, &p) {
			return
		}
		var need, onTopic float64
		for _, x := range wanted {
			if st := e.strength[x.idx]; st > 0 {
				need += x.share * st
				if st >= minStrength {
					onTopic += st
				}
			}
		}
		if totalWant > 0 {
			need /= totalWant
		}
		focus := 0.0
		if e.evidence > 0 {
			focus = onTopic / e.evidence
		}
		need *= 1 - focusShare + focusShare*focus
		c.sig = signals{need: need, text: text, focus: focus, distance: distanceSignal(&c, &p),
			schedule: scheduleSignal(&c, &p), cost: costSignal(e), freshness: freshness(e.doc.AssuredDate, o.Now),
			history: historySignal(e.doc.History), age: ageSignal(e, p.Age)}
		c.score = w.Need*c.sig.need + w.Text*c.sig.text + w.Distance*c.sig.distance + w.Schedule*c.sig.schedule +
			w.Cost*c.sig.cost + w.Freshness*c.sig.freshness + w.History*c.sig.history + w.Age*c.sig.age
		// Keep only the best poolFactor*limit: diversification reorders
		// the head of the list, and nothing below it can reach the top.
		if len(pool) == cap(pool)-1 {
			if c.score <= lowest {
				return
			}
			pool = pool[:len(pool)-1]
		}
		i := sort.Search(len(pool), func(i int) bool { return better(&c, &pool[i]) })
		pool = append(pool, candidate{})
		copy(pool[i+1:], pool[i:])
		pool[i] = c
		lowest = pool[len(pool)-1].score
	}
	// Text hits first: after them no unseen service has any text score.
	for id, s := range textHits {
		if e := ix.entries[id]; e != nil {
			consider(e, s)
		}
	}
	// Then the need lists, strongest first, in step (Fagin's threshold
	// algorithm): a service not yet seen has, in each list, at most the
	// strength at the current depth, so once that bound plus the most the
	// other signals can add cannot beat the weakest result kept, stop.
	rest := w.Distance*maxIf(p.Location != nil, 1, 0.5) + w.Schedule*maxIf(len(p.Availability) > 0, 1, 0.5) +
		w.Cost + w.Freshness + w.History + w.Age*maxIf(p.Age != nil, 1, 0)
	lists := make([][]*entry, len(wanted))
	for i, x := range wanted {
		lists[i] = ix.needList(x.need)
	}
	for depth := 0; ; depth++ {
		// A request that has ended (the client went away, the server is
		// stopping) stops ranking.
		if depth%ctxCheckEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		more, bound := false, 0.0
		for i, l := range lists {
			if depth < len(l) {
				more = true
				e := l[depth]
				consider(e, textOf(e))
				bound += wanted[i].share * e.strength[wanted[i].idx]
			}
		}
		if !more || len(pool) == cap(pool)-1 && totalWant > 0 && w.Need*bound/totalWant+rest < lowest {
			break
		}
	}
	for i := range pool {
		c := &pool[i]
		for _, x := range wanted {
			if ev := c.e.needs[x.need]; ev != nil && ev.Strength >= minStrength && x.share == 1 {
				c.covered = append(c.covered, x.need)
			}
		}
		sort.Strings(c.covered)
	}
	words := clientWords(goalText)
	ptrs := make([]*candidate, len(pool))
	for i := range pool {
		ptrs[i] = &pool[i]
	}
	picked := diversify(ptrs, p.Needs, o.Limit, w)
	out := make([]Match, len(picked))
	for i, c := range picked {
		m := Match{ServiceID: c.e.doc.ID, Score: math.Round(c.score*10000) / 10000, NeedsCovered: c.covered,
			Signals: c.sig.asMap(), Reasons: reasons(c, &p, shareOf, words, o.Now)}
		if c.hasDist {
			d := c.dist
			m.DistanceKm = &d
		}
		if c.nearest != nil {
			l := *c.nearest
			m.Location = &l
		}
		if c.session != nil {
			s := *c.session
			m.Session = &s
		}
		out[i] = m
	}
	return out, nil
}

// poolFactor: diversification chooses among the best limit*poolFactor.
const poolFactor = 10

// ctxCheckEvery is how many steps down the need lists ranking takes
// between looks at the request's context.
const ctxCheckEvery = 256

func maxIf(cond bool, yes, no float64) float64 {
	if cond {
		return yes
	}
	return no
}

// better orders candidates by score, then id, so rankings are stable.
func better(a, b *candidate) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.e.doc.ID < b.e.doc.ID
}

// textScores runs the goals and interests against the index and returns
// each hit's BM25 score divided by the best.
func (ix *Index) textScores(ctx context.Context, text string, size int) (map[string]float64, error) {
	req := bleve.NewSearchRequestOptions(textQuery(text), size, 0, false)
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
			if !c.hasDist || km < c.dist {
				c.dist, c.hasDist, c.nearest = km, true, l
			}
		}
		if p.MaxDistanceKm != nil {
			near := c.hasDist && c.dist <= *p.MaxDistanceKm && c.e.inPerson
			remote := c.e.remote && remoteOK
			unknown := !c.hasDist && c.e.inPerson && !c.e.remote
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
	case c.hasDist && c.e.inPerson:
		near := 1 / (1 + (c.dist/distanceScaleKm)*(c.dist/distanceScaleKm))
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
			c.session = &sessions[0]
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
				c.session = s
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
	pool := cands
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

// buffers are per-ranking scratch space, reused to spare the collector.
type buffers struct {
	seen []bool
	text []float64
}

var bufferPool sync.Pool

func getBuffers(n int) *buffers {
	b, _ := bufferPool.Get().(*buffers)
	if b == nil || cap(b.seen) < n {
		return &buffers{seen: make([]bool, n), text: make([]float64, n)}
	}
	b.seen, b.text = b.seen[:n], b.text[:n]
	return b
}

func putBuffers(b *buffers) {
	clear(b.seen)
	clear(b.text)
	bufferPool.Put(b)
}
