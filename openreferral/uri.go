package openreferral

import (
	"fmt"
	"strings"
)

// exportURI returns a web address as a valid RFC 3986 URI, so that the
// ORUK schema (format "uri") accepts it: every character RFC 3986 does not
// allow where it stands (a space, {}, |, ^, a backslash, a second #,
// brackets outside the host, non-ASCII text, a % not starting an escape)
// is percent-encoded, byte by byte in UTF-8. A valid URI comes back
// unchanged, so encoding twice changes nothing.
func exportURI(s string) string {
	var b strings.Builder
	hostEnd := authorityEnd(s)
	fragment := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		case c == '#' && !fragment:
			fragment = true
			b.WriteByte(c)
		case (c == '[' || c == ']') && i < hostEnd:
			b.WriteByte(c)
		case c != '%' && c != '#' && c != '[' && c != ']' && isURIChar(c):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// authorityEnd is the index just past a URI's authority (the host part
// after "//"), or 0 when it has none.
func authorityEnd(s string) int {
	i := strings.Index(s, "//")
	if i < 0 {
		return 0
	}
	if end := strings.IndexAny(s[i+2:], "/?#"); end >= 0 {
		return i + 2 + end
	}
	return len(s)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isURIChar reports whether c may appear literally in a URI: RFC 3986's
// unreserved characters, general and sub-delimiters, and %.
func isURIChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0
}
