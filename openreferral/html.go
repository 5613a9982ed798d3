package openreferral

import (
	"html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

var (
	// tagRE finds a tag (opening, closing or self-closing) and entityRE a
	// named or numeric character reference. "ages <18" and "Fish & Chips"
	// are not markup.
	tagRE    = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)
	entityRE = regexp.MustCompile(`&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,10});`)
	// Line breaks, rows and definition items start a new line; block
	// elements start and end a paragraph; list items start a bulleted line.
	lineBreakRE  = regexp.MustCompile(`(?i)<(br|hr|tr|dt|dd)\b[^>]*>`)
	paragraphRE  = regexp.MustCompile(`(?i)</?(p|div|h[1-6]|ul|ol|dl|table|section|header|footer|article|blockquote|pre)\b[^>]*>`)
	listItemRE   = regexp.MustCompile(`(?i)<li\b[^>]*>`)
	cellRE       = regexp.MustCompile(`(?i)</t[dh]\s*>`)
	spaceRunRE   = regexp.MustCompile(`[ \t\f\v\p{Zs}]+`)
	lineBreaksRE = regexp.MustCompile(`\n\s*\n\s*`)
)

// stripper removes every tag, keeping the text between them (so a link
// keeps its words), and drops the content of script and style elements.
// A bluemonday policy is safe for concurrent use.
var stripper = bluemonday.StrictPolicy()

// bullet starts a line that was a list item.
const bullet = "• "

// looksLikeHTML reports whether s holds tags or character references.
func looksLikeHTML(s string) bool { return tagRE.MatchString(s) || entityRE.MatchString(s) }

// htmlToText turns an HTML fragment from a directory's editor into plain
// text for indexing and display: paragraphs and headings become blank-line
// separated blocks, <br> and table rows line breaks, list items lines
// starting "• ", entities are decoded (a non-breaking space becomes a
// space), and every tag and attribute is dropped. Text with entities but
// no tags only has them decoded; text without either is returned
// unchanged.
func htmlToText(s string) string {
	switch {
	case tagRE.MatchString(s):
	case entityRE.MatchString(s):
		// Plain text with entities keeps its own line breaks.
		return tidyLines(html.UnescapeString(s))
	default:
		return s
	}
	// In HTML, source line breaks are spaces; the structure comes from tags.
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	s = listItemRE.ReplaceAllString(s, "\n"+bullet)
	s = lineBreakRE.ReplaceAllString(s, "\n")
	s = paragraphRE.ReplaceAllString(s, "\n\n")
	s = cellRE.ReplaceAllString(s, " ")
	// The policy escapes what it keeps (& becomes &amp;), so one unescape
	// decodes both the source's entities and its own.
	s = html.UnescapeString(stripper.Sanitize(s))
	return tidyLines(s)
}

// tidyLines collapses runs of spaces (non-breaking ones too) inside lines,
// trims every line, keeps at most one blank line between blocks, and drops
// empty bullets left by empty list items.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(spaceRunRE.ReplaceAllString(l, " "))
		if l == strings.TrimSpace(bullet) {
			continue
		}
		out = append(out, l)
	}
	s = strings.Join(out, "\n")
	s = lineBreaksRE.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// sourceText is the cleaned form of an imported text and its original,
// kept only when cleaning removed markup (so that an export can give the
// publisher's own text back).
func sourceText(raw string) (clean, original string) {
	clean = cleanText(raw)
	if looksLikeHTML(raw) && clean != strings.TrimSpace(raw) {
		return clean, raw
	}
	return clean, ""
}
