package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

const anonKey = "anon-key-1"

// setup starts handler behind a harness whose project URL is the test server
// and stores a session valid for an hour.
func setup(t *testing.T, handler http.HandlerFunc, signedIn bool) *cmdutiltest.Harness {
	t.Helper()
	h := cmdutiltest.New(t, handler)
	h.F.Target = func() (*cmdutil.Target, error) {
		return &cmdutil.Target{ProjectURL: h.Client.URL(), AuthURL: h.Client.URL(), AnonKey: anonKey}, nil
	}
	if signedIn {
		h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
	}
	return h
}

// run executes `authctl api ARGS` and returns the exit code.
func run(t *testing.T, h *cmdutiltest.Harness, args ...string) int {
	t.Helper()
	cmd := NewCmdAPI(h.F, nil)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	return cmdutil.ExitCode(cmd.ExecuteContext(context.Background()))
}

// refreshTo answers a refresh_token grant with a session whose token is tok.
func refreshTo(t *testing.T, w http.ResponseWriter, tok string) {
	s := cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-2")
	s.AccessToken = tok
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s)
}

func TestAPISendsSessionBearerAndAPIKey(t *testing.T) {
	var h *cmdutiltest.Harness
	h = setup(t, func(w http.ResponseWriter, r *http.Request) {
		want := "Bearer " + h.Stored(t).AccessToken
		if got := r.Header.Get("Authorization"); got != want {
			t.Errorf("Authorization = %q, want the session's bearer", got)
		}
		if got := r.Header.Get("apikey"); got != anonKey {
			t.Errorf("apikey = %q, want %q", got, anonKey)
		}
		if r.Method != http.MethodGet || r.URL.Path != "/rest/v1/todos" || r.URL.RawQuery != "select=*" {
			t.Errorf("request %s %s", r.Method, r.URL)
		}
		_, _ = io.WriteString(w, `[{"id":1}]`)
	}, true)
	if code := run(t, h, "/rest/v1/todos?select=*"); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, h.Stderr)
	}
	if h.Stdout.String() != `[{"id":1}]` {
		t.Errorf("stdout = %q, want the body as it came", h.Stdout)
	}
}

func TestAPINeverOverridesCallerHeaders(t *testing.T) {
	h := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Values("Authorization"); len(got) != 1 || got[0] != "Bearer mine" {
			t.Errorf("Authorization = %q, want only the caller's", got)
		}
		if got := r.Header.Values("Apikey"); len(got) != 1 || got[0] != "their-key" {
			t.Errorf("apikey = %q, want only the caller's", got)
		}
		if got := r.Header.Get("Content-Type"); got != "text/plain" {
			t.Errorf("Content-Type = %q, want the caller's", got)
		}
		w.WriteHeader(http.StatusUnauthorized)
	}, true)
	code := run(t, h, "/rest/v1/x", "-H", "authorization: Bearer mine", "-H", "APIKEY: their-key",
		"-H", "content-type: text/plain", "-d", "hi")
	if code != cmdutil.ExitError {
		t.Errorf("exit %d, want 1 for the 401", code)
	}
	// The caller's token is not ours to refresh: one request, no refresh.
	if n := h.Requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1 (no refresh for a caller's Authorization)", n)
	}
}

func TestAPISignedOutExits3UnlessTheCallerBringsAToken(t *testing.T) {
	h := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer "+anonKey {
			t.Errorf("Authorization = %q, want the caller's anon bearer", got)
		}
	}, false)
	if code := run(t, h, "/rest/v1/private"); code != cmdutil.ExitNotSignedIn {
		t.Fatalf("exit %d with nobody signed in, want 3", code)
	}
	if n := h.Requests.Load(); n != 0 {
		t.Fatalf("%d requests sent without a session, want 0", n)
	}
	if code := run(t, h, "/rest/v1/public", "-H", "Authorization: Bearer "+anonKey); code != 0 {
		t.Fatalf("exit %d for an explicit anon call: %s", code, h.Stderr)
	}
}

func TestAPIResolvesPathAgainstProject(t *testing.T) {
	var got atomic.Value
	h := setup(t, func(w http.ResponseWriter, r *http.Request) { got.Store(r.URL.RequestURI()) }, true)
	base := h.Client.URL()
	for _, tc := range []struct{ path, want string }{
		{"/auth/v1/user", "/auth/v1/user"},
		{"rest/v1/todos?id=eq.1", "/rest/v1/todos?id=eq.1"},
		{base + "/rest/v1/full", "/rest/v1/full"},
	} {
		if code := run(t, h, tc.path); code != 0 {
			t.Fatalf("%s: exit %d", tc.path, code)
		}
		if got.Load() != tc.want {
			t.Errorf("%s reached %v, want %s", tc.path, got.Load(), tc.want)
		}
	}
	before := h.Requests.Load()
	for _, other := range []string{"http://example.com/rest/v1/x", strings.Replace(base, "http://", "https://", 1) + "/x"} {
		if code := run(t, h, other); code != cmdutil.ExitUsage {
			t.Errorf("%s: exit %d, want 2 (another host)", other, code)
		}
	}
	if h.Requests.Load() != before {
		t.Error("a request was sent to another host")
	}
}

// replayServer answers the API path with 401 while the bearer is not fresh
// (always, when giveUp), refreshes on /token, and records the bodies.
func replayServer(t *testing.T, fresh string, giveUp bool, bodies *[]string, refreshes *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			refreshes.Add(1)
			refreshTo(t, w, fresh)
			return
		}
		b, _ := io.ReadAll(r.Body)
		*bodies = append(*bodies, string(b))
		if giveUp || r.Header.Get("Authorization") != "Bearer "+fresh {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message":"JWT expired"}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}
}

func TestAPI401RefreshesOnceAndReplaysTheBody(t *testing.T) {
	fresh := cmdutiltest.JWT(map[string]any{"sub": "u-1", "exp": cmdutiltest.Now.Add(2 * time.Hour).Unix()})
	var bodies []string
	var refreshes atomic.Int32
	h := setup(t, replayServer(t, fresh, false, &bodies, &refreshes), true)
	file := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(file, []byte(`{"title":"milk"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := run(t, h, "/rest/v1/todos", "-d", "@"+file); code != 0 {
		t.Fatalf("exit %d: %s", code, h.Stderr)
	}
	if refreshes.Load() != 1 || len(bodies) != 2 || bodies[0] != bodies[1] || bodies[1] != `{"title":"milk"}` {
		t.Errorf("refreshes %d, bodies %q: want one refresh and the same body twice", refreshes.Load(), bodies)
	}
	if st := h.Stored(t); st.AccessToken != fresh {
		t.Error("the refreshed session was not stored")
	}
}

func TestAPISecond401GivesUp(t *testing.T) {
	var bodies []string
	var refreshes atomic.Int32
	h := setup(t, replayServer(t, "fresh", true, &bodies, &refreshes), true)
	h.Stdin.WriteString("payload")
	if code := run(t, h, "-X", "put", "/rest/v1/todos", "--input", "-"); code != cmdutil.ExitError {
		t.Fatalf("exit %d, want 1", code)
	}
	if refreshes.Load() != 1 || len(bodies) != 2 || bodies[1] != "payload" {
		t.Errorf("refreshes %d, bodies %q: want one refresh, one retry with the body", refreshes.Load(), bodies)
	}
	if !strings.Contains(h.Stdout.String(), "JWT expired") {
		t.Errorf("stdout %q: the error body must still be printed", h.Stdout)
	}
}

// firstWrite signals when output starts arriving.
type firstWrite struct {
	bytes.Buffer
	started chan struct{}
	once    atomic.Bool
}

func (f *firstWrite) Write(p []byte) (int, error) {
	if !f.once.Swap(true) {
		close(f.started)
	}
	return f.Buffer.Write(p)
}

func TestAPIStreamsTheBody(t *testing.T) {
	out := &firstWrite{started: make(chan struct{})}
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	h := setup(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(chunk)
		w.(http.Flusher).Flush()
		// The rest is sent only once the first part reached stdout: a
		// command that buffered the whole body would never get here.
		select {
		case <-out.started:
		case <-time.After(5 * time.Second):
			t.Error("the first chunk did not reach stdout before the body ended")
			return
		}
		for range 32 {
			_, _ = w.Write(chunk)
		}
	}, true)
	h.F.IOStreams.Out = out
	if code := run(t, h, "/big"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if out.Len() != 33*len(chunk) {
		t.Errorf("wrote %d bytes, want %d", out.Len(), 33*len(chunk))
	}
}

func TestAPIIncludeAndNon2xx(t *testing.T) {
	h := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "r-1")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "nope")
	}, true)
	if code := run(t, h, "-i", "/rest/v1/missing"); code != cmdutil.ExitError {
		t.Fatalf("exit %d, want 1", code)
	}
	out := h.Stdout.String()
	if !strings.HasPrefix(out, "HTTP/1.1 404 Not Found\n") || !strings.Contains(out, "X-Request-Id: r-1\n") ||
		!strings.HasSuffix(out, "\n\nnope") {
		t.Errorf("stdout = %q, want status line, headers, blank line, body", out)
	}
}

func TestAPIUnreachableExits5(t *testing.T) {
	h := setup(t, nil, true)
	h.F.Target = func() (*cmdutil.Target, error) {
		return &cmdutil.Target{ProjectURL: "http://127.0.0.1:1", AnonKey: anonKey}, nil
	}
	if code := run(t, h, "/rest/v1/x"); code != cmdutil.ExitUnavailable {
		t.Errorf("exit %d, want 5", code)
	}
}

// --http-timeout bounds the wait for a server that accepts the request and
// never answers: exit 5, not a hang.
func TestAPIHTTPTimeoutBoundsTheWaitForHeaders(t *testing.T) {
	release := make(chan struct{})
	h := setup(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, true)
	defer close(release)
	h.F.Flags.HTTPTimeout = 200 * time.Millisecond
	// The run ends (a hang would meet the go test deadline) with exit 5; that
	// it is --http-timeout which ended it, and not some default, is what the
	// transport is configured with: no stopwatch needed.
	if code := run(t, h, "/rest/v1/slow"); code != cmdutil.ExitUnavailable {
		t.Errorf("exit %d, want 5", code)
	}
	tr := (&Options{F: h.F}).httpClient().Transport.(*http.Transport)
	if tr.ResponseHeaderTimeout != h.F.Flags.HTTPTimeout {
		t.Errorf("the wait for response headers is %s, want --http-timeout's %s", tr.ResponseHeaderTimeout, h.F.Flags.HTTPTimeout)
	}
}

func TestAPIJSONPrettyPrintsAndDebugRedacts(t *testing.T) {
	h := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":12345678901234567890,"email":"a@b.c"}`)
	}, true)
	h.F.Flags.JSON, h.F.Flags.Debug = true, true
	if code := run(t, h, "/auth/v1/user"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.Stderr)
	}
	if out := h.Stdout.String(); !strings.Contains(out, "\n  \"id\": 12345678901234567890\n") {
		t.Errorf("stdout = %q, want pretty JSON with exact numbers", out)
	}
	tok := h.Stored(t).AccessToken
	errOut := h.Stderr.String()
	if strings.Contains(errOut, tok) || strings.Contains(errOut, anonKey) || !strings.Contains(errOut, "Bearer [REDACTED]") {
		t.Errorf("--debug trace leaks or lacks the redacted Authorization:\n%s", errOut)
	}
}

func TestAPIBodyOverTheReplayCapIsSentOnce(t *testing.T) {
	var apiCalls, refreshes atomic.Int32
	var received atomic.Int64
	h := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			refreshes.Add(1)
			return
		}
		apiCalls.Add(1)
		n, _ := io.Copy(io.Discard, r.Body)
		received.Store(n)
		w.WriteHeader(http.StatusUnauthorized)
	}, true)
	file := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(file, bytes.Repeat([]byte("y"), replayCap+10), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := run(t, h, "/rest/v1/upload", "--input", file); code != cmdutil.ExitError {
		t.Fatalf("exit %d, want 1", code)
	}
	if apiCalls.Load() != 1 || refreshes.Load() != 0 || received.Load() != replayCap+10 {
		t.Errorf("%d calls, %d refreshes, %d bytes: want the whole body sent once, no refresh",
			apiCalls.Load(), refreshes.Load(), received.Load())
	}
	if !strings.Contains(h.Stderr.String(), "not retrying") {
		t.Errorf("stderr %q: want a word on why the 401 was not retried", h.Stderr)
	}
}
