package escape

import "testing"

func TestMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"pool":                      "pool",
		"a|b":                       `a\|b`,
		"<script>alert(1)</script>": `\<script\>alert(1)\</script\>`,
		"![x](http://e/i.png)":      `\!\[x\](http://e/i.png)`,
		"two\nlines\r":              "two lines",
		"- item":                    `\- item`,
		"12. item":                  `12\. item`,
		"3) x":                      `3\) x`,
		"\x1b  pool":                `pool`,
		"1.5ms":                     "1.5ms",
		"1466 ±2% ~":                `1466 ±2% \~`,
		"a`b_c*d&e":                 "a\\`b\\_c\\*d\\&e",
	} {
		if got := Markdown(in); got != want {
			t.Errorf("Markdown(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	for in, want := range map[string]string{
		"bench -tasks 5": "`bench -tasks 5`",
		"a`b":            "``a`b``",
		"`x":             "`` `x ``",
		"x``y":           "```x``y```",
		"":               "` `",
		"a\n\nb":         "`a  b`",
	} {
		if got := CodeSpan(in); got != want {
			t.Errorf("CodeSpan(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMermaid(t *testing.T) {
	for in, want := range map[string]string{
		"io pool 8":            `"io pool 8"`,
		`a"b`:                  `"a_b"`,
		"x```\n<img src=x>#q;": `"x_____img src=x__q_"`,
	} {
		if got := Mermaid(in); got != want {
			t.Errorf("Mermaid(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTerminal(t *testing.T) {
	if got := Terminal("io\x1b[2Jx\u202e"); got != `io\x1b[2Jx\x202e` {
		t.Errorf("Terminal = %q", got)
	}
	if got := Terminal("pool 8"); got != "pool 8" {
		t.Errorf("Terminal changed plain text: %q", got)
	}
}

func TestHTML(t *testing.T) {
	if got, want := HTML("a\n\n# <b>&\"x\"</b>"), "a  # &lt;b&gt;&amp;&#34;x&#34;&lt;/b&gt;"; got != want {
		t.Errorf("HTML = %q, want %q", got, want)
	}
}
