package render

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableTTYAligned(t *testing.T) {
	var buf bytes.Buffer
	tb := NewTable(&buf, true, 80)
	tb.SetHeader("id", "email", "created")
	tb.AddRow("u1", "a@example.com", "3 days ago")
	tb.AddRow("u22", "bob@example.com", "just now")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"ID   EMAIL            CREATED\n" +
		"u1   a@example.com    3 days ago\n" +
		"u22  bob@example.com  just now\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestTableTTYTruncatesWidestColumn(t *testing.T) {
	var buf bytes.Buffer
	tb := NewTable(&buf, true, 30)
	tb.AddRow("u1", "a-very-long-address-indeed@example.com", "ok")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSuffix(buf.String(), "\n")
	if w := displayWidth(line); w != 30 {
		t.Errorf("line is %d cells wide, want 30: %q", w, line)
	}
	if !strings.HasPrefix(line, "u1  a-very-long") || !strings.Contains(line, "…  ok") {
		t.Errorf("widest column not truncated with …: %q", line)
	}
}

func TestTableColoursDoNotBreakAlignment(t *testing.T) {
	cs := NewColorScheme(true)
	var buf bytes.Buffer
	tb := NewTable(&buf, true, 0)
	tb.AddRow(cs.Green("ok"), "x")
	tb.AddRow("failed", "y")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(stripANSI(buf.String()), "\n")
	if lines[0] != "ok      x" || lines[1] != "failed  y" {
		t.Errorf("misaligned: %q", lines)
	}
}

func TestTableWideCharacters(t *testing.T) {
	var buf bytes.Buffer
	tb := NewTable(&buf, true, 0)
	tb.AddRow("山田", "x")
	tb.AddRow("abcde", "y")
	_ = tb.Render()
	if lines := strings.Split(buf.String(), "\n"); lines[0] != "山田   x" {
		t.Errorf("wide runes counted wrong: %q", lines[0])
	}
}

func TestTableNotTTYIsTSV(t *testing.T) {
	var buf bytes.Buffer
	tb := NewTable(&buf, false, 10)
	tb.SetHeader("id", "email")
	tb.AddRow("u1", "a-very-long-address@example.com")
	tb.AddRow("u2", "tab\there")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	want := "u1\ta-very-long-address@example.com\nu2\ttab here\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestTableHeaderOnlyWithRows(t *testing.T) {
	var buf bytes.Buffer
	tb := NewTable(&buf, true, 80)
	tb.SetHeader("id")
	_ = tb.Render()
	if buf.Len() != 0 {
		t.Errorf("empty table printed %q", buf.String())
	}
}

// TestTableFitsByDroppingBeforeCutting: at 80 columns the id stays whole,
// a column empty on every row goes, then the least useful columns, and only
// then is a column cut.
func TestTableFitsByDroppingBeforeCutting(t *testing.T) {
	const id = "70845369-a6b1-4c1e-9f3e-2d7a1b0c9e88"
	newTable := func(width int) (*Table, *bytes.Buffer) {
		var buf bytes.Buffer
		tb := NewTable(&buf, true, width)
		tb.SetHeader("id", "email", "phone", "created", "last sign-in", "providers")
		tb.SetWhole("id")
		tb.SetDropOrder("providers", "last sign-in", "created")
		tb.AddRow(id, "alice@example.com", "", "3 days ago", "2 hours ago", "email")
		return tb, &buf
	}
	for _, tc := range []struct {
		width int
		want  []string
	}{
		{200, []string{"ID", "EMAIL", "CREATED", "LAST SIGN IN", "PROVIDERS"}},
		{90, []string{"ID", "EMAIL", "CREATED", "LAST SIGN IN"}},
		{80, []string{"ID", "EMAIL", "CREATED"}},
		{60, []string{"ID", "EMAIL"}},
		{40, []string{"ID", "EMAIL"}},
	} {
		tb, buf := newTable(tc.width)
		if err := tb.Render(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(buf.String(), "\n")
		if got := strings.Fields(strings.ReplaceAll(lines[0], "LAST SIGN IN", "LAST_SIGN-IN")); strings.Join(got, ",") != strings.ReplaceAll(strings.Join(tc.want, ","), "LAST SIGN IN", "LAST_SIGN-IN") {
			t.Errorf("width %d: header %q, want %q", tc.width, lines[0], tc.want)
		}
		if !strings.HasPrefix(lines[1], id) {
			t.Errorf("width %d: the id was cut: %q", tc.width, lines[1])
		}
		if tc.width >= 60 && !strings.Contains(lines[1], "alice@example.com") {
			t.Errorf("width %d: the email was cut before the drop order ran out: %q", tc.width, lines[1])
		}
	}
}

func TestTableSetColumns(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var buf bytes.Buffer
		tb := NewTable(&buf, tty, 80)
		tb.SetHeader("id", "email", "last sign-in")
		tb.SetDropOrder("email")
		if err := tb.SetColumns([]string{"last-sign-in", "email"}); err != nil {
			t.Fatal(err)
		}
		tb.AddRow("u1", "a@example.com", "")
		if err := tb.Render(); err != nil {
			t.Fatal(err)
		}
		want := "LAST SIGN IN  EMAIL\n              a@example.com\n"
		if !tty {
			want = "\ta@example.com\n"
		}
		if buf.String() != want {
			t.Errorf("tty=%v: got %q, want %q", tty, buf.String(), want)
		}
		if got := strings.Join(tb.Visible(), ","); got != "last-sign-in,email" {
			t.Errorf("Visible() = %s", got)
		}
	}
	tb := NewTable(&bytes.Buffer{}, true, 80)
	tb.SetHeader("id", "email")
	if err := tb.SetColumns([]string{"mail"}); err == nil || !strings.Contains(err.Error(), "choose from id, email") {
		t.Errorf("unknown column: %v", err)
	}
}

// A pipe keeps every column, empty or not, so positions stay fixed for cut.
func TestTableTSVKeepsEmptyColumns(t *testing.T) {
	var buf bytes.Buffer
	tb := NewTable(&buf, false, 10)
	tb.SetHeader("id", "phone", "email")
	tb.SetDropOrder("email")
	tb.AddRow("u1", "", "a-long-address@example.com")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "u1\t\ta-long-address@example.com\n" {
		t.Errorf("got %q", buf.String())
	}
}
