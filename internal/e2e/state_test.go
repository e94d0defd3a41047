package e2e

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCorruptSessionFileDoesNotBlock: login replaces a corrupt session file
// (with a warning), logout removes it.
func TestCorruptSessionFileDoesNotBlock(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	file := filepath.Join(e.vars["AUTHCTL_CONFIG_DIR"], "sessions", "default.json")
	corrupt := func() {
		if err := os.WriteFile(file, []byte("{garbage"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	corrupt()
	r := e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")
	if !strings.Contains(r.Stderr, "replacing the corrupt session file") {
		t.Errorf("login said nothing about the corrupt file: %q", r.Stderr)
	}
	if got := strings.TrimSpace(e.mustRun(0, "", "session", "--jq", ".user.email").Stdout); got != email {
		t.Errorf("after login the session is for %q", got)
	}

	corrupt()
	r = e.mustRun(0, "", "logout")
	if !strings.Contains(r.Stderr, "removed the corrupt session file") {
		t.Errorf("logout said nothing about the corrupt file: %q", r.Stderr)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the corrupt file is still there (%v)", err)
	}
	e.mustRun(3, "", "status")
}

// TestSigningInAsAnotherUserSaysSo: the replaced session is named on stderr;
// signing in again as the same user says nothing.
func TestSigningInAsAnotherUserSaysSo(t *testing.T) {
	e := newEnv(t)
	a, b := uniqueEmail(t), uniqueEmail(t)
	signUp(t, newEnv(t), b)
	signUp(t, e, a)
	r := e.mustRun(0, password+"\n", "login", "password", "--email", b, "--password-stdin")
	if want := "replaced the session of " + a + " with " + b; !strings.Contains(r.Stderr, want) {
		t.Errorf("stderr %q lacks %q", r.Stderr, want)
	}
	r = e.mustRun(0, password+"\n", "login", "password", "--email", b, "--password-stdin")
	if strings.Contains(r.Stderr, "replaced") {
		t.Errorf("the same user again was reported as a replacement: %q", r.Stderr)
	}
}

// TestSessionSetOfAnotherUserSaysSo: `session set` with an expired access
// token spends the refresh token handed in, which may be another user's:
// the saved session is a sign-in, named as a replacement like one.
func TestSessionSetOfAnotherUserSaysSo(t *testing.T) {
	e := newEnv(t)
	a, b := uniqueEmail(t), uniqueEmail(t)
	other := signUp(t, newEnv(t), b)
	signUp(t, e, a)
	expired := forgedJWT(map[string]any{"sub": other.User.ID, "exp": time.Now().Add(-time.Hour).Unix()})
	r := e.mustRun(0, expired+"\n"+other.RefreshToken+"\n", "session", "set", "--access-token-stdin")
	if want := "replaced the session of " + a + " with " + b; !strings.Contains(r.Stderr, want) {
		t.Errorf("stderr %q lacks %q", r.Stderr, want)
	}
	if got := strings.TrimSpace(e.mustRun(0, "", "user", "--jq", ".email").Stdout); got != b {
		t.Errorf("signed in as %q after session set, want %s", got, b)
	}
}

// TestKeyringFallbackWarningOnce: with no usable keyring (no session bus),
// the fallback warning appears on the first command of a profile only, and
// names the command that makes the file the setting.
func TestKeyringFallbackWarningOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is made unreachable through D-Bus, which is Linux's")
	}
	e := newEnv(t)
	e.vars["AUTHCTL_STORAGE"] = "auto"
	e.vars["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + filepath.Join(e.dir, "no-bus")
	first := e.mustRun(3, "", "token")
	if !strings.Contains(first.Stderr, "OS keyring was not usable") || !strings.Contains(first.Stderr, "authctl config set storage file") {
		t.Fatalf("first run: stderr %q", first.Stderr)
	}
	if again := e.mustRun(3, "", "token"); strings.Contains(again.Stderr, "keyring") {
		t.Errorf("the warning repeated: %q", again.Stderr)
	}
	other := e.mustRun(3, "", "--profile", "staging", "token")
	if !strings.Contains(other.Stderr, "authctl --profile staging config set storage file") {
		t.Errorf("another profile was not warned, or not told its command: %q", other.Stderr)
	}
}
