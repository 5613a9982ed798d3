package matcher

import (
	"math"
	"time"
)

// signals are the parts of a score.
type signals struct {
	need, text, distance, schedule, cost, freshness, history, audience, focus float64
}

func (s signals) asMap() map[string]float64 {
	return map[string]float64{"need": s.need, "text": s.text, "distance": s.distance, "schedule": s.schedule,
		"cost": s.cost, "freshness": s.freshness, "history": s.history, "audience": s.audience, "focus": s.focus}
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

func historySignal(h History) float64 {
	if h.Sent == 0 {
		return 0.5
	}
	// Beta(1,1) smoothing of accepted and attended shares.
	acc := float64(h.Accepted+1) / float64(h.Sent+2)
	att := float64(h.Attended+1) / float64(h.Accepted+2)
	return (acc + att) / 2
}
