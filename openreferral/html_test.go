package openreferral

import "testing"

// The HTML cases are copied from North Lincolnshire's ORUK feed
// (shared/data/oruk-north-lincolnshire/services.json), cut short.
func TestCleanTextTurnsHTMLIntoPlainText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"paragraphs, entities and a trailing nbsp",
			`<p>Struggling with Drug &amp; Alcohol Addiction? We Are With You provide free and confidential Services.</p><p>We Are With You are now offering a drop in session at Victor House.&nbsp;</p>`,
			"Struggling with Drug & Alcohol Addiction? We Are With You provide free and confidential Services.\n\nWe Are With You are now offering a drop in session at Victor House."},
		{"a list becomes bulleted lines",
			`<p>Our advisers are trained to help you on the following topics:</p><ul class="bulletlist-ticks"><li>Social care</li><li>Your income</li></ul>`,
			"Our advisers are trained to help you on the following topics:\n\n• Social care\n• Your income"},
		{"line breaks; nbsp between words is a space",
			`<p>If you love to sing, you’ll love Rock Choir!<br>No auditions and no musical knowledge needed.</p><p>Attendance MUST be booked via&nbsp;<strong><a data-cke-saved-href="https://rockchoir.com/" href="https://rockchoir.com/">https://rockchoir.com/</a></strong></p>`,
			"If you love to sing, you’ll love Rock Choir!\nNo auditions and no musical knowledge needed.\n\nAttendance MUST be booked via https://rockchoir.com/"},
		{"a link keeps its text, editor attributes go",
			`<p>Find out from our social media what is happening this week:&nbsp;<a data-cke-saved-href="https://www.facebook.com/parishbarchurch" href="https://www.facebook.com/parishbarchurch">Facebook</a></p>`,
			"Find out from our social media what is happening this week: Facebook"},
		{"a link inside a word stays inside it",
			`<p>Please book by contacting f<a data-cke-saved-href="mailto:family.hubs@northlincs.gov.uk" href="mailto:family.hubs@northlincs.gov.uk">amily.hubs@northlincs.gov.uk&nbsp;</a></p><p><br></p>`,
			"Please book by contacting family.hubs@northlincs.gov.uk"},
		{"runs of nbsp and spaces collapse",
			`<p>We explore the way you create.&nbsp; &nbsp;When we are struggling&nbsp; images help.</p>`,
			"We explore the way you create. When we are struggling images help."},
		{"quotes decode", `<p>The &quot;Together&quot; service</p>`, `The "Together" service`},
		{"script content is dropped", `<p>Hello</p><script>alert(1)</script>`, "Hello"},
		{"plain text passes unchanged", "Victor House Is a Safe Hub.\nShowering/laundry facilities are also available.\n\nNight Provision is available.",
			"Victor House Is a Safe Hub.\nShowering/laundry facilities are also available.\n\nNight Provision is available."},
		{"entities without tags are decoded, line breaks kept", "Tom &amp; Jerry&nbsp;club\nTuesdays", "Tom & Jerry club\nTuesdays"},
		{"a less-than sign and an ampersand are not markup", "For ages <18 & their carers > 1 each", "For ages <18 & their carers > 1 each"},
		{"Miami's escaped newlines and markers are still repaired", `Open Monday.\n###MON###Closes at noon.`, "Open Monday.\nCloses at noon."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cleanText(tc.in); got != tc.want {
				t.Errorf("cleanText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSourceTextKeepsOnlyHTMLOriginals(t *testing.T) {
	html := `<p>Art club&nbsp;</p>`
	if clean, orig := sourceText(html); clean != "Art club" || orig != html {
		t.Errorf("sourceText(%q) = %q, %q", html, clean, orig)
	}
	for _, plain := range []string{"Art club", `Art\nclub`, "  Art club "} {
		if _, orig := sourceText(plain); orig != "" {
			t.Errorf("sourceText(%q) kept an original %q", plain, orig)
		}
	}
}

// Both addresses are from North Lincolnshire's feed.
func TestCleanEmailRepairsAddressesCopiedFromPages(t *testing.T) {
	for in, want := range map[string]string{
		"\u200binfo@r-evolution.org.uk":  "info@r-evolution.org.uk",
		"young.voice@northlincs.gov.uk.": "young.voice@northlincs.gov.uk",
		"victorhouse@northlincs.gov.uk":  "victorhouse@northlincs.gov.uk",
	} {
		if got, err := cleanEmail(in); got != want || err != nil {
			t.Errorf("cleanEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := cleanEmail("not an address"); err == nil {
		t.Error("a non-address was accepted")
	}
}
