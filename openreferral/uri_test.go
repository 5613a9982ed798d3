package openreferral

import (
	"net/url"
	"regexp"
	"testing"
)

// rfc3986 is the URI grammar's alphabet with escapes well formed, at most
// one #, and brackets only in the host.
var rfc3986 = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)([A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*(#([A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$`)

func validURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && rfc3986.MatchString(s)
}

func TestExportURIEncodesWhatRFC3986Refuses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://www.northlincs.gov.uk/", "https://www.northlincs.gov.uk/"},
		{"http://example.org/a%20b?x=1&y=(2)#top", "http://example.org/a%20b?x=1&y=(2)#top"},
		{"http://[::1]:8080/path", "http://[::1]:8080/path"},
		{"https://example.org/search?q={term}", "https://example.org/search?q=%7Bterm%7D"},
		{"http://example.org/our services|groups", "http://example.org/our%20services%7Cgroups"},
		{"http://example.org/a^b`c\\d\"e<f>", "http://example.org/a%5Eb%60c%5Cd%22e%3Cf%3E"},
		{"http://example.org/café", "http://example.org/caf%C3%A9"},
		{"http://example.org/100%", "http://example.org/100%25"},
		{"http://example.org/p#a#b", "http://example.org/p#a%23b"},
		{"http://example.org/list[1]", "http://example.org/list%5B1%5D"},
	} {
		got := exportURI(tc.in)
		if got != tc.want {
			t.Errorf("exportURI(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !validURI(got) {
			t.Errorf("exportURI(%q) = %q is not a valid URI", tc.in, got)
		}
		if again := exportURI(got); again != got {
			t.Errorf("encoding %q again gave %q", got, again)
		}
	}
	// The check itself refuses what the encoder repairs.
	for _, bad := range []string{"https://example.org/search?q={term}", "http://example.org/a b", "http://example.org/x|y"} {
		if validURI(bad) {
			t.Errorf("validURI(%q) = true", bad)
		}
	}
}
