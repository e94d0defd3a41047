package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/emulator"
)

// `authctl emulator messages` reads what an emulator would have sent, so
// these tests run their own emulator whatever the target; against a real
// server they also check that it is told apart from an emulator.

// emulatorEnv is an environment pointed at a fresh emulator of its own.
func emulatorEnv(t *testing.T, tweak func(*emulator.Config)) *env {
	t.Helper()
	emu := startOwnEmulator(t, tweak)
	e := newEnv(t)
	e.vars["SUPABASE_URL"], e.vars["SUPABASE_ANON_KEY"] = emu.URL, emu.AnonKey
	return e
}

type sentMessageJSON struct {
	To         string `json:"to"`
	Type       string `json:"type"`
	OTP        string `json:"otp"`
	TokenHash  string `json:"token_hash"`
	ActionLink string `json:"action_link"`
}

// A person signs in by email code with no key configured: the code is read
// with `emulator messages --to`, then verified.
func TestEmulatorMessagesCodeSignsIn(t *testing.T) {
	e := emulatorEnv(t, nil)
	email := uniqueEmail(t)
	other := "other-" + email
	e.mustRun(0, "", "login", "otp", "--email", other)
	e.mustRun(0, "", "login", "otp", "--email", email)

	var msgs []sentMessageJSON
	e.jsonOut(&msgs, "", "emulator", "messages", "--to", strings.ToUpper(email))
	if len(msgs) != 1 || msgs[0].To != email || len(msgs[0].OTP) != 6 || !strings.Contains(msgs[0].ActionLink, "/verify?token=") {
		t.Fatalf("messages to %s: %+v", email, msgs)
	}
	r := e.mustRun(0, msgs[0].OTP+"\n", "verify", "--type", "email", "--email", email, "--token-stdin", "--json")
	if !strings.Contains(r.Stdout, email) {
		t.Fatalf("verify: %s", r.Stdout)
	}
	if st := e.status(); !st.SignedIn {
		t.Fatalf("not signed in: %+v", st)
	}
}

// With confirmations on, the signup email's link (its token hash) confirms
// the account; --jq picks it out as a script would.
func TestEmulatorMessagesConfirmSignup(t *testing.T) {
	e := emulatorEnv(t, func(c *emulator.Config) { c.ConfirmEmail = true })
	email := uniqueEmail(t)
	e.mustRun(0, password+"\n", "signup", "--email", email, "--password-stdin")
	r := e.mustRun(0, "", "emulator", "messages", "--to", email, "--jq", `.[] | select(.type == "signup") | .token_hash`)
	hash := strings.TrimSpace(r.Stdout)
	if hash == "" || strings.Contains(hash, "\n") {
		t.Fatalf("token hash: %q", r.Stdout)
	}
	e.mustRun(0, "", "verify", "--type", "signup", "--token-hash", hash)
	e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")
}

// A server that keeps no messages is named as not an emulator (exit 2): a
// real one when the target is real, else a port where none listens (exit 5).
func TestEmulatorMessagesElsewhere(t *testing.T) {
	e := newEnv(t)
	if !target.Emulated {
		r := e.mustRun(2, "", "emulator", "messages")
		if !strings.Contains(r.Stderr, "is not an authctl emulator") || !strings.Contains(r.Stderr, "authctl emulator") {
			t.Fatalf("against a real server: %s", r.Stderr)
		}
	}
	e.vars["SUPABASE_URL"] = "http://127.0.0.1:1"
	r := e.mustRun(5, "", "emulator", "messages")
	if !strings.Contains(r.Stderr, "is `authctl emulator` running at http://127.0.0.1:1") {
		t.Fatalf("nothing listening: %s", r.Stderr)
	}
}

// --follow prints the messages so far, then each one as it arrives (JSON
// Lines), and ends with exit 0 and nothing on stderr at Ctrl-C.
func TestEmulatorMessagesFollow(t *testing.T) {
	e := emulatorEnv(t, nil)
	email := uniqueEmail(t)
	e.mustRun(0, "", "login", "otp", "--email", email)

	cmd, lines, stderr := followJSON[sentMessageJSON](t, e, "emulator", "messages", "--follow", "--json", "--to", email, "--interval", "50ms")
	next := func() sentMessageJSON {
		t.Helper()
		select {
		case m, ok := <-lines:
			if !ok {
				t.Fatalf("--follow ended; stderr: %s", stderr.String())
			}
			return m
		case <-time.After(time.Until(waitDeadline(t))):
			t.Fatalf("no message printed; stderr: %s", stderr.String())
		}
		return sentMessageJSON{}
	}
	first := next()
	if first.To != email || first.Type != "magiclink" {
		t.Fatalf("first line: %+v", first)
	}
	// A code asked for after following began: printed when it arrives.
	e.mustRun(0, "", "reset-password", email)
	if m := next(); m.Type != "recovery" || m.OTP == "" {
		t.Fatalf("second line: %+v", m)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for m := range lines {
		t.Errorf("after Ctrl-C: %+v", m)
	}
	if err := cmd.Wait(); err != nil || stderr.String() != "" {
		t.Errorf("--follow after Ctrl-C: %v, stderr %q (want exit 0 and nothing)", err, stderr.String())
	}
}

// What a person sees in an 80×24 terminal: the table fits, the code is
// whole, and the inbox page is named for the links.
func TestEmulatorMessagesInATerminal(t *testing.T) {
	e := emulatorEnv(t, nil)
	email := "a.rather.long.address." + uniqueEmail(t)
	e.mustRun(0, "", "login", "otp", "--email", email)
	var msgs []sentMessageJSON
	e.jsonOut(&msgs, "", "emulator", "messages", "--to", email)
	term := e.startTerminalSized(80, 24, "emulator", "messages")
	screen := term.waitFor("[exit 0]")
	for _, want := range []string{"WHEN", "KIND", "CODE", "magiclink  " + msgs[0].OTP, "/emulator/inbox (or add --json)."} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}

	// Following: a code asked for meanwhile shows up; Ctrl-C ends with 0.
	term = e.startTerminalSized(80, 24, "emulator", "messages", "--follow", "--to", email)
	term.waitFor(msgs[0].OTP)
	e.mustRun(0, "", "reset-password", email)
	e.jsonOut(&msgs, "", "emulator", "messages", "--to", email)
	term.waitFor("recovery          " + msgs[len(msgs)-1].OTP)
	term.send(false, "C-c")
	term.waitFor("[exit 0]")
}
