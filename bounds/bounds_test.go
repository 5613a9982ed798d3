package bounds_test

import (
	"strings"
	"testing"

	"github.com/signpost/signpost/bounds"
	"github.com/signpost/signpost/fault"
)

func TestTextRules(t *testing.T) {
	type check func(ps *fault.Problems, field, v string, max int) bool
	line, prose, address := check(bounds.CheckLine), check(bounds.CheckProse), check(bounds.CheckAddress)
	for _, c := range []struct {
		name  string
		check check
		v     string
		max   int
		want  string // "" when accepted
	}{
		{"a name", line, "Tuesday Lunch Club", bounds.Name, ""},
		{"accents and scripts", line, "Zoë Ó Briain — مركز", bounds.Name, ""},
		{"right-to-left text in a name", line, "\u202bمركز\u202c", bounds.Name, ""},
		{"exactly the limit in characters", line, strings.Repeat("é", 10), 10, ""},
		{"one over the limit", line, strings.Repeat("é", 11), 10, "must be at most 10 characters"},
		{"far over the limit", line, strings.Repeat("a", 100000), bounds.Name, "must be at most 200 characters"},
		{"NUL", line, "a\x00b", bounds.Name, bounds.MsgControl},
		{"escape", line, "a\x1b[31mb", bounds.Name, bounds.MsgControl},
		{"DEL", line, "a\x7fb", bounds.Name, bounds.MsgControl},
		{"C1 control", line, "a\u0085b", bounds.Name, bounds.MsgControl},
		{"newline in a line", line, "a\nb", bounds.Name, bounds.MsgLineBreak},
		{"tab in a line", line, "a\tb", bounds.Name, bounds.MsgLineBreak},
		{"line separator in a line", line, "a\u2028b", bounds.Name, bounds.MsgLineBreak},
		{"invalid UTF-8", line, "a\xffb", bounds.Name, bounds.MsgNotUTF8},
		{"paragraphs in prose", prose, "First.\r\n\r\nSecond,\tindented.", bounds.Prose, ""},
		{"NUL in prose", prose, "First.\n\x00", bounds.Prose, bounds.MsgControl},
		{"invalid UTF-8 in prose", prose, "\xc3", bounds.Prose, bounds.MsgNotUTF8},
		{"right-to-left override in a name", line, "Lunch \u202ebulC", bounds.Name, bounds.MsgInvisible},
		{"left-to-right override in prose", prose, "A \u202dtest", bounds.Prose, bounds.MsgInvisible},
		{"soft hyphen in an address", address, "pat\u00ad@example.org", bounds.Email, bounds.MsgInvisible},
		{"tag character in an address", address, "pat@example.org\U000E0041", bounds.Email, bounds.MsgInvisible},
		{"invisible times in an address", address, "pat@ex\u2062ample.org", bounds.Email, bounds.MsgInvisible},
		{"an e-mail address", address, "pat@example.org", bounds.Email, ""},
		{"zero-width space", address, "pat\u200b@example.org", bounds.Email, bounds.MsgInvisible},
		{"zero-width joiner", address, "pat\u200d@example.org", bounds.Email, bounds.MsgInvisible},
		{"word joiner", address, "pat\u2060@example.org", bounds.Email, bounds.MsgInvisible},
		{"byte order mark", address, "\ufeffpat@example.org", bounds.Email, bounds.MsgInvisible},
		{"right-to-left override", address, "pat@\u202eelpmaxe.org", bounds.Email, bounds.MsgInvisible},
		{"right-to-left isolate", address, "pat@\u2067example.org", bounds.Email, bounds.MsgInvisible},
		{"right-to-left mark", address, "pat@example.org\u200f", bounds.Email, bounds.MsgInvisible},
		{"control in an address", address, "pat@example.org\x00", bounds.Email, bounds.MsgControl},
		{"too long an address", address, strings.Repeat("a", 250) + "@x.org", bounds.Email, "must be at most 254 characters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ps fault.Problems
			ok := c.check(&ps, "input.name", c.v, c.max)
			switch {
			case c.want == "" && (!ok || len(ps) > 0):
				t.Errorf("refused: %v", ps)
			case c.want != "" && (ok || len(ps) != 1 || ps[0].Message != c.want || ps[0].Field != "input.name"):
				t.Errorf("got %v (ok %v), want one problem with input.name: %s", ps, ok, c.want)
			}
		})
	}
}

func TestListRules(t *testing.T) {
	var ps fault.Problems
	if !bounds.CheckTags(&ps, "input.languages", []string{"English", "Polski"}, 20) || len(ps) > 0 {
		t.Errorf("two languages refused: %v", ps)
	}
	if bounds.CheckTags(&ps, "input.languages", make([]string, 21), 20) || ps[0].Field != "input.languages" ||
		ps[0].Message != "may have at most 20 items" {
		t.Errorf("21 languages: %v", ps)
	}
	ps = nil
	if bounds.CheckTags(&ps, "input.languages", []string{"English", "Pol\x00ski", strings.Repeat("x", 101)}, 20) ||
		len(ps) != 2 || ps[0].Field != "input.languages[1]" || ps[1].Field != "input.languages[2]" {
		t.Errorf("bad items: %v", ps)
	}
}
