package cmdutil

import (
	"fmt"

	"github.com/authctl/authctl/internal/render"
)

// ListView is the human view of a list: a line saying there is none, or a
// table with one row an item. A list command states it and hands View to
// Show (or Print); --json prints the list itself.
type ListView[T any] struct {
	Empty   string           // the line printed for no items ("No grants."); "" prints the bare table
	Header  []string         // column names (render.Table.SetHeader)
	Whole   []string         // columns never cut: ids other commands take
	Drop    []string         // columns left out first on a narrow terminal
	Columns []string         // the --columns the user chose (checked by the flag)
	Row     func(T) []string // one item's cells, in Header's order
}

// View prints items.
func (v ListView[T]) View(p *Printer, items []T) error {
	if len(items) == 0 && v.Empty != "" {
		_, err := fmt.Fprintln(p.Out, v.Empty)
		return err
	}
	t := render.NewTable(p.Out, p.IsTTY, p.Width)
	t.SetHeader(v.Header...)
	t.SetWhole(v.Whole...)
	t.SetDropOrder(v.Drop...)
	_ = t.SetColumns(v.Columns) // checked by the flag (AddColumnsFlag)
	for _, item := range items {
		t.AddRow(v.Row(item)...)
	}
	return t.Render()
}
