package render

import (
	"io"
	"strings"
)

// Fields prints label/value lines with the values aligned after the widest
// label, wrapping long values at spaces so that every line fits width
// columns (80 when width is zero or wider than 80: a report is read, not
// scanned, and stays readable in a CI log). indent is written before each
// line.
func Fields(w io.Writer, width int, indent string, rows [][2]string) error {
	if width <= 0 || width > 80 {
		width = 80
	}
	label := 0
	for _, r := range rows {
		label = max(label, displayWidth(r[0]))
	}
	pad := indent + strings.Repeat(" ", label+2)
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(indent + r[0] + strings.Repeat(" ", label+2-displayWidth(r[0])))
		b.WriteString(Wrap(r[1], width-displayWidth(pad), pad))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Wrap breaks s at spaces into lines of at most width columns (a word
// longer than width stays whole), starting every line after the first with
// pad.
func Wrap(s string, width int, pad string) string {
	if width < 20 {
		width = 20
	}
	var b strings.Builder
	col := 0
	for i, word := range strings.Fields(s) {
		ww := displayWidth(word)
		switch {
		case i == 0:
		case col+1+ww > width:
			b.WriteString("\n" + pad)
			col = 0
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += ww
	}
	return b.String()
}
