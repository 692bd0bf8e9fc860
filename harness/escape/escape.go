// Package escape holds one escaping function per output language that
// concbench renders user input into: Markdown text and table cells,
// Markdown code spans, Mermaid strings, text inside an HTML block of a
// Markdown file, and terminal text. Every renderer
// passes names, parameters and messages through the one for its language,
// so that a workload name, a header or a crafted results.json cannot break
// a table, leave a code span or bring raw HTML into a pull-request
// comment. HTML goes through html/template, and SVG text through gonum's
// vgsvg, which escape it themselves.
package escape

import (
	"fmt"
	"html"
	"strings"
	"unicode"
)

// markdownSpecial are the characters that start Markdown or GFM syntax
// inline (emphasis, code, links, images, raw HTML, entities, strike,
// table cells, headings); each is escaped with a backslash, which
// CommonMark allows before any ASCII punctuation.
const markdownSpecial = "\\`*_[]<>!|~&#"

// Markdown makes s literal text in a Markdown paragraph, list item or GFM
// table cell: control characters (line breaks among them, which would end
// the row or the paragraph) become spaces, the text is trimmed (leading
// spaces would change a list item's indentation), and the characters that
// start syntax are escaped, with a leading list or heading marker ("-",
// "+", "1.", "1)").
func Markdown(s string) string {
	s = strings.TrimSpace(oneLine(s))
	var b strings.Builder
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 && strings.ContainsRune("-+.)", rune(s[i])) &&
		(i+1 == len(s) || s[i+1] == ' ') {
		b.WriteString(s[:i] + "\\")
		s = s[i:]
	}
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune(markdownSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CodeSpan is s as a Markdown code span, outside a table: delimited by one
// backtick more than the longest run inside, padded when s starts or ends
// with one, and on one line.
func CodeSpan(s string) string {
	s = oneLine(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s == "" {
		return "` `"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.TrimSpace(s) == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// Mermaid is s as a double-quoted Mermaid string: letters, digits and
// plain punctuation kept, anything else (quotes, backticks that would end
// the code fence, '#' that starts an entity, '<' and '&' that Mermaid
// reads as HTML) replaced by '_'.
func Mermaid(s string) string {
	return `"` + strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" ._-@%~/:+=,()±", r) {
			return r
		}
		return '_'
	}, s) + `"`
}

// HTML is s as text inside an HTML block of a Markdown file (a
// <summary>): on one line, since a blank line would end the block and
// start Markdown, with '<', '>', '&' and quotes as entities. Whole HTML
// pages go through html/template instead.
func HTML(s string) string { return html.EscapeString(oneLine(s)) }

// Terminal is s safe to print to a terminal: control characters, escape
// sequences among them, are shown as \xNN instead of being obeyed.
func Terminal(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine replaces every control character, line breaks among them, by a
// space.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
}

// isControl is a C0 or C1 control character or DEL, and the Unicode
// format characters that reorder text (bidi overrides).
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.Is(unicode.Cf, r)
}
