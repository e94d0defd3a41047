package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBrowserCommandLineRevealsNothing: the browser's command line (readable
// by every local user through ps) must hold neither the secret callback path
// nor the PKCE code_challenge; with both, another user could finish a flow
// with their own identity and sign this person in to the attacker's account.
// The fake browser logs its argv and every URL it visits; on the emulator it
// completes the sign-in, on a real server it stops where the server sends it
// to the (unreachable) identity provider and the command is interrupted.
func TestBrowserCommandLineRevealsNothing(t *testing.T) {
	e := newEnv(t)
	browserLog := filepath.Join(e.dir, "browser.log")
	e.vars["BROWSER"] = fakeBrowser(t)
	e.vars["AUTHCTL_E2E_BROWSER_LOG"] = browserLog
	cmd, stderr := startAuthctl(t, e, "", "login", "oauth", "github", "--query", "login_hint="+uniqueEmail(t), "--timeout", "50s")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The browser writes "end" when it is done; the command may still wait
	// (a real server's provider is out of reach): interrupt it then.
	deadline := waitDeadline(t)
	for !strings.Contains(readFile(browserLog), "end\n") {
		if time.Now().After(deadline) {
			t.Fatalf("the browser never finished\nlog: %s\nstderr: %s", readFile(browserLog), stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if target.Emulated {
		// The emulator's provider completes the sign-in: wait for it.
		if err := <-exited; err != nil {
			t.Fatalf("login oauth: %v\nstderr: %s", err, stderr)
		}
	} else {
		_ = cmd.Process.Signal(syscall.SIGINT)
		<-exited
	}

	log := readFile(browserLog)
	var argv, challenge, callback string
	for _, line := range strings.Split(log, "\n") {
		if v, ok := strings.CutPrefix(line, "argv: "); ok {
			argv = v
		}
		if v, ok := strings.CutPrefix(line, "visit: "); ok {
			u, err := url.Parse(v)
			if err == nil && u.Query().Get("code_challenge") != "" {
				challenge = u.Query().Get("code_challenge")
				if r, err := url.Parse(u.Query().Get("redirect_to")); err == nil {
					callback = r.Path
				}
			}
		}
	}
	if argv == "" || challenge == "" || !strings.HasPrefix(callback, "/callback/") {
		t.Fatalf("the browser never reached the authorize URL:\n%s\nstderr: %s", log, stderr)
	}
	if strings.Contains(argv, challenge) || strings.Contains(argv, callback) || strings.Contains(argv, "authorize") {
		t.Fatalf("the browser's command line reveals the flow: %s", argv)
	}
	// It is a private page, gone once the browser has read it.
	if !strings.Contains(log, "entry-mode: -rw------- dir-mode: drwx------") {
		t.Fatalf("the entry page is not private:\n%s", log)
	}
	if u, err := url.Parse(argv); err != nil || u.Scheme != "file" {
		t.Fatalf("argv %q: want a file:// page", argv)
	} else if _, err := os.Stat(filepath.Dir(u.Path)); !os.IsNotExist(err) {
		t.Fatalf("the entry page's directory is still there: %v", err)
	}
	if strings.Contains(stderr.String(), challenge) {
		t.Fatal("the terminal shows the code_challenge") // the printed fallback is the one-time start URL
	}
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}
