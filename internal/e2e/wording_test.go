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
