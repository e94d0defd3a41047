package e2e

import (
	"strings"
	"testing"
)

// TestWeakPasswordCodeSurvivesScrubbing: the password "word" is a secret of
// the request, and it is also inside the server's code weak_password. The
// code scripts branch on must come through whole, and no marker may show
// where the password sits in the message.
func TestWeakPasswordCodeSurvivesScrubbing(t *testing.T) {
	e := newEnv(t)
	r := e.mustRun(1, "word\n", "signup", "--email", uniqueEmail(t), "--password-stdin", "--json")
	_, msg, code := errorJSON(t, r)
	if code == nil || *code != "weak_password" {
		t.Fatalf("code %v, want weak_password\n%s", code, r.Stderr)
	}
	if strings.Contains(r.Stderr, "REDACTED") {
		t.Fatalf("the error was mangled by scrubbing: %s", r.Stderr)
	}
	if msg == "" {
		t.Fatalf("no message: %s", r.Stderr)
	}
}
