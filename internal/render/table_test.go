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
