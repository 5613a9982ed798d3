package matcher

import (
	"context"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
)

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

// Rank returns the services that suit the profile, best first.
func (ix *Index) Rank(ctx context.Context, p Profile, o Options) ([]Match, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := newRanking(ix, p, o)
	r.wantNeeds()
	if err := r.scoreText(ctx); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	buf := getBuffers(len(ix.all))
	defer putBuffers(buf)
	r.useBuffers(buf)
	r.considerTextHits()
	if err := r.walkNeedLists(ctx); err != nil {
		return nil, err
	}
	r.markCovered()
	return r.matches(), nil
}

// ranking is one call of Rank: the profile and options with their
// defaults, and what its phases hand on to one another.
type ranking struct {
	ix      *Index
	p       Profile
	o       Options
	w       Weights
	reading *goalReading // goals and interests, read in context
	who     person       // the person's side of audience matching
	// remoteRuledOut is set when the person's words, not the profile,
	// ruled out services used from home.
	remoteRuledOut bool

	wanted    []want
	shareOf   map[string]float64 // each wanted need's share, by code
	totalWant float64

	textHits  map[string]float64 // text relevance by service id
	ruledOut  map[string]float64 // how much a service is about what the person ruled out
	textByIdx []float64          // the same by entry index; nil without text hits
	seen      []bool             // by entry index

	pool   []candidate // the best so far, best first
	lowest float64     // the lowest score in a full pool
}

// want is a need the ranking looks for, with its share of the need signal.
type want struct {
	need  string
	share float64
	idx   int
}

// newRanking fills in the options' defaults. Without needs, the client's
// words carry half the need signal's weight.
func newRanking(ix *Index, p Profile, o Options) *ranking {
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
	r := &ranking{ix: ix, p: p, o: o, w: w, who: personOf(&p), shareOf: map[string]float64{}}
	r.reading = readGoals(append(append([]string{}, p.Goals...), p.Interests...))
	// "Nothing online" is the profile's own field when the profile leaves
	// it open.
	if r.reading.noRemote && p.AcceptsRemote == nil {
		r.p.AcceptsRemote = new(bool)
		r.remoteRuledOut = true
	}
	return r
}

// wantNeeds lists the needs asked for, and the needs the client's own
// words point at (with a smaller share).
func (r *ranking) wantNeeds() {
	for _, n := range r.p.Needs {
		if r.shareOf[n] == 0 {
			r.shareOf[n] = 1
			r.wanted = append(r.wanted, want{n, 1, needIndex[n]})
		}
	}
	// Needs are found in what is left of the person's words once idioms
	// and rule-outs are read: "get out of the house" is not housing, "no
	// alcohol" is not a need for alcohol services.
	add := func(need, _ string) {
		if IsNeed(need) && r.shareOf[need] == 0 {
			r.shareOf[need] = goalNeedShare
			r.wanted = append(r.wanted, want{need, goalNeedShare, needIndex[need]})
		}
	}
	for _, n := range r.reading.idiomNeeds {
		add(n, "")
	}
	for _, seg := range r.reading.segments {
		needMatcher().match(tokens(seg), add)
	}
	for _, x := range r.wanted {
		r.totalWant += x.share
	}
}

// scoreText finds the text relevance of goals and interests from Bleve.
func (r *ranking) scoreText(ctx context.Context) error {
	var err error
	if r.textHits, err = r.ix.goalScores(ctx, r.reading, 400); err != nil {
		return err
	}
	r.ruledOut, err = r.ix.ruleOutScores(ctx, r.reading, 1000)
	return err
}

// useBuffers takes the scratch space, under the index's read lock, and
// the pool, and spreads the text hits by entry index.
func (r *ranking) useBuffers(buf *buffers) {
	r.seen = buf.seen
	if len(r.textHits) > 0 {
		r.textByIdx = buf.text
		for id, s := range r.textHits {
			if e := r.ix.entries[id]; e != nil {
				r.textByIdx[e.idx] = s
			}
		}
	}
	r.pool = make([]candidate, 0, r.o.Limit*poolFactor+1)
}

func (r *ranking) textOf(e *entry) float64 {
	if r.textByIdx == nil {
		return 0
	}
	return r.textByIdx[e.idx]
}

// considerTextHits considers the text hits first: after them no unseen
// service has any text score.
func (r *ranking) considerTextHits() {
	for id, s := range r.textHits {
		if e := r.ix.entries[id]; e != nil {
			r.consider(e, s)
		}
	}
}

// walkNeedLists goes down the need lists, strongest first, in step
// (Fagin's threshold algorithm): a service not yet seen has, in each list,
// at most the strength at the current depth, so once that bound plus the
// most the other signals can add cannot beat the weakest result kept, it
// stops.
func (r *ranking) walkNeedLists(ctx context.Context) error {
	w, p := &r.w, &r.p
	rest := w.Distance*maxIf(p.Location != nil, 1, 0.5) + w.Schedule*maxIf(len(p.Availability) > 0, 1, 0.5) +
		w.Cost + w.Freshness + w.History + w.Audience*r.who.upperBound()
	lists := make([][]*entry, len(r.wanted))
	for i, x := range r.wanted {
		lists[i] = r.ix.needList(x.need)
	}
	for depth := 0; ; depth++ {
		// A request that has ended (the client went away, the server is
		// stopping) stops ranking.
		if depth%ctxCheckEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		more, bound := false, 0.0
		for i, l := range lists {
			if depth < len(l) {
				more = true
				e := l[depth]
				r.consider(e, r.textOf(e))
				bound += r.wanted[i].share * e.strength[r.wanted[i].idx]
			}
		}
		if !more || len(r.pool) == cap(r.pool)-1 && r.totalWant > 0 && w.Need*bound/r.totalWant+rest < r.lowest {
			return nil
		}
	}
}

// consider scores a service not seen before that passes the hard filters
// and keeps it if it is among the best so far.
func (r *ranking) consider(e *entry, text float64) {
	if r.seen[e.idx] {
		return
	}
	r.seen[e.idx] = true
	c := candidate{e: e, text: text}
	if !r.ix.passes(&c, &r.p, &r.who) {
		return
	}
	c.sig = r.signalsOf(&c)
	w := &r.w
	c.score = w.Need*c.sig.need + w.Text*c.sig.text + w.Distance*c.sig.distance + w.Schedule*c.sig.schedule +
		w.Cost*c.sig.cost + w.Freshness*c.sig.freshness + w.History*c.sig.history + w.Audience*c.sig.audience
	// Demoting only lowers a score, so the need lists' bound still holds.
	if s := r.ruledOut[e.doc.ID]; s > 0 && c.score > 0 { // a nil map when nothing was ruled out
		c.score *= 1 - ruleOutPenalty*s
	}
	if r.who.demoted(e) {
		c.score *= softAudienceFactor
	}
	r.keep(c)
}

// signalsOf works out the parts of a candidate's score. The need signal is
// the wanted needs' strengths, weighed by their shares and by how much of
// the service is about them (its focus).
func (r *ranking) signalsOf(c *candidate) signals {
	e := c.e
	var need, onTopic float64
	for _, x := range r.wanted {
		if st := e.strength[x.idx]; st > 0 {
			need += x.share * st
			if st >= minStrength {
				onTopic += st
			}
		}
	}
	if r.totalWant > 0 {
		need /= r.totalWant
	}
	focus := 0.0
	if e.evidence > 0 {
		focus = onTopic / e.evidence
	}
	need *= 1 - focusShare + focusShare*focus
	return signals{need: need, text: c.text, focus: focus, distance: distanceSignal(c, &r.p),
		schedule: scheduleSignal(c, &r.p), cost: costSignal(e), freshness: freshness(e.doc.AssuredDate, r.o.Now),
		history: historySignal(e.doc.History), audience: r.who.signal(e)}
}

// keep inserts a candidate into the pool in order. Only the best
// poolFactor*limit are kept: diversification reorders the head of the
// list, and nothing below it can reach the top.
func (r *ranking) keep(c candidate) {
	if len(r.pool) == cap(r.pool)-1 {
		if c.score <= r.lowest {
			return
		}
		r.pool = r.pool[:len(r.pool)-1]
	}
	i := sort.Search(len(r.pool), func(i int) bool { return better(&c, &r.pool[i]) })
	r.pool = append(r.pool, candidate{})
	copy(r.pool[i+1:], r.pool[i:])
	r.pool[i] = c
	r.lowest = r.pool[len(r.pool)-1].score
}

// markCovered records, for each kept candidate, the needs asked for that
// it meets: on firm evidence (see firmEvidence), as a passing word weighs
// in the ranking but does not make a service one that helps with a need.
func (r *ranking) markCovered() {
	for i := range r.pool {
		c := &r.pool[i]
		for _, x := range r.wanted {
			if ev := c.e.needs[x.need]; ev != nil && ev.Strength >= minStrength && ev.Firm && x.share == 1 {
				c.covered = append(c.covered, x.need)
			}
		}
		sort.Strings(c.covered)
	}
}

// matches diversifies the pool and turns the chosen into matches with
// their reasons.
func (r *ranking) matches() []Match {
	words := clientWords(r.reading)
	ptrs := make([]*candidate, len(r.pool))
	for i := range r.pool {
		ptrs[i] = &r.pool[i]
	}
	picked := diversify(ptrs, r.p.Needs, r.o.Limit, r.w)
	out := make([]Match, len(picked))
	for i, c := range picked {
		fit := r.who.fit(c.e)
		m := Match{ServiceID: c.e.doc.ID, Score: math.Round(c.score*10000) / 10000, NeedsCovered: c.covered,
			Signals: c.sig.asMap(), Audience: fit,
			Reasons: append(r.who.reasons(fit), reasons(c, &r.p, words)...)}
		if r.remoteRuledOut && c.e.inPerson {
			m.Reasons = append(m.Reasons, Reason{Kind: ReasonGoal, Text: "In person, as the client asked: " + quoteList([]string{r.reading.remoteSaid}, 1) + "."})
		}
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
	return out
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

// passes applies the hard filters (including the service's audience, see
// person.excluded); it also records distance and the nearest location.
func (ix *Index) passes(c *candidate, p *Profile, who *person) bool {
	d := &c.e.doc
	if d.Status != "" && d.Status != "active" {
		return false
	}
	if !d.AcceptingRefs {
		return false
	}
	if who.excluded(c.e) {
		return false
	}
	// Free only leaves out what states a charge: most imported listings
	// say nothing of cost, and silence is not a price.
	if p.FreeOnly && !d.Free && d.CostText != "" {
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
