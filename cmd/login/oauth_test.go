package login

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// browserTest wires a command harness to a fakeAuth server with a PKCE
// client on the harness's storage, and records what the stand-in browser
// requested.
type browserTest struct {
	*cmdutiltest.Harness
	fake    *fakeAuth
	mu      sync.Mutex
	visited []string // every URL the browser requested, redirects included
	pages   chan string
}

func newBrowserTest(t *testing.T) *browserTest {
	fake := newFakeAuth(t)
	h := cmdutiltest.New(t, fake.ServeHTTP)
	h.F.Storage = func() (auth.Storage, cmdutil.StorageInfo, error) {
		return h.Storage, cmdutil.StorageInfo{Backend: "memory"}, nil
	}
	return &browserTest{Harness: h, fake: fake, pages: make(chan string, 1)}
}

func (bt *browserTest) verifierKey() string { return bt.PKCE.StorageKey() + "-code-verifier" }

func (bt *browserTest) storedVerifier(t *testing.T) (string, bool) {
	v, ok, err := bt.Storage.GetItem(context.Background(), bt.verifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return v, ok
}

// recordingTransport notes every URL the stand-in browser requests.
type recordingTransport struct{ bt *browserTest }

func (rt recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.bt.mu.Lock()
	rt.bt.visited = append(rt.bt.visited, r.URL.String())
	rt.bt.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// opener is the injected browser: it follows every redirect, as a browser
// would, and hands the final page to bt.pages. It returns at once, like a
// real browser launcher.
func (bt *browserTest) opener(t *testing.T) func(string) error {
	return func(u string) error {
		if _, ok := bt.storedVerifier(t); !ok {
			t.Error("no verifier was stored before the browser opened")
		}
		start, err := entryPageTarget(u)
		if err != nil {
			return err
		}
		go func() {
			client := &http.Client{Transport: recordingTransport{bt}}
			resp, err := client.Get(start)
			if err != nil {
				bt.pages <- "error: " + err.Error()
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			bt.pages <- string(b)
		}()
		return nil
	}
}

// entryPageTarget reads the private page the browser is handed (a file://
// URL) and returns where its meta refresh leads: the one-time start URL.
func entryPageTarget(entry string) (string, error) {
	u, err := url.Parse(entry)
	if err != nil || u.Scheme != "file" {
		return "", fmt.Errorf("the browser was given %q, not a file:// page", entry)
	}
	b, err := os.ReadFile(filepath.FromSlash(u.Path))
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`content="0;url=([^"]*)"`).FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("the page has no meta refresh: %s", b)
	}
	return html.UnescapeString(string(m[1])), nil
}

func (bt *browserTest) oauthOptions(t *testing.T, provider string) *OAuthOptions {
	return &OAuthOptions{F: bt.F, Client: bt.F.PKCEClient, Provider: provider,
		BrowserFlow: shared.BrowserFlow{Timeout: 10 * time.Second, OpenBrowser: bt.opener(t)}}
}

func TestOAuthWholeChain(t *testing.T) {
	bt := newBrowserTest(t)
	bt.F.Flags.JSON = true
	opts := bt.oauthOptions(t, "github")
	opts.Scopes = "read:user"
	opts.Query = []string{"prompt=consent"}
	if err := runOAuth(context.Background(), opts); err != nil {
		t.Fatalf("runOAuth: %v\nstderr: %s", err, bt.Stderr)
	}
	page := <-bt.pages
	if !strings.Contains(page, "You are signed in") {
		t.Fatalf("final page: %s", page)
	}

	// The session is stored and printed; the verifier is gone.
	if s := bt.Stored(t); s == nil || s.User.Email != "user@example.com" || s.RefreshToken != "refresh-1" {
		t.Fatalf("stored session: %+v", s)
	}
	if _, ok := bt.storedVerifier(t); ok {
		t.Fatal("the code verifier is still stored after the exchange")
	}
	var out shared.AuthResult
	if err := json.Unmarshal(bt.Stdout.Bytes(), &out); err != nil || out.Session == nil || out.User.Email != "user@example.com" {
		t.Fatalf("stdout: %v\n%s", err, bt.Stdout)
	}

	// The authorize request: loopback redirect, PKCE, scopes and extra query.
	az := bt.fake.find("GET /authorize")
	if az == nil {
		t.Fatal("no /authorize request")
	}
	u, _ := url.Parse(az.URL)
	q := u.Query()
	if rt := q.Get("redirect_to"); !strings.HasPrefix(rt, "http://127.0.0.1:") || !strings.Contains(rt, "/callback/") {
		t.Fatalf("redirect_to %q", rt)
	}
	if q.Get("provider") != "github" || q.Get("scopes") != "read:user" || q.Get("prompt") != "consent" || q.Get("code_challenge_method") != "s256" {
		t.Fatalf("authorize query: %v", q)
	}

	// The verifier travelled once: in the body of the token request.
	v := bt.fake.verifier
	if len(v) < 43 {
		t.Fatalf("token request verifier %q", v)
	}
	for _, r := range bt.fake.recorded() {
		inBody := strings.Contains(r.Body, v)
		isToken := r.Method == "POST" && strings.HasPrefix(r.URL, "/token?grant_type=pkce")
		if strings.Contains(r.URL, v) || headerHas(r.Header, v) || (inBody && !isToken) || (isToken && !inBody) {
			t.Fatalf("verifier in the wrong place: %s %s", r.Method, r.URL)
		}
	}
	bt.mu.Lock()
	defer bt.mu.Unlock()
	for _, u := range bt.visited {
		if strings.Contains(u, v) {
			t.Fatalf("the browser saw the verifier: %s", u)
		}
	}
	if !strings.Contains(bt.visited[len(bt.visited)-1], "127.0.0.1") {
		t.Fatalf("the browser did not end on the loopback receiver: %v", bt.visited)
	}
	if strings.Contains(bt.Stderr.String(), v) || strings.Contains(bt.Stdout.String(), v) {
		t.Fatal("the verifier was printed")
	}
}

func headerHas(h http.Header, s string) bool {
	for _, vs := range h {
		for _, v := range vs {
			if strings.Contains(v, s) {
				return true
			}
		}
	}
	return false
}

func TestOAuthProviderError(t *testing.T) {
	bt := newBrowserTest(t)
	bt.fake.deny = "The user denied access"
	err := runOAuth(context.Background(), bt.oauthOptions(t, "google"))
	var pe *auth.PKCEGrantCodeExchangeError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "The user denied access") || auth.ErrorCode(err) != "provider_denied" {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if page := <-bt.pages; !strings.Contains(page, "The sign-in failed") {
		t.Fatalf("page: %s", page)
	}
	if bt.Stored(t) != nil {
		t.Fatal("a session was stored")
	}
	if _, ok := bt.storedVerifier(t); ok {
		t.Fatal("the verifier of the failed flow is still stored")
	}
	if bt.fake.find("POST /token") != nil {
		t.Fatal("a code exchange was attempted after an error callback")
	}
}

func TestOAuthTimeout(t *testing.T) {
	bt := newBrowserTest(t)
	opts := bt.oauthOptions(t, "github")
	opts.OpenBrowser = func(string) error { return nil } // nobody completes the sign-in
	opts.Timeout = 200 * time.Millisecond
	// Nobody ever completes it: only the timeout can end the wait, and its
	// message says so.
	err := runOAuth(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "no sign-in result after 200ms") {
		t.Fatalf("err = %v", err)
	}
	if _, ok := bt.storedVerifier(t); ok {
		t.Fatal("the verifier of the abandoned flow is still stored")
	}
}

func TestOAuthInterrupted(t *testing.T) {
	bt := newBrowserTest(t)
	opts := bt.oauthOptions(t, "github")
	ctx, cancel := context.WithCancel(context.Background())
	opts.OpenBrowser = func(string) error { time.AfterFunc(50*time.Millisecond, cancel); return nil }
	err := runOAuth(ctx, opts)
	if cmdutil.ExitCode(err) != cmdutil.ExitInterrupted {
		t.Fatalf("err = %v, exit %d", err, cmdutil.ExitCode(err))
	}
}

// syncBuffer is a stderr the test can read while the command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestOAuthNoBrowserPaste: the browser is on another machine. The command
// prints the address; the person opens it there, the redirect to 127.0.0.1
// fails on that machine, and they paste the address it ended on.
func TestOAuthNoBrowserPaste(t *testing.T) {
	for _, pasteCode := range []bool{false, true} {
		t.Run(map[bool]string{false: "url", true: "code"}[pasteCode], func(t *testing.T) {
			bt := newBrowserTest(t)
			errOut := &syncBuffer{}
			bt.F.IOStreams.ErrOut = errOut
			pr, pw := io.Pipe()
			defer pw.Close()
			bt.F.IOStreams.In = pr
			opts := bt.oauthOptions(t, "github")
			opts.OpenBrowser = func(string) error { t.Error("a browser was opened with --no-browser"); return nil }
			opts.NoBrowser = true

			go func() {
				var printed string
				for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
					if i := strings.Index(errOut.String(), "http://"); i >= 0 && strings.Contains(errOut.String(), "Waiting") {
						printed = strings.Fields(errOut.String()[i:])[0]
						break
					}
				}
				// The remote browser: follow redirects until the loopback one.
				var final *url.URL
				client := &http.Client{CheckRedirect: func(r *http.Request, _ []*http.Request) error {
					if r.URL.Hostname() == "127.0.0.1" && strings.HasPrefix(r.URL.Path, "/callback/") {
						final = r.URL
						return http.ErrUseLastResponse
					}
					return nil
				}}
				resp, err := client.Get(printed)
				if err != nil || final == nil {
					t.Errorf("remote browser: %v, final %v", err, final)
					pw.Close()
					return
				}
				resp.Body.Close()
				line := final.String()
				if pasteCode {
					line = final.Query().Get("code")
				}
				io.WriteString(pw, line+"\n")
			}()
			if err := runOAuth(context.Background(), opts); err != nil {
				t.Fatalf("runOAuth: %v\nstderr: %s", err, errOut)
			}
			if bt.Stored(t) == nil {
				t.Fatal("no session stored")
			}
			if !strings.Contains(errOut.String(), "paste") {
				t.Fatalf("stderr: %s", errOut)
			}
			if strings.Contains(bt.Stdout.String(), "http://") {
				t.Fatalf("the URL went to stdout: %s", bt.Stdout)
			}
		})
	}
}

func TestOAuthUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		provider string
		query    []string
		want     string
	}{
		{"myspace", nil, "unknown provider"},
		{"custom:", nil, "invalid custom provider"},
		{"github", []string{"redirect_to=http://evil.example"}, "set by authctl"},
		{"github", []string{"novalue"}, "want key=value"},
		{"github", nil, "invalid --port"},
	} {
		bt := newBrowserTest(t)
		opts := bt.oauthOptions(t, tc.provider)
		opts.Query = tc.query
		if tc.want == "invalid --port" {
			opts.Port = 70000
		}
		err := runOAuth(context.Background(), opts)
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: err %v, want usage error with %q", tc.provider, tc.query, err, tc.want)
		}
		if n := bt.Requests.Load(); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	}
}

func TestOAuthCustomProvider(t *testing.T) {
	bt := newBrowserTest(t)
	if err := runOAuth(context.Background(), bt.oauthOptions(t, "custom:acme")); err != nil {
		t.Fatal(err)
	}
	<-bt.pages
	if az := bt.fake.find("GET /authorize"); az == nil || !strings.Contains(az.URL, "provider=custom%3Aacme") {
		t.Fatalf("authorize: %+v", az)
	}
}

func TestSSOWholeChain(t *testing.T) {
	bt := newBrowserTest(t)
	opts := &SSOOptions{F: bt.F, Client: bt.F.PKCEClient, Domain: "example.org",
		BrowserFlow: shared.BrowserFlow{Timeout: 10 * time.Second, OpenBrowser: bt.opener(t)}}
	if err := runSSO(context.Background(), opts); err != nil {
		t.Fatalf("runSSO: %v\nstderr: %s", err, bt.Stderr)
	}
	if page := <-bt.pages; !strings.Contains(page, "You are signed in") {
		t.Fatalf("page: %s", page)
	}
	if s := bt.Stored(t); s == nil {
		t.Fatal("no session stored")
	}
	if _, ok := bt.storedVerifier(t); ok {
		t.Fatal("verifier left behind")
	}
	sso := bt.fake.find("POST /sso")
	if sso == nil || !strings.Contains(sso.Body, `"domain":"example.org"`) || !strings.Contains(sso.Body, `"redirect_to":"http://127.0.0.1:`) {
		t.Fatalf("sso request: %+v", sso)
	}
	if !strings.Contains(bt.Stdout.String(), "user@example.com") {
		t.Fatalf("stdout: %s", bt.Stdout)
	}
}

func TestSSOUsageErrors(t *testing.T) {
	bt := newBrowserTest(t)
	for _, o := range []*SSOOptions{{}, {Domain: "a.example", ProviderID: "x"}} {
		o.F, o.Client, o.Timeout = bt.F, bt.F.PKCEClient, time.Second
		if err := runSSO(context.Background(), o); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%+v: err %v", o, err)
		}
	}
}

func TestNewCmdOAuthFlags(t *testing.T) {
	bt := newBrowserTest(t)
	var got *OAuthOptions
	cmd := NewCmdOAuth(bt.F, func(_ context.Context, o *OAuthOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"github", "--scopes", "a b", "--query", "k=v", "--query", "x=y", "--no-browser", "--port", "8123", "--timeout", "2m"})
	cmd.SetOut(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Provider != "github" || got.Scopes != "a b" || len(got.Query) != 2 || !got.NoBrowser || got.Port != 8123 || got.Timeout != 2*time.Minute {
		t.Fatalf("options: %+v", got)
	}
	cmd = NewCmdOAuth(bt.F, func(context.Context, *OAuthOptions) error { return nil })
	cmd.SetArgs([]string{})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Fatalf("no provider: %v", err)
	}
}

// A provider the server has off fails before any browser opens, with the
// server's words and a hint naming how to turn it on; one the settings list
// as on is not asked about again.
func TestOAuthDisabledProviderFailsAtOnce(t *testing.T) {
	bt := newBrowserTest(t)
	opts := bt.oauthOptions(t, "gitlab")
	opts.OpenBrowser = func(string) error {
		t.Error("the browser was opened for a disabled provider")
		return nil
	}
	err := runOAuth(context.Background(), opts)
	if cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.Contains(err.Error(), "provider is not enabled") {
		t.Fatalf("err %v (exit %d), want the server's refusal, exit 1", err, cmdutil.ExitCode(err))
	}
	var hinted *cmdutil.HintedError
	if !errors.As(err, &hinted) || !strings.Contains(hinted.Hint, "GOTRUE_EXTERNAL_GITLAB_ENABLED") ||
		!strings.Contains(hinted.Hint, "github, google") {
		t.Fatalf("hint: %+v", hinted)
	}
	if v, ok := bt.storedVerifier(t); ok {
		t.Fatalf("a verifier %q was stored for a sign-in that cannot start", v)
	}
}
