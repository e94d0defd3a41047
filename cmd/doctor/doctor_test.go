package doctor

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// newDoctor is a doctor on a test server answering /health with the given
// Date header.
func newDoctor(t *testing.T, date time.Time, target cmdutil.Target) *doctor {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", date.UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"version":"v2.196.0","name":"GoTrue"}`))
	})
	return &doctor{f: h.F, target: &target, client: h.Client}
}

func last(d *doctor) Check { return d.checks[len(d.checks)-1] }

// A clock two minutes off the server's Date header is a problem with a fix;
// a second or two is not.
func TestClock(t *testing.T) {
	for _, tc := range []struct {
		skew    time.Duration
		status  string
		summary string
	}{
		{2 * time.Second, OK, "within"},
		{-2 * time.Minute, Problem, "2m0s ahead of"},
		{3 * time.Minute, Problem, "3m0s behind"},
	} {
		d := newDoctor(t, cmdutiltest.Now.Add(tc.skew), cmdutil.Target{Profile: "default"})
		d.checkServer(context.Background())
		d.checkClock()
		if c := last(d); c.Status != tc.status || !strings.Contains(c.Summary, tc.summary) || (c.Status == Problem && c.Fix == "") {
			t.Errorf("server clock %v from ours: %+v", tc.skew, c)
		}
	}
}

// An anon key of another hosted project, and plain http to a remote host,
// are problems; the fix names the profile in use.
func TestKeyOfAnotherProjectAndPlainHTTP(t *testing.T) {
	key := cmdutiltest.JWT(map[string]any{"role": "anon", "ref": "otherref"})
	d := newDoctor(t, cmdutiltest.Now, cmdutil.Target{Profile: "prod", AuthURL: "https://abcd.supabase.co/auth/v1", AnonKey: key})
	d.checkAnonKey()
	if c := last(d); c.Status != Problem || !strings.Contains(c.Summary, `project "abcd"`) ||
		c.Fix != `authctl --profile prod config set anon-key ANON_KEY (the anon or publishable key from the project's API settings)` {
		t.Errorf("anon key of another project: %+v", c)
	}
	d.target.AuthURL, d.target.URLSource = "http://auth.example.com/", "profile prod"
	d.checkURL()
	if c := last(d); c.Status != Problem || c.Fix != "authctl --profile prod config set url https://auth.example.com" {
		t.Errorf("plain http to a remote host: %+v", c)
	}
	d.target.AuthURL = "http://127.0.0.1:9999/"
	d.checkURL()
	if c := last(d); c.Status != OK {
		t.Errorf("plain http to loopback: %+v", c)
	}
}

// A session at aal1 for a user with a verified factor is a problem whose fix
// names the factor.
func TestAAL1WithVerifiedFactor(t *testing.T) {
	d := newDoctor(t, cmdutiltest.Now, cmdutil.Target{Profile: "default"})
	d.session = cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "r")
	c := Check{Status: OK}
	d.checkAAL(&c, &auth.User{Factors: []auth.Factor{{ID: "f-1", FactorType: "totp", Status: "unverified"}}})
	if c.Status != OK {
		t.Errorf("unverified factor only: %+v", c)
	}
	d.checkAAL(&c, &auth.User{Factors: []auth.Factor{{ID: "f-1", FactorType: "totp", Status: "verified"}}})
	if c.Status != Problem || c.Fix != "authctl mfa challenge-and-verify f-1 --code CODE" {
		t.Errorf("verified factor at aal1: %+v", c)
	}
}

// The server's MFA-free settings: a method it has off is a problem with the
// server-side setting to change; an unknown method is named.
func TestMethodCheck(t *testing.T) {
	s := &auth.Settings{External: map[string]bool{"email": true, "github": false, "anonymous_users": false}}
	for method, want := range map[string]string{"email": OK, "github": Problem, "anonymous": Problem, "sso": Problem, "myspace": Problem} {
		c := methodCheck(s, method)
		if c.Status != want || (want == Problem && c.Fix == "") {
			t.Errorf("method %s: %+v", method, c)
		}
	}
	if c := methodCheck(s, "github"); !strings.Contains(c.Fix, "GOTRUE_EXTERNAL_GITHUB_ENABLED=true") {
		t.Errorf("github fix: %+v", c)
	}
}

// A keyring that could not be used is a problem: sessions went to a file.
func TestStorageFallback(t *testing.T) {
	d := newDoctor(t, cmdutiltest.Now, cmdutil.Target{Profile: "default", StorageMode: "auto"})
	d.f.Storage = func() (auth.Storage, cmdutil.StorageInfo, error) {
		return auth.NewMemoryStorage(), cmdutil.StorageInfo{Backend: "keyring"}, nil
	}
	d.checkStorage(context.Background())
	if c := last(d); c.Status != OK || c.Summary != "keyring (the default, auto: the OS keyring answered)" {
		t.Errorf("keyring in use: %+v", c)
	}
	d.f.Storage = func() (auth.Storage, cmdutil.StorageInfo, error) {
		return auth.NewMemoryStorage(), cmdutil.StorageInfo{Backend: "memory", FallbackReason: "no D-Bus session bus"}, nil
	}
	d.checkStorage(context.Background())
	if c := last(d); c.Status != Problem || !strings.Contains(c.Summary, "no D-Bus session bus") || c.Fix != "unlock or install a keyring (gnome-keyring, KWallet), or accept the file: authctl config set storage file" {
		t.Errorf("keyring fallback: %+v", c)
	}
}
