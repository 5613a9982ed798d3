package openreferral

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var (
	markerRE     = regexp.MustCompile(`###[A-Z0-9_]{1,20}###`)
	blankLinesRE = regexp.MustCompile(`\n{3,}`)
	clockRE      = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap]\.?m\.?)?$`)
	zoneRE       = regexp.MustCompile(`(Z|[+-]\d{2}:?\d{2})$`)
)

// parseClock reads a time of day in the forms found in real data: 9:00am,
// 9am, 09:00, 09:00:00, 17.30, 09:00Z, 09:00+01:00. It returns HH:MM.
func parseClock(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = zoneRE.ReplaceAllString(strings.ToUpper(t), "")
	t = strings.ToLower(strings.TrimSpace(t))
	switch t {
	case "noon", "midday":
		return "12:00", nil
	case "midnight":
		return "00:00", nil
	}
	m := clockRE.FindStringSubmatch(t)
	if m == nil {
		return "", fmt.Errorf("%q is not a time of day", s)
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	if ampm := strings.ReplaceAll(m[4], ".", ""); ampm != "" {
		if h < 1 || h > 12 {
			return "", fmt.Errorf("%q is not a time of day", s)
		}
		if ampm == "pm" && h != 12 {
			h += 12
		} else if ampm == "am" && h == 12 {
			h = 0
		}
	}
	if h == 24 && min == 0 {
		h, min = 23, 59 // "24:00" closes at the end of the day
	}
	if h > 23 || min > 59 {
		return "", fmt.Errorf("%q is not a time of day", s)
	}
	return fmt.Sprintf("%02d:%02d", h, min), nil
}

var weekdayCodes = map[string]string{
	"mo": "MO", "mon": "MO", "monday": "MO",
	"tu": "TU", "tue": "TU", "tues": "TU", "tuesday": "TU",
	"we": "WE", "wed": "WE", "wednesday": "WE",
	"th": "TH", "thu": "TH", "thur": "TH", "thurs": "TH", "thursday": "TH",
	"fr": "FR", "fri": "FR", "friday": "FR",
	"sa": "SA", "sat": "SA", "saturday": "SA",
	"su": "SU", "sun": "SU", "sunday": "SU",
}

// parseWeekday reads a day name, abbreviation, RRULE code or HSDS 1/2
// weekday number (1 = Monday … 7 = Sunday).
func parseWeekday(s string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	if c, ok := weekdayCodes[t]; ok {
		return c, true
	}
	if n, err := strconv.Atoi(t); err == nil && n >= 1 && n <= 7 {
		return []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}[n-1], true
	}
	return "", false
}

// parseDate reads YYYY-MM-DD, or an RFC 3339 timestamp's date.
func parseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		if _, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return s[:10], nil
		}
	}
	return "", fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
}

// cleanURL adds a missing scheme (www.example.org) and rejects what is not
// a web address.
func cleanURL(s string) (string, error) {
	s = strings.TrimSpace(dropInvisible(s))
	if s == "" {
		return "", nil
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") || strings.ContainsAny(u.Host, " ,") {
		return "", fmt.Errorf("%q is not a web address", s)
	}
	return s, nil
}

func cleanEmail(s string) (string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(dropInvisible(s)), "mailto:"))
	// A full stop after an address is the sentence's, not the address's.
	s = strings.TrimRight(s, ".")
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		return "", fmt.Errorf("%q is not an e-mail address", s)
	}
	return s, nil
}

// dropInvisible removes format characters (zero-width spaces and joiners,
// byte-order marks) that editors leave in addresses copied from web pages.
func dropInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

func parseFloat(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("%q is not a number", s)
	}
	return &f, nil
}

func parseAge(s string) (*int, error) {
	f, err := parseFloat(s)
	if err != nil || f == nil {
		return nil, err
	}
	if *f < 0 || *f > 130 {
		return nil, fmt.Errorf("%v is not an age", *f)
	}
	n := int(*f)
	return &n, nil
}

var freeFeesRE = regexp.MustCompile(`(?i)^\s*(free|free of charge|none|no (fee|charge|cost)s?|[$£]?0(\.00)?)\s*\.?\s*$`)

// feesAreFree reads a fees description that says the service is free.
func feesAreFree(s string) bool { return freeFeesRE.MatchString(s) }
