package e2e

import (
	"net"
	"strings"
	"testing"
)

// deadURL is a loopback URL where nothing listens: a port the kernel just
// handed out and that was closed again.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestLoginChecksTheServerBeforePrompting: at a terminal, `login` and
// `login password` report an unreachable server (exit 5) before asking for a
// method, an email or a password.
func TestLoginChecksTheServerBeforePrompting(t *testing.T) {
	for _, args := range [][]string{{"login"}, {"login", "password"}, {"signup"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			e := newEnv(t)
			e.vars["SUPABASE_URL"] = deadURL(t)
			term := e.startTerminal(args...)
			screen := term.waitFor("[exit 5]")
			if !strings.Contains(screen, "connection refused") || !strings.Contains(screen, "hint:") {
				t.Errorf("no unreachable error with a hint:\n%s", screen)
			}
			for _, prompt := range []string{"How do you want to sign in", "Email", "Password"} {
				if strings.Contains(screen, prompt) {
					t.Errorf("prompted for %q before finding the server unreachable:\n%s", prompt, screen)
				}
			}
		})
	}
}

// TestUnreachableServerWithoutTerminal: a script gets exit 5 and the hint.
func TestUnreachableServerWithoutTerminal(t *testing.T) {
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = deadURL(t)
	r := e.mustRun(5, "pw\n", "login", "password", "--email", uniqueEmail(t), "--password-stdin")
	if !strings.Contains(r.Stderr, "hint: is the server running?") {
		t.Errorf("stderr = %q", r.Stderr)
	}
}
