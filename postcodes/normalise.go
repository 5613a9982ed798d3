package postcodes

import (
	"regexp"
	"strings"

	"github.com/signpost/signpost/fault"
)

var (
	// A full postcode is its outward code (the district) and its inward
	// code: a digit and two letters, never C, I, K, M, O or V (Royal Mail
	// leaves them out so that handwritten codes cannot be misread).
	fullRE    = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][ABD-HJLNP-UW-Z]{2})$`)
	outcodeRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?$`)
)

// Normalise is the one test of a UK postcode. It returns a full postcode
// in compact form (NE461BG) and its outward code (NE46), ignoring case and
// any spaces; ok is false when s is not a full UK postcode (an outward
// code alone is not one). GIR 0AA, the one postcode outside the pattern,
// is accepted.
func Normalise(s string) (compact, outcode string, ok bool) {
	c := upperNoSpaces(s)
	if c == "GIR0AA" {
		return c, "GIR", true
	}
	m := fullRE.FindStringSubmatch(c)
	if m == nil {
		return "", "", false
	}
	return c, m[1], true
}

// upperNoSpaces upper-cases s and removes every space in it (tabs and no-break
// spaces too, as pasted postcodes carry them).
func upperNoSpaces(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// Display formats a compact postcode with its space (NE46 1BG).
func Display(compact string) string {
	if len(compact) < 5 {
		return compact
	}
	return compact[:len(compact)-3] + " " + compact[len(compact)-3:]
}

// Either is the rule for a place given as a postcode or as coordinates:
// one or the other, never both, and, when required, one of them. It adds
// any problem under field and reports whether there was none. A postcode
// of spaces alone counts as given: callers trim first when it should not.
func Either(ps *fault.Problems, field, postcode string, hasPoint, required bool) bool {
	switch {
	case postcode != "" && hasPoint:
		ps.Add(field, "give a postcode or coordinates, not both")
	case postcode == "" && !hasPoint && required:
		ps.Add(field, "give a postcode or coordinates")
	default:
		return true
	}
	return false
}
