package cmdutil

import (
	"bytes"
	"strings"
	"testing"
)

func TestListView(t *testing.T) {
	view := ListView[[2]string]{
		Empty:  "No pairs.",
		Header: []string{"id", "name"},
		Row:    func(p [2]string) []string { return p[:] },
	}
	for _, c := range []struct {
		tty     bool
		columns []string
		items   [][2]string
		want    string
	}{
		{false, nil, nil, "No pairs.\n"},
		{false, nil, [][2]string{{"a-1", "Ann"}, {"b-2", "Bob"}}, "a-1\tAnn\nb-2\tBob\n"},
		{true, nil, [][2]string{{"a-1", "Ann"}}, "ID   NAME\na-1  Ann\n"},
		{true, []string{"name"}, [][2]string{{"a-1", "Ann"}}, "NAME\nAnn\n"},
	} {
		var out bytes.Buffer
		v := view
		v.Columns = c.columns
		if err := v.View(&Printer{Out: &out, IsTTY: c.tty, Width: 80}, c.items); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != c.want {
			t.Errorf("tty %v, columns %v, %d items: got %q, want %q", c.tty, c.columns, len(c.items), got, c.want)
		}
	}
	// Without Empty, no items is the bare table.
	var out bytes.Buffer
	if err := (ListView[string]{Header: []string{"x"}, Row: func(s string) []string { return []string{s} }}).View(&Printer{Out: &out, IsTTY: true}, nil); err != nil || strings.Contains(out.String(), "No") {
		t.Errorf("got %q, %v", out.String(), err)
	}
}
