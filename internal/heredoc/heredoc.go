// Package heredoc lets a command's long help be written as an indented raw
// string in the source, as gh writes it (github.com/MakeNowJust/heredoc),
// while the help printed stays at the left margin.
package heredoc

import (
	"fmt"
	"strings"
)

// Doc is text without its first line break, its last line (the closing
// backquote's indentation) and the tabs every other non-blank line starts
// with:
//
//	heredoc.Doc(`
//		First line,
//		  second line.
//	`) == "First line,\n  second line."
func Doc(text string) string {
	text = strings.TrimPrefix(text, "\n")
	if i := strings.LastIndexByte(text, '\n'); i >= 0 && strings.TrimLeft(text[i+1:], "\t ") == "" {
		text = text[:i]
	}
	indent := -1
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) != "" {
			if n := len(line) - len(strings.TrimLeft(line, "\t")); indent < 0 || n < indent {
				indent = n
			}
		}
	}
	// One pass, one allocation: every long help goes through here when
	// `authctl --help` builds the command tree.
	var b strings.Builder
	b.Grow(len(text))
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			line = strings.TrimLeft(line, "\t ")
		} else {
			line = line[indent:]
		}
		b.WriteString(line)
	}
	return b.String()
}

// Docf is Doc, then fmt.Sprintf with args: a raw string cannot hold a
// backquote, so help that quotes a command writes %[1]s for it and passes
// "`", as gh does.
func Docf(format string, args ...any) string {
	return fmt.Sprintf(Doc(format), args...)
}
