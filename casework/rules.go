// Package casework is the link worker's daily work: clients, their needs
// and goals, sessions, referrals to services that the receiving
// organisation answers, wellbeing outcomes, reports, and the data
// protection duties (every read and write audited, subject access export,
// erasure).
package casework

import (
	"fmt"
	"strings"
	"unicode"
)

// Referral statuses.
const (
	Draft        = "DRAFT"
	Sent         = "SENT"
	Accepted     = "ACCEPTED"
	Declined     = "DECLINED"
	Attended     = "ATTENDED"
	DidNotAttend = "DID_NOT_ATTEND"
	Completed    = "COMPLETED"
	Withdrawn    = "WITHDRAWN"
)

// Who makes a move: the client's link worker, or the receiving partner.
const (
	byLinkWorker = "link worker"
	byPartner    = "partner"
)

// transitions is the referral state machine: from → to → who may.
var transitions = map[string]map[string]string{
	Draft:    {Sent: byLinkWorker, Withdrawn: byLinkWorker},
	Sent:     {Accepted: byPartner, Declined: byPartner, Withdrawn: byLinkWorker},
	Accepted: {Attended: byPartner, DidNotAttend: byPartner, Withdrawn: byLinkWorker},
	Attended: {Completed: byPartner, Withdrawn: byLinkWorker},
}

// Statuses lists every referral status.
var Statuses = []string{Draft, Sent, Accepted, Declined, Attended, DidNotAttend, Completed, Withdrawn}

// CanMove reports whether from → to is a move of the state machine, and
// who makes it.
func CanMove(from, to string) (string, bool) {
	who, ok := transitions[from][to]
	return who, ok
}

// Open reports whether a referral can still change.
func Open(status string) bool { _, ok := transitions[status]; return ok }

// ValidNHSNumber checks an NHS number: ten digits (spaces allowed) whose
// last is the modulus 11 check digit of the first nine.
func ValidNHSNumber(s string) bool {
	var d []int
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			d = append(d, int(r-'0'))
		case r == ' ' || r == '-':
		default:
			return false
		}
	}
	if len(d) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += d[i] * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == d[9]
}

// NormaliseNHSNumber writes an NHS number as 3 3 4 digits.
func NormaliseNHSNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) != 10 {
		return s
	}
	return d[:3] + " " + d[3:6] + " " + d[6:]
}

// Outcome instruments.
const (
	ONS4    = "ONS4"
	SWEMWBS = "SWEMWBS"
)

// ScoreOutcome checks an instrument's item scores and returns the total:
// ONS4 has four items of 0–10 (life satisfaction, worthwhile, happiness,
// anxiety; the total is only a sum for storage, items are reported one by
// one); SWEMWBS has seven items of 1–5, raw total 7–35. A problem names
// the part at fault: "instrument" or "scores".
func ScoreOutcome(instrument string, scores []int) (total int, field, problem string) {
	var n, lo, hi int
	switch instrument {
	case ONS4:
		n, lo, hi = 4, 0, 10
	case SWEMWBS:
		n, lo, hi = 7, 1, 5
	default:
		return 0, "instrument", "must be ONS4 or SWEMWBS"
	}
	if len(scores) != n {
		return 0, "scores", fmt.Sprintf("%s needs exactly %d item scores", instrument, n)
	}
	for _, s := range scores {
		if s < lo || s > hi {
			return 0, "scores", fmt.Sprintf("each %s item score must be from %d to %d", instrument, lo, hi)
		}
		total += s
	}
	return total, "", ""
}
