package e2e

import (
	"strings"
	"testing"
)

// TestInteractiveSignupPromptsAndMasksPassword drives `authctl signup` in a
// real terminal: it asks for the email and a masked password twice (again
// when the two differ), and the session is stored.
func TestInteractiveSignupPromptsAndMasksPassword(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	term := e.startTerminal("signup")

	term.waitFor("Email")
	term.send(true, "not-an-email")
	term.send(false, "Enter")
	term.waitFor("invalid email address")
	for range len("not-an-email") {
		term.send(false, "BSpace")
	}
	term.send(true, email)
	term.send(false, "Enter")

	// The password is asked twice; entries that differ are asked again.
	term.waitFor("┃ Password")
	term.send(true, password)
	term.send(false, "Enter")
	term.waitFor("┃ Password again")
	term.send(true, password+"x")
	term.send(false, "Enter")
	term.waitFor("The two entries differ")
	for _, prompt := range []string{"┃ Password", "┃ Password again"} {
		term.waitFor(prompt)
		term.send(true, password)
		term.send(false, "Enter")
	}
	screen := term.waitFor("[exit 0]")
	if strings.Contains(screen, password) {
		t.Errorf("the password was echoed:\n%s", screen)
	}
	if !strings.Contains(screen, email) {
		t.Errorf("the result does not name the user:\n%s", screen)
	}
	// The session was stored: a non-interactive command sees it.
	if got := strings.TrimSpace(e.mustRun(0, "", "session", "--jq", ".user.email").Stdout); got != email {
		t.Errorf("stored session is for %q, want %q", got, email)
	}
}

// TestInteractiveLoginChooser drives `authctl login` as a person would: the
// chooser, then the email and masked password prompts; the session is stored.
func TestInteractiveLoginChooser(t *testing.T) {
	setup := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, setup, email)

	e := newEnv(t)
	term := e.startTerminal("login")
	term.waitFor("How do you want to sign in?")
	term.waitFor("Email and password")
	term.send(false, "Enter") // the first entry
	// "┃ Email" is the prompt itself; plain "Email" would match the
	// chooser's answer line ("Email and password") too early.
	term.waitFor("┃ Email")
	term.send(true, email)
	term.send(false, "Enter")
	term.waitFor("┃ Password")
	term.send(true, password)
	term.send(false, "Enter")
	screen := term.waitFor("[exit 0]")
	if strings.Contains(screen, password) {
		t.Errorf("the password was echoed:\n%s", screen)
	}
	if got := strings.TrimSpace(e.mustRun(0, "", "session", "--jq", ".user.email").Stdout); got != email {
		t.Errorf("stored session is for %q, want %q", got, email)
	}
}

// TestLoginWithoutTerminalNamesTheMethods: no chooser without a person.
func TestLoginWithoutTerminalNamesTheMethods(t *testing.T) {
	r := newEnv(t).mustRun(2, "", "login")
	if !strings.Contains(r.Stderr, "authctl login password") {
		t.Errorf("stderr %q does not name the methods", r.Stderr)
	}
}
