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
	lines := strings.Split(text, "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := len(l) - len(strings.TrimLeft(l, "\t")); indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = ""
		} else {
			lines[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n")
}

// Docf is Doc, then fmt.Sprintf with args: a raw string cannot hold a
// backquote, so help that quotes a command writes %[1]s for it and passes
// "`", as gh does.
func Docf(format string, args ...any) string {
	return fmt.Sprintf(Doc(format), args...)
}
