package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mattn/go-runewidth"
)

// minColumn is the narrowest a column is truncated to: below it the "…"
// leaves too little to recognise the value.
const minColumn = 5

// Table prints rows of fields. On a terminal, columns are aligned under an
// upper-case header and made to fit the screen: columns empty on every row
// are left out, then the columns named by SetDropOrder (least useful first),
// then the widest column that is not whole is truncated with "…". Whole
// columns (ids people copy into the next command) are never cut. Otherwise
// rows are tab-separated with no header and no truncation, so `cut -f2` and
// `while IFS=$'\t' read` see every value whole (like gh). SetColumns (a
// command's --columns) chooses and orders the columns in both forms.
type Table struct {
	w          io.Writer
	isTTY      bool
	maxWidth   int
	header     []string
	rows       [][]string
	whole      map[int]bool
	drop       []int // least useful first
	chosen     []int // nil: every column, fitted to the screen
	visible    []int
	hideHeader bool
}

// NewTable returns a table writing to w. maxWidth is the terminal width;
// zero or less disables truncation.
func NewTable(w io.Writer, isTTY bool, maxWidth int) *Table {
	return &Table{w: w, isTTY: isTTY, maxWidth: maxWidth}
}

// SetHeader names the columns; it is printed on a terminal only, upper
// case with hyphens as spaces ("last-sign-in" → LAST SIGN IN).
func (t *Table) SetHeader(fields ...string) {
	t.header = make([]string, len(fields))
	for i, f := range fields {
		t.header[i] = strings.ToUpper(strings.ReplaceAll(f, "-", " "))
	}
}

// HideHeader leaves the header out, for the later pages of a streamed
// table; the names still serve SetColumns and friends.
func (t *Table) HideHeader() { t.hideHeader = true }

// SetWhole marks the named columns (header names, any case) as never cut.
func (t *Table) SetWhole(names ...string) {
	t.whole = map[int]bool{}
	for _, n := range names {
		if i := t.column(n); i >= 0 {
			t.whole[i] = true
		}
	}
}

// SetDropOrder names the columns left out, in this order, when the table
// is too wide for the terminal.
func (t *Table) SetDropOrder(names ...string) {
	t.drop = nil
	for _, n := range names {
		if i := t.column(n); i >= 0 {
			t.drop = append(t.drop, i)
		}
	}
}

// SetColumns shows exactly the named columns, in this order (none left out
// to fit); an empty list keeps every column. Names not in the header are an
// error naming the valid ones.
func (t *Table) SetColumns(names []string) error {
	t.chosen = nil
	for _, n := range names {
		i := t.column(n)
		if i < 0 {
			return &UnknownColumnError{Name: n, Valid: t.Columns()}
		}
		t.chosen = append(t.chosen, i)
	}
	return nil
}

// Columns are the header names, lower case as a --columns flag takes them.
func (t *Table) Columns() []string {
	out := make([]string, len(t.header))
	for i, h := range t.header {
		out[i] = strings.ReplaceAll(strings.ToLower(h), " ", "-")
	}
	return out
}

// Visible names the columns the last Render showed, for the next pages of
// a streamed table (SetColumns) so every page has the same columns.
func (t *Table) Visible() []string {
	names := t.Columns()
	out := make([]string, len(t.visible))
	for i, c := range t.visible {
		out[i] = names[c]
	}
	return out
}

// UnknownColumnError reports a --columns name the table does not have.
type UnknownColumnError struct {
	Name  string
	Valid []string
}

func (e *UnknownColumnError) Error() string {
	return fmt.Sprintf("unknown column %q: choose from %s", e.Name, strings.Join(e.Valid, ", "))
}

// column finds a header name: any case, spaces or hyphens.
func (t *Table) column(name string) int {
	name = strings.ReplaceAll(strings.ToLower(name), " ", "-")
	for i, c := range t.Columns() {
		if c == name {
			return i
		}
	}
	return -1
}

// AddRow appends a row. Fields may carry ANSI colours (ColorScheme); they
// do not count towards the width.
func (t *Table) AddRow(fields ...string) { t.rows = append(t.rows, fields) }

// Render writes the table.
func (t *Table) Render() error {
	t.visible = t.pick()
	if !t.isTTY {
		return t.renderTSV()
	}
	rows := t.project(t.rows)
	if len(t.header) > 0 && len(rows) > 0 && !t.hideHeader {
		rows = append(t.project([][]string{t.header}), rows...)
	}
	widths := t.columnWidths(rows)
	var b strings.Builder
	for _, row := range rows {
		for i, f := range row {
			last := i == len(row)-1
			f = Truncate(f, widths[i])
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

// pick decides which columns to show: the chosen ones; every one in a
// pipe (positions stay fixed for scripts); on a terminal, those not empty
// on every row, less the drop order while the table is too wide.
func (t *Table) pick() []int {
	if t.chosen != nil {
		return t.chosen
	}
	n := len(t.header)
	for _, r := range t.rows {
		n = max(n, len(r))
	}
	var cols []int
	for i := range n {
		if !t.isTTY || len(t.rows) == 0 || !t.empty(i) {
			cols = append(cols, i)
		}
	}
	if !t.isTTY || t.maxWidth <= 0 {
		return cols
	}
	for _, d := range t.drop {
		if t.naturalWidth(cols) <= t.maxWidth {
			break
		}
		cols = slices.DeleteFunc(cols, func(c int) bool { return c == d })
	}
	return cols
}

func (t *Table) empty(col int) bool {
	for _, r := range t.rows {
		if col < len(r) && r[col] != "" {
			return false
		}
	}
	return true
}

// naturalWidth is the width of a line showing cols uncut.
func (t *Table) naturalWidth(cols []int) int {
	total := 2 * max(0, len(cols)-1)
	for _, c := range cols {
		w := 0
		for _, r := range append([][]string{t.header}, t.rows...) {
			if c < len(r) {
				w = max(w, displayWidth(r[c]))
			}
		}
		total += w
	}
	return total
}

// project keeps the visible columns of rows, in their order.
func (t *Table) project(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(t.visible))
		for j, c := range t.visible {
			if c < len(r) {
				out[i][j] = r[c]
			}
		}
	}
	return out
}

func (t *Table) renderTSV() error {
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	var b strings.Builder
	for _, row := range t.project(t.rows) {
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

// columnWidths measures each visible column and, when the line would
// exceed maxWidth, narrows the widest column that is not whole one cell at
// a time (so two wide columns end up sharing the cut) until it fits or every
// such column is at minColumn.
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
		widest := -1
		for i, w := range widths {
			if !t.whole[t.visible[i]] && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 || widths[widest] <= minColumn {
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

// Truncate shortens s to at most w cells, ending in "…". A coloured field
// that must be cut loses its colour: cutting inside an escape sequence would
// corrupt the terminal.
func Truncate(s string, w int) string {
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
