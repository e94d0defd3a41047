package e2e

import (
	"strings"
	"testing"
)

// TestJQRuntimeErrorIsNotUsage: an expression that parses but does not fit
// the document is a runtime error (exit 1, jq's words); one that does not
// parse is a usage error (exit 2).
func TestJQRuntimeErrorIsNotUsage(t *testing.T) {
	e := newEnv(t)
	wantFail(t, e.run("", "version", "--jq", ".[].email"), 1, "expected an object but got: string")
	wantFail(t, e.run("", "version", "--jq", ".["), 2, "invalid --jq expression")
}

// TestHelpPlaceholders: flag placeholders say what kind of value to give.
func TestHelpPlaceholders(t *testing.T) {
	e := newEnv(t)
	for args, want := range map[string]string{"--help": "--http-timeout DURATION", "login otp --help": "--flow FLOW"} {
		if r := e.mustRun(0, "", strings.Fields(args)...); !strings.Contains(r.Stdout, want) {
			t.Errorf("authctl %s lacks %q:\n%s", args, want, r.Stdout)
		}
	}
}

// In an 80-column terminal, login oauth's help fits: no line reaches the
// last column (where the terminal would break it mid-word), and flag
// descriptions continue under their own column.
func TestHelpFitsEightyColumns(t *testing.T) {
	term := newEnv(t).startTerminalSized(80, 60, "login", "oauth", "--help")
	screen := term.waitFor("[exit 0]")
	for _, l := range strings.Split(screen, "\n") {
		if n := len([]rune(l)); n >= 80 {
			t.Errorf("a line fills the terminal (%d columns): %q", n, l)
		}
	}
	if !strings.Contains(screen, "--timeout DURATION   how long to wait for the browser") ||
		!strings.Contains(screen, "\n                           such as 90s or 10m") {
		t.Errorf("flag help is not wrapped under its column:\n%s", screen)
	}
}
