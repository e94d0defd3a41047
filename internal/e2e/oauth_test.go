package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	fakeBrowserOnce sync.Once
	fakeBrowserPath string
	fakeBrowserErr  error
)

// fakeBrowser builds testdata/fakebrowser once: the $BROWSER authctl runs.
func fakeBrowser(t *testing.T) string {
	t.Helper()
	fakeBrowserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "authctl-fakebrowser-")
		if err != nil {
			fakeBrowserErr = err
			return
		}
		fakeBrowserPath = filepath.Join(dir, "fakebrowser")
		if runtime.GOOS == "windows" {
			fakeBrowserPath += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", fakeBrowserPath, "./testdata/fakebrowser").CombinedOutput()
		if err != nil {
			fakeBrowserErr = &buildError{err, string(out)}
		}
	})
	if fakeBrowserErr != nil {
		t.Fatal("building the fake browser:", fakeBrowserErr)
	}
	return fakeBrowserPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// TestLoginOAuthThroughMockProvider runs `login oauth` with $BROWSER pointed
// at the fake browser, which follows the server's /authorize to the
// identity provider (the emulator's mock one, where it clicks "Sign in"; or
// the harness's OIDC provider, which a real server exchanges the code with)
// and lands on authctl's loopback receiver: the whole RFC 8252 chain with
// real processes and sockets.
func TestLoginOAuthThroughMockProvider(t *testing.T) {
	e := newEnv(t)
	browserLog := filepath.Join(e.dir, "browser.log")
	e.vars["BROWSER"] = fakeBrowser(t)
	e.vars["AUTHCTL_E2E_BROWSER_LOG"] = browserLog
	e.vars["AUTHCTL_FLOW_TYPE"] = "implicit" // the command uses PKCE whatever the profile says
	email := uniqueEmail(t)

	var res struct {
		User struct {
			Email       string         `json:"email"`
			AppMetadata map[string]any `json:"app_metadata"`
		} `json:"user"`
		Session *sessionJSON `json:"session"`
	}
	e.jsonOut(&res, "", "login", "oauth", testProvider, "--query", "login_hint="+email, "--timeout", "30s")
	if res.Session == nil || res.User.Email != email || res.User.AppMetadata["provider"] != testProvider {
		t.Fatalf("login oauth: %+v", res)
	}
	if c := claims(t, res.Session.AccessToken); c["email"] != email {
		t.Fatalf("access token claims: %v", c)
	}
	log, err := os.ReadFile(browserLog)
	if err != nil {
		t.Fatal("the browser left no log:", err)
	}
	if !strings.Contains(string(log), "status: 200") || !strings.Contains(string(log), "You are signed in") ||
		!strings.Contains(string(log), "url-host: 127.0.0.1:") {
		t.Fatalf("the browser did not end on the success page:\n%s", log)
	}

	// The session is stored: later commands use it.
	var s sessionJSON
	e.jsonOut(&s, "", "session")
	if s.User.Email != email || s.AccessToken != res.Session.AccessToken {
		t.Fatalf("stored session: %+v", s)
	}
	// Nothing of the flow is left in storage (the verifier was single-use).
	_ = filepath.Walk(e.dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || p == browserLog {
			return nil
		}
		if b, _ := os.ReadFile(p); strings.Contains(fi.Name()+string(b), "code-verifier") {
			t.Errorf("a PKCE verifier was left in storage: %s", p)
		}
		return nil
	})
}

// TestLoginOAuthUnknownProvider: a usage error before any browser or request.
func TestLoginOAuthUnknownProvider(t *testing.T) {
	e := newEnv(t)
	e.vars["BROWSER"] = "false"
	r := e.mustRun(2, "", "login", "oauth", "myspace")
	if !strings.Contains(r.Stderr, "unknown provider") {
		t.Fatalf("stderr: %s", r.Stderr)
	}
}

// TestLoginSSOThroughMockProvider: `login sso --domain` after an admin
// registered a SAML identity provider for the domain (ssoMetadataXML). The
// fake browser follows the server's redirect to the IdP, which signs in
// user@DOMAIN (the harness's IdP at once; the emulator's built-in IdP
// after its page's form, the email filled in) and posts the assertion back
// to the server's ACS.
func TestLoginSSOThroughMockProvider(t *testing.T) {
	e := newEnv(t)
	domain := fmt.Sprintf("sso-%d.example.com", time.Now().UnixNano())
	var provider struct{ ID string }
	if code := apiCall(t, "POST", "/admin/sso/providers", target.ServiceRoleKey, map[string]any{"type": "saml",
		"metadata_xml": ssoMetadataXML(t, domain), "domains": []string{domain}}, &provider); code/100 != 2 || provider.ID == "" {
		t.Fatalf("registering the SSO provider: status %d %+v", code, provider)
	}
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/sso/providers/"+provider.ID, target.ServiceRoleKey, nil, nil) })

	browserLog := filepath.Join(e.dir, "browser.log")
	e.vars["BROWSER"] = fakeBrowser(t)
	e.vars["AUTHCTL_E2E_BROWSER_LOG"] = browserLog
	var res struct {
		User    struct{ Email string } `json:"user"`
		Session *sessionJSON           `json:"session"`
	}
	e.jsonOut(&res, "", "login", "sso", "--domain", domain, "--timeout", "30s")
	if res.Session == nil || !strings.HasSuffix(res.User.Email, "@"+domain) {
		t.Fatalf("login sso: %+v", res)
	}
	if log, _ := os.ReadFile(browserLog); !strings.Contains(string(log), "You are signed in") ||
		!strings.Contains(string(log), "/sso/saml/acs") {
		t.Fatalf("the browser did not post an assertion to the ACS and end on the success page:\n%s", log)
	}
	// Another domain has no provider: the server's error, exit 1.
	r := e.mustRun(1, "", "login", "sso", "--domain", "no-sso-"+domain, "--timeout", "5s")
	if !strings.Contains(r.Stderr, "sso_provider_not_found") {
		t.Fatalf("stderr: %s", r.Stderr)
	}
}
