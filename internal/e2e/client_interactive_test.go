package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
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

	prompt := term.waitFor("┃ Code")
	// Only an emulator, which sends nothing, is pointed at its messages.
	if hint := strings.Contains(prompt, "authctl emulator messages --to "); hint != target.Emulated {
		t.Errorf("emulator hint shown: %v, want %v (target emulated):\n%s", hint, target.Emulated, prompt)
	}
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

// A server on this machine that is not an emulator (as `supabase start`'s
// 127.0.0.1:54321, whose mail is in Mailpit) gets no emulator hint: here an
// emulator behind a proxy that hides its /emulator/ routes, as a Supabase
// server has none.
func TestInteractiveLoginOTPNoEmulatorHintForOtherLocalServers(t *testing.T) {
	emu := startOwnEmulator(t, nil)
	up, err := url.Parse(emu.URL)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(up)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/emulator/") {
			http.NotFound(w, r)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	e := newEnv(t)
	e.vars["SUPABASE_URL"], e.vars["SUPABASE_ANON_KEY"] = front.URL, emu.AnonKey
	email := uniqueEmail(t)
	term := e.startTerminal("login", "otp", "--email", email)
	if prompt := term.waitFor("┃ Code"); strings.Contains(prompt, "emulator messages") {
		t.Errorf("a local server without /emulator/ routes got the emulator hint:\n%s", prompt)
	}
	term.send(false, "C-c")
	term.waitFor("[exit ")
}
