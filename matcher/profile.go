package matcher

import (
	"fmt"
	"strings"
	"time"
)

// Profile describes the person services are ranked for.
type Profile struct {
	Needs     []string // codes from the built-in vocabulary
	Goals     []string // free text, as the client said it
	Interests []string
	Age       *int
	// Gender is PersonWoman, PersonMan, PersonNonBinary, or empty when
	// not given.
	Gender string
	// Circumstances are codes from CircumstanceCodes the person says apply
	// to them (e.g. "carer", "dementia").
	Circumstances []string
	Location      *Point
	MaxDistanceKm *float64
	// AcceptsRemote says whether online or telephone services will do; nil
	// means yes.
	AcceptsRemote *bool
	Availability  []Availability
	// FreeOnly leaves out services that state a charge (not those silent
	// about cost).
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
	// ReasonAudience says whom the service is for and why the person is
	// in it ("For carers — the client said they look after someone.").
	ReasonAudience ReasonKind = "AUDIENCE"
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
	// Audience is what of the service's audience the ranking used (a
	// closed group the person is in, an age range that targets them, their
	// single sex), or nil when it is open to all.
	Audience *AudienceFit
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
	switch p.Gender {
	case "", PersonWoman, PersonMan, PersonNonBinary:
	default:
		add("gender", "%q is not one of woman, man, non-binary", p.Gender)
	}
	for i, c := range p.Circumstances {
		if !IsCircumstance(c) {
			add(fmt.Sprintf("circumstances[%d]", i), "%q is not a known circumstance code", c)
		}
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
