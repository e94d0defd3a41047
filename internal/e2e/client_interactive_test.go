package e2e

import (
	"strings"
	"testing"
)

// TestInteractiveLoginOTPPromptsForMaskedCode drives `authctl login otp` in a
// real terminal: it sends the code, asks for it without echoing it, and
// stores the session.
func TestInteractiveLoginOTPPromptsForMaskedCode(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	term := e.startTerminal("login", "otp", "--email", email)

	term.waitFor("┃ Code")
	// The code a mail would carry (the server has no SMTP): generating the
	// link replaces the one just sent, as a second mail would.
	code := generateLink(t, "magiclink", email).EmailOTP
	term.send(true, code)
	term.send(false, "Enter")
	screen := term.waitFor("[exit 0]")
	if strings.Contains(screen, code) {
		t.Errorf("the code was echoed:\n%s", screen)
	}
	if got := strings.TrimSpace(e.mustRun(0, "", "session", "--jq", ".user.email").Stdout); got != email {
		t.Errorf("stored session is for %q, want %q", got, email)
	}
}
