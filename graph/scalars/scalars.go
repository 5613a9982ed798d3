// Package scalars marshals the API's custom scalars.
package scalars

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/signpost/signpost/fault"
)

const dateLayout = "2006-01-02"

// MarshalDate writes a calendar date as YYYY-MM-DD.
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.Format(dateLayout)))
	})
}

// UnmarshalDate reads YYYY-MM-DD.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fault.InvalidField("", "a date must be a string in the form YYYY-MM-DD")
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Year() < 1 {
		// The year 0 parses, but no calendar (nor PostgreSQL's) has it.
		return time.Time{}, fault.InvalidField("", "%q is not a date in the form YYYY-MM-DD", s)
	}
	return t, nil
}

// MarshalLocalTime writes a time of day as HH:MM (the database keeps
// seconds, which sessions never use).
func MarshalLocalTime(s string) graphql.Marshaler {
	if len(s) > 5 && strings.Count(s, ":") == 2 {
		s = s[:5]
	}
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(s))
	})
}

// UnmarshalLocalTime accepts any string; the directory checks it is HH:MM so
// the error can name the field.
func UnmarshalLocalTime(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fault.InvalidField("", "a time must be a string in the form HH:MM, not %s", fmt.Sprint(v))
	}
	return s, nil
}
