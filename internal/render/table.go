package render

import (
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// minColumn is the narrowest a column is truncated to: below it the "…"
// leaves too little to recognise the value.
const minColumn = 5

// Table prints rows of fields. On a terminal, columns are aligned under an
// upper-case header and the widest column is truncated with "…" so lines
// fit the screen. Otherwise rows are tab-separated with no header and no
// truncation, so `cut -f2` and `while IFS=$'\t' read` see every value whole
// (like gh).
type Table struct {
	w        io.Writer
	isTTY    bool
	maxWidth int
	header   []string
	rows     [][]string
}

// NewTable returns a table writing to w. maxWidth is the terminal width;
// zero or less disables truncation.
func NewTable(w io.Writer, isTTY bool, maxWidth int) *Table {
	return &Table{w: w, isTTY: isTTY, maxWidth: maxWidth}
}

// SetHeader names the columns; it is printed on a terminal only.
func (t *Table) SetHeader(fields ...string) {
	t.header = make([]string, len(fields))
	for i, f := range fields {
		t.header[i] = strings.ToUpper(f)
	}
}

// AddRow appends a row. Fields may carry ANSI colours (ColorScheme); they
// do not count towards the width.
func (t *Table) AddRow(fields ...string) { t.rows = append(t.rows, fields) }

// Render writes the table.
func (t *Table) Render() error {
	if !t.isTTY {
		return t.renderTSV()
	}
	rows := t.rows
	if len(t.header) > 0 && len(rows) > 0 {
		rows = append([][]string{t.header}, rows...)
	}
	widths := t.columnWidths(rows)
	var b strings.Builder
	for _, row := range rows {
		for i, f := range row {
			last := i == len(row)-1
			f = truncate(f, widths[i])
			b.WriteString(f)
			if !last {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(f)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *Table) renderTSV() error {
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	var b strings.Builder
	for _, row := range t.rows {
		for i, f := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(clean.Replace(f))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// columnWidths measures each column and, when the line would exceed
// maxWidth, narrows the widest column one cell at a time (so two wide columns
// end up sharing the cut) until it fits or every column is at minColumn.
func (t *Table) columnWidths(rows [][]string) []int {
	var widths []int
	for _, row := range rows {
		for i, f := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(f))
		}
	}
	if t.maxWidth <= 0 || len(widths) == 0 {
		return widths
	}
	total := 2 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > t.maxWidth {
		widest := 0
		for i, w := range widths {
			if w > widths[widest] {
				widest = i
			}
		}
		if widths[widest] <= minColumn {
			break
		}
		widths[widest]--
		total--
	}
	return widths
}

// displayWidth is the number of terminal cells s occupies, ignoring ANSI
// escape sequences and counting East Asian wide characters as two.
func displayWidth(s string) int { return runewidth.StringWidth(stripANSI(s)) }

// truncate shortens s to at most w cells, ending in "…". A coloured field
// that must be cut loses its colour: cutting inside an escape sequence would
// corrupt the terminal.
func truncate(s string, w int) string {
	if displayWidth(s) <= w {
		return s
	}
	return runewidth.Truncate(stripANSI(s), w, "…")
}

// stripANSI removes CSI escape sequences (ESC [ … final byte).
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			i += 2
			for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
