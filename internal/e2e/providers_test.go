package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/emulator"
)

// providersEnv is an environment on a server with only some OAuth
// providers on: on a real run the target (auth.env turns github and google
// on, the CI script keycloak), on the emulator run an emulator of the test's
// own configured the same way (the shared one has every provider on).
func providersEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	if target.Emulated {
		s := startOwnEmulator(t, func(c *emulator.Config) { c.Providers = []string{"github", "google", testProvider} })
		e.vars["SUPABASE_URL"], e.vars["SUPABASE_ANON_KEY"] = s.URL, s.AnonKey
	}
	return e
}

// complete runs cobra's completion entry point the shells call and returns
// the offered values (without descriptions) and the directive line. The
// command line sets --http-timeout, which completion then takes as its
// bound instead of its own 2 s: a loaded machine must not make it offer
// nothing.
func (e *env) complete(args ...string) (values []string, r result) {
	e.t.Helper()
	r = e.mustRun(0, "", append([]string{"__complete", "--http-timeout", "1h"}, args...)...)
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	for _, l := range lines[:len(lines)-1] {
		values = append(values, strings.SplitN(l, "\t", 2)[0])
	}
	return values, r
}

// TestLoginOAuthDisabledProviderFailsAtOnce: a provider the server has off
// fails with the server's words and how to turn it on (exit 1), before any
// browser opens, although --timeout would let it wait ten minutes.
func TestLoginOAuthDisabledProviderFailsAtOnce(t *testing.T) {
	e := providersEnv(t)
	browserLog := filepath.Join(e.dir, "browser.log")
	e.vars["BROWSER"] = fakeBrowser(t)
	e.vars["AUTHCTL_E2E_BROWSER_LOG"] = browserLog
	r := e.mustRun(1, "", "login", "oauth", "gitlab", "--timeout", "10m")
	for _, want := range []string{"Unsupported provider: provider is not enabled", "gitlab is off on this server", "GOTRUE_EXTERNAL_GITLAB_ENABLED=true",
		"enabled on this server: github, google"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
	if strings.Contains(r.Stderr+r.Stdout, "http://127.0.0.1") && strings.Contains(r.Stderr+r.Stdout, "/authorize") {
		t.Errorf("an authorize address was printed:\n%s%s", r.Stdout, r.Stderr)
	}
	if _, err := os.Stat(browserLog); err == nil {
		t.Error("a browser was opened for a disabled provider")
	}
	// --json carries the server's error object.
	r = e.mustRun(1, "", "login", "oauth", "gitlab", "--json")
	if !strings.Contains(r.Stderr, `"code":"validation_failed"`) {
		t.Errorf("--json error: %s", r.Stderr)
	}
}

// TestCompleteProvidersFromServer: `login oauth <Tab>` offers the providers
// the server has on, remembered for the next Tab; with the server gone it
// offers nothing, prints nothing and exits 0.
func TestCompleteProvidersFromServer(t *testing.T) {
	e := providersEnv(t)
	got, _ := e.complete("login", "oauth", "")
	for _, p := range []string{"github", "google", testProvider} {
		if !slices.Contains(got, p) {
			t.Errorf("completion %v lacks %s", got, p)
		}
	}
	if slices.Contains(got, "gitlab") {
		t.Errorf("completion %v offers gitlab, which the server has off", got)
	}
	st, err := os.ReadFile(filepath.Join(e.vars["AUTHCTL_CONFIG_DIR"], "state.json"))
	if err != nil || !strings.Contains(string(st), `"github": true`) {
		t.Errorf("the settings were not remembered (%v):\n%s", err, st)
	}

	// A server that does not answer: nothing offered, nothing said.
	down := newEnv(t)
	down.vars["SUPABASE_URL"] = "http://127.0.0.1:1"
	got, r := down.complete("login", "oauth", "")
	if len(got) != 0 || strings.TrimSpace(r.Stdout) != ":4" {
		t.Errorf("completion with the server down offered %v:\n%s", got, r.Stdout)
	}
	if strings.Contains(r.Stderr, "error") || strings.Contains(r.Stderr, "refused") {
		t.Errorf("completion printed an error:\n%s", r.Stderr)
	}
}

// TestCompleteFactorIDs: the mfa commands' FACTOR_ID completes with the
// signed-in user's factors, described; admin mfa delete's with the user's;
// without a session, nothing.
func TestCompleteFactorIDs(t *testing.T) {
	e := newEnv(t).withAdmin()
	if got, _ := e.complete("mfa", "unenroll", ""); len(got) != 0 {
		t.Errorf("completion without a session: %v", got)
	}
	s := signUp(t, e, uniqueEmail(t))
	en := enrollVerifiedTOTP(t, e, "phone-app")
	for _, sub := range []string{"challenge", "verify", "unenroll", "challenge-and-verify"} {
		got, r := e.complete("mfa", sub, "")
		if !slices.Equal(got, []string{en.ID}) || !strings.Contains(r.Stdout, "totp verified phone-app") {
			t.Errorf("mfa %s completion: %q", sub, r.Stdout)
		}
	}
	if got, _ := e.complete("mfa", "unenroll", en.ID, ""); len(got) != 0 {
		t.Errorf("a second FACTOR_ID was offered: %v", got)
	}
	got, r := e.complete("admin", "mfa", "delete", s.User.ID, "")
	if !slices.Equal(got, []string{en.ID}) {
		t.Errorf("admin mfa delete completion: %q", r.Stdout)
	}
}

// TestLoginChooserListsEnabledProviders: in a terminal, `authctl login` →
// "In the browser" offers the providers the server has on, and a way to
// type another (custom:NAME), nothing else.
func TestLoginChooserListsEnabledProviders(t *testing.T) {
	e := providersEnv(t)
	term := e.startTerminal("login")
	term.waitFor("In the browser")
	term.send(false, "Down", "Down", "Enter")
	screen := term.waitFor("other…")
	for _, p := range []string{"github", "google", testProvider} {
		if !strings.Contains(screen, p) {
			t.Errorf("the provider list lacks %s:\n%s", p, screen)
		}
	}
	if strings.Contains(screen, "gitlab") {
		t.Errorf("the provider list offers gitlab, which the server has off:\n%s", screen)
	}
	term.send(false, "C-c")
	term.waitFor("[exit 130]")
}
