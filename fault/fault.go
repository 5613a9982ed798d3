// Package fault names the kinds of failure a caller can act on. Domain
// packages wrap these; the GraphQL error presenter is the one place that
// turns them into error codes.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel kinds; wrap them with context (fmt.Errorf("service %s: %w", id, fault.NotFound)).
var (
	NotFound        = errors.New("not found")
	Conflict        = errors.New("conflict")
	Unauthenticated = errors.New("unauthenticated")
	Forbidden       = errors.New("forbidden")
)

// Problem is one invalid field. Field is the path of the field within the
// operation's arguments, e.g. "input.eligibility.minimumAge".
type Problem struct {
	Field   string
	Message string
}

// Invalid reports bad input, naming every field at fault.
type Invalid struct {
	Problems []Problem
}

func (e *Invalid) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Problems collects validation problems.
type Problems []Problem

// Add records a problem with a field.
func (ps *Problems) Add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no problems, else an *Invalid.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return &Invalid{Problems: ps}
}

// InvalidField is shorthand for one invalid field.
func InvalidField(field, format string, args ...any) error {
	var ps Problems
	ps.Add(field, format, args...)
	return ps.Err()
}

// Wrap adds context to *errp when it holds an error, keeping the error it
// wraps visible to errors.Is and errors.As (pkgsite's derrors.Wrap). Call it
// deferred, with a named error result, so every return says where it came
// from:
//
//	defer fault.Wrap(&err, "store.ServiceByID(%s)", id)
//
// The context reaches the logs: give it ids and counts, never personal data
// (names, e-mail addresses, NHS numbers, free text).
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
