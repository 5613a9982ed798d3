package casework

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/store"
)

// Client statuses.
const (
	StatusOpen   = "OPEN"
	StatusOnHold = "ON_HOLD"
	StatusClosed = "CLOSED"
)

// Goal statuses.
const (
	GoalActive   = "ACTIVE"
	GoalAchieved = "ACHIEVED"
	GoalDropped  = "DROPPED"
)

var (
	clientStatuses  = []string{StatusOpen, StatusOnHold, StatusClosed}
	goalStatuses    = []string{GoalActive, GoalAchieved, GoalDropped}
	contactMethods  = []string{"PHONE", "EMAIL", "TEXT", "POST"}
	referralSources = []string{"GP_PRACTICE", "SELF", "OTHER"}
	sessionKinds    = []string{"FACE_TO_FACE", "TELEPHONE", "VIDEO", "HOME_VISIT"}
	weekdays        = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	genders         = []string{"WOMAN", "MAN", "NON_BINARY"}
	clockRE         = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	phoneRE         = regexp.MustCompile(`^\+?[0-9 ()-]{6,20}$`)
)

// Most items a client's lists may hold. The GraphQL API's cost of a
// client's lists assumes these, so they are the API's contract too.
const (
	MaxNeeds = 20
	// MaxGoals counts every goal of a client, achieved and dropped too.
	MaxGoals = 50
	// MaxAvailability counts the times a client is free in a week.
	MaxAvailability = 28
	// MaxTags bounds each of a client's languages, accessibility needs and
	// interests.
	MaxTags = 20
	// MaxCircumstances bounds the circumstances a client or profile gives.
	MaxCircumstances = 20
)

// personGender is the matcher's word for each gender a client may give.
var personGender = map[string]string{"WOMAN": matcher.PersonWoman, "MAN": matcher.PersonMan,
	"NON_BINARY": matcher.PersonNonBinary}

// MatcherGender is the matcher's word (matcher.PersonWoman…) for a gender
// as the API spells it (WOMAN, MAN, NON_BINARY); "" when not given.
func MatcherGender(g string) string { return personGender[g] }

// CheckCircumstances checks circumstance codes: at most MaxCircumstances,
// each in the vocabulary; a problem names the field of each bad one.
func CheckCircumstances(ps *fault.Problems, field string, codes []string) {
	if !bounds.CheckTags(ps, field, codes, MaxCircumstances) {
		return
	}
	for i, c := range codes {
		if !matcher.IsCircumstance(c) {
			ps.Add(fmt.Sprintf("%s[%d]", field, i), "%q is not a known circumstance code (see the circumstances query)", c)
		}
	}
}

// NeedInput is a need from the vocabulary with a priority: 1 highest, 3
// lowest, 2 when not given.
type NeedInput struct {
	Need     string
	Priority int
}

// ClientInput is everything a link worker records about a client.
type ClientInput struct {
	TeamID           uuid.UUID
	LinkWorkerID     *uuid.UUID
	FirstName        string
	LastName         string
	DateOfBirth      *time.Time
	Postcode         string
	NHSNumber        string
	Email            string
	Phone            string
	PreferredContact string
	ReferralSource   string
	ReferralDetail   string
	ConsentHold      bool
	ConsentShare     bool
	Needs            []NeedInput
	Availability     []store.Availability
	MaxDistanceKm    *float64
	RemoteOK         bool
	FreeOnly         bool
	Languages        []string
	Accessibility    []string
	Interests        []string
	// Gender is WOMAN, MAN, NON_BINARY or "" when not given.
	Gender string
	// Circumstances are circumstance codes from the vocabulary.
	Circumstances []string
	// Reason is an admin's reason for touching the record.
	Reason string
}

func (in *ClientInput) normalise() {
	for _, s := range []*string{&in.FirstName, &in.LastName, &in.Postcode, &in.NHSNumber, &in.Email, &in.Phone,
		&in.ReferralDetail, &in.Reason} {
		*s = strings.TrimSpace(*s)
	}
	in.PreferredContact = strings.ToUpper(strings.TrimSpace(in.PreferredContact))
	if in.PreferredContact == "" {
		in.PreferredContact = "PHONE"
	}
	in.ReferralSource = strings.ToUpper(strings.TrimSpace(in.ReferralSource))
	in.Languages = tidy(in.Languages)
	in.Accessibility = tidy(in.Accessibility)
	in.Interests = tidy(in.Interests)
	in.Gender = strings.ToUpper(strings.TrimSpace(in.Gender))
	in.Circumstances = tidy(in.Circumstances)
	for i := range in.Availability {
		in.Availability[i].Day = strings.ToUpper(strings.TrimSpace(in.Availability[i].Day))
	}
}

// tidy trims every item and drops empty ones and repeats.
func tidy(list []string) []string {
	out := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// checkCounts checks the length of a client's lists. A list longer than
// its limit is the only problem reported: its items are not read.
func (in *ClientInput) checkCounts(p string) fault.Problems {
	var ps fault.Problems
	bounds.CheckCount(&ps, p+"needs", len(in.Needs), MaxNeeds)
	bounds.CheckCount(&ps, p+"availability", len(in.Availability), MaxAvailability)
	bounds.CheckCount(&ps, p+"languages", len(in.Languages), MaxTags)
	bounds.CheckCount(&ps, p+"accessibility", len(in.Accessibility), MaxTags)
	bounds.CheckCount(&ps, p+"interests", len(in.Interests), MaxTags)
	bounds.CheckCount(&ps, p+"circumstances", len(in.Circumstances), MaxCircumstances)
	return ps
}

// checkTexts checks every text of a client against its bounds, and
// reports whether they all passed.
func (in *ClientInput) checkTexts(ps *fault.Problems, p string) bool {
	n := len(*ps)
	bounds.CheckLine(ps, p+"firstName", in.FirstName, bounds.Name)
	bounds.CheckLine(ps, p+"lastName", in.LastName, bounds.Name)
	bounds.CheckAddress(ps, p+"postcode", in.Postcode, bounds.Postcode)
	bounds.CheckLine(ps, p+"nhsNumber", in.NHSNumber, bounds.Code)
	bounds.CheckAddress(ps, p+"email", in.Email, bounds.Email)
	bounds.CheckAddress(ps, p+"phone", in.Phone, bounds.Phone)
	bounds.CheckLine(ps, p+"referralDetail", in.ReferralDetail, bounds.Line)
	bounds.CheckProse(ps, "reason", in.Reason, bounds.Note)
	bounds.CheckTags(ps, p+"languages", in.Languages, MaxTags)
	bounds.CheckTags(ps, p+"accessibility", in.Accessibility, MaxTags)
	bounds.CheckTags(ps, p+"interests", in.Interests, MaxTags)
	return len(*ps) == n
}

func (in *ClientInput) validate(p string, now time.Time) fault.Problems {
	if ps := in.checkCounts(p); len(ps) > 0 {
		return ps
	}
	var ps fault.Problems
	if !in.checkTexts(&ps, p) {
		return ps
	}
	if in.FirstName == "" {
		ps.Add(p+"firstName", "is required")
	}
	if !in.ConsentHold {
		ps.Add(p+"consentHold", "a client's record may only be kept with their consent to hold their data")
	}
	if in.TeamID == uuid.Nil {
		ps.Add(p+"teamId", "is required")
	}
	if d := in.DateOfBirth; d != nil {
		switch {
		case d.After(now):
			ps.Add(p+"dateOfBirth", "is in the future")
		case d.Before(now.AddDate(-120, 0, 0)):
			ps.Add(p+"dateOfBirth", "is more than 120 years ago")
		}
	}
	if in.NHSNumber != "" && !ValidNHSNumber(in.NHSNumber) {
		ps.Add(p+"nhsNumber", "is not a valid NHS number (ten digits with a modulus 11 check digit)")
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			ps.Add(p+"email", "is not an e-mail address")
		}
	}
	if in.Phone != "" && !phoneRE.MatchString(in.Phone) {
		ps.Add(p+"phone", "is not a telephone number")
	}
	switch {
	case !slices.Contains(contactMethods, in.PreferredContact):
		ps.Add(p+"preferredContact", "must be one of %s", strings.Join(contactMethods, ", "))
	case in.PreferredContact == "EMAIL" && in.Email == "":
		ps.Add(p+"email", "is needed when the preferred contact is e-mail")
	case (in.PreferredContact == "PHONE" || in.PreferredContact == "TEXT") && in.Phone == "":
		ps.Add(p+"phone", "is needed when the preferred contact is by phone or text")
	}
	switch {
	case !slices.Contains(referralSources, in.ReferralSource):
		ps.Add(p+"referralSource", "must be one of %s", strings.Join(referralSources, ", "))
	case in.ReferralSource == "GP_PRACTICE" && in.ReferralDetail == "":
		ps.Add(p+"referralDetail", "name the GP practice or give its code")
	}
	if in.Gender != "" && !slices.Contains(genders, in.Gender) {
		ps.Add(p+"gender", "must be one of %s", strings.Join(genders, ", "))
	}
	CheckCircumstances(&ps, p+"circumstances", in.Circumstances)
	if d := in.MaxDistanceKm; d != nil && (*d <= 0 || *d > 200) {
		ps.Add(p+"maxDistanceKm", "must be above 0 and at most 200")
	}
	for i, a := range in.Availability {
		f := fmt.Sprintf("%savailability[%d]", p, i)
		if !slices.Contains(weekdays, a.Day) {
			ps.Add(f+".day", "must be one of %s", strings.Join(weekdays, ", "))
		}
		if (a.From == "") != (a.To == "") {
			ps.Add(f+".from", "give both from and to, or neither for the whole day")
		} else if a.From != "" {
			switch {
			case !clockRE.MatchString(a.From):
				ps.Add(f+".from", "must be a time like 09:30")
			case !clockRE.MatchString(a.To):
				ps.Add(f+".to", "must be a time like 17:00")
			case a.To <= a.From:
				ps.Add(f+".to", "must be after from")
			}
		}
	}
	return ps
}

// GoalInput is a goal as the link worker records it.
type GoalInput struct {
	Text     string
	Needs    []string
	Status   string
	Progress int
}

// SessionInput plans or records a session.
type SessionInput struct {
	Date            time.Time
	Kind            string
	DurationMinutes *int
	Notes           string
	Attended        *bool
	// ExtensionReason is why a client needs more than SessionLimit sessions.
	ExtensionReason string
}

func (in *SessionInput) check(ps *fault.Problems) {
	in.Kind = strings.ToUpper(strings.TrimSpace(in.Kind))
	if in.Date.IsZero() {
		ps.Add("input.date", "is required")
	}
	if !slices.Contains(sessionKinds, in.Kind) {
		ps.Add("input.kind", "must be one of %s", strings.Join(sessionKinds, ", "))
	}
	if d := in.DurationMinutes; d != nil && (*d < 1 || *d > 600) {
		ps.Add("input.durationMinutes", "must be from 1 to 600")
	}
	bounds.CheckProse(ps, "input.notes", in.Notes, bounds.Prose)
	bounds.CheckProse(ps, "input.extensionReason", in.ExtensionReason, bounds.Note)
}

func (in *SessionInput) apply(s *store.ClientSession) {
	s.Date, s.Kind, s.DurationMinutes = in.Date, in.Kind, in.DurationMinutes
	s.Notes, s.Attended = strings.TrimSpace(in.Notes), in.Attended
}
