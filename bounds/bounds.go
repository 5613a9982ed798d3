// Package bounds holds the limits on what people may write into Signpost:
// how long each kind of text may be, which characters text may hold, and
// helpers that check a value against them and name the field at fault.
// The directory and casework check every text and list of their inputs
// here, so that a name of 100,000 characters, a NUL byte or an e-mail
// address with a hidden right-to-left mark is refused with a clear field
// error before it reaches the database, the index or another person's
// screen.
package bounds

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/signpost/signpost/fault"
)

// Longest lengths, in characters.
const (
	// Name is a name or title: of a person, organisation, service, place
	// or contact.
	Name = 200
	// Line is one line of an address, a city or a region, or another short
	// label.
	Line = 200
	// Postcode is a postcode (a UK one has at most 8).
	Postcode = 16
	// Phone is a telephone number as written, with spaces and brackets.
	Phone = 40
	// Email is an e-mail address (RFC 5321's longest path).
	Email = 254
	// URL is a web address.
	URL = 2000
	// Code is an identifier: a charity or company number, an NHS number.
	Code = 40
	// Tag is one item of a list of words: a language, an accessibility
	// feature, an interest.
	Tag = 100
	// Note is a short text that may run over a few lines: a goal in the
	// client's words, a schedule's note, a price in words, a reason.
	Note = 1000
	// Prose is a referral's message or a session's notes.
	Prose = 10000
	// Description describes an organisation, a service or a place; real
	// listings reach 16,658 characters (North Lincolnshire's ORUK feed).
	Description = 20000
)

// Messages of the character rules, for tests and callers that quote them.
const (
	MsgNotUTF8    = "is not valid UTF-8 text"
	MsgControl    = "must not contain control characters (such as NUL)"
	MsgLineBreak  = "must be on one line"
	MsgInvisible  = "must not contain invisible or direction-changing characters"
	MsgTooLongFmt = "must be at most %d characters"
	MsgTooManyFmt = "may have at most %d items"
)

// CheckLine checks one line of text: valid UTF-8, no control characters and no
// line breaks, at most max characters. It reports whether v passed, so
// that callers can skip checks (and quotes in messages) of a bad value.
func CheckLine(ps *fault.Problems, field, v string, max int) bool {
	return check(ps, field, v, max, false)
}

// CheckProse checks text that may run over lines: as CheckLine, but tabs and
// line breaks are allowed.
func CheckProse(ps *fault.Problems, field, v string, max int) bool {
	return check(ps, field, v, max, true)
}

// CheckAddress checks something machines read and people copy: an e-mail
// address, a web address, a telephone number, a postcode. As CheckLine, and
// without the invisible characters that make one address look like
// another (zero-width spaces and joiners, word joiners, byte order marks)
// or reorder what is shown (bidirectional controls).
func CheckAddress(ps *fault.Problems, field, v string, max int) bool {
	if !check(ps, field, v, max, false) {
		return false
	}
	for _, r := range v {
		if Invisible(r) {
			ps.Add(field, MsgInvisible)
			return false
		}
	}
	return true
}

// CheckCount checks how many items a list has.
func CheckCount(ps *fault.Problems, field string, n, max int) bool {
	if n > max {
		ps.Add(field, MsgTooManyFmt, max)
		return false
	}
	return true
}

// CheckTags checks a list of words: at most max items of at most Tag
// characters each, every one a line of text.
func CheckTags(ps *fault.Problems, field string, vs []string, max int) bool {
	if !CheckCount(ps, field, len(vs), max) {
		return false
	}
	ok := true
	for i, v := range vs {
		ok = CheckLine(ps, indexed(field, i), v, Tag) && ok
	}
	return ok
}

func indexed(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

func check(ps *fault.Problems, field, v string, max int, multiline bool) bool {
	// A UTF-8 character is at most 4 bytes: far too long is refused
	// without reading it.
	if len(v) > 4*max || len(v) > max && utf8.RuneCountInString(v) > max {
		ps.Add(field, MsgTooLongFmt, max)
		return false
	}
	if !utf8.ValidString(v) {
		ps.Add(field, MsgNotUTF8)
		return false
	}
	for _, r := range v {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			if !multiline {
				ps.Add(field, MsgLineBreak)
				return false
			}
		case r == '\u2028' || r == '\u2029':
			if !multiline {
				ps.Add(field, MsgLineBreak)
				return false
			}
		case Control(r):
			ps.Add(field, MsgControl)
			return false
		case Override(r):
			ps.Add(field, MsgInvisible)
			return false
		}
	}
	return true
}

// Control reports whether r is a control character: C0 (NUL to U+001F),
// DEL, or C1 (U+0080 to U+009F).
func Control(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f
}

// Invisible reports whether r is a formatting character (Unicode's Cf):
// zero-width spaces and joiners, word joiners, byte order marks, soft
// hyphens, invisible operators, tags, and the bidirectional marks,
// embeddings, overrides and isolates. None belongs in an address.
func Invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r)
}

// Override reports whether r is a bidirectional override (U+202D, U+202E),
// which displays the text after it in reverse order, so that a name can
// show as something else. Embeddings and isolates, which right-to-left
// scripts use, are allowed in names and prose.
func Override(r rune) bool {
	return r == 0x202d || r == 0x202e
}
