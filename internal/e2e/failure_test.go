package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Failure injection against the built binary: a proxy on 127.0.0.1 forwards
// to the server under test, except that queued faults answer the next POST
// /token of a grant type instead. Every case checks the exit code, that the
// command ends in bounded time, and that the session storage holds the old
// session byte for byte or a complete new one.

type faultProxy struct {
	URL string

	mu     sync.Mutex
	faults map[string][]http.HandlerFunc // by grant type; the last one repeats when sticky
	sticky map[string]bool
	seen   map[string]int
	hit    chan string // grant type of each faulted request, for SIGINT timing
}

func newFaultProxy(t *testing.T) *faultProxy {
	t.Helper()
	up, err := url.Parse(strings.TrimSuffix(target.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{faults: map[string][]http.HandlerFunc{}, sticky: map[string]bool{},
		seen: map[string]int{}, hit: make(chan string, 64)}
	rp := httputil.NewSingleHostReverseProxy(up)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") {
			grant := r.URL.Query().Get("grant_type")
			p.mu.Lock()
			p.seen[grant]++
			var h http.HandlerFunc
			if q := p.faults[grant]; len(q) > 0 {
				h = q[0]
				if len(q) > 1 || !p.sticky[grant] {
					p.faults[grant] = q[1:]
				}
			}
			p.mu.Unlock()
			if h != nil {
				select {
				case p.hit <- grant:
				default:
				}
				h(w, r)
				return
			}
		}
		r.Host = up.Host
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL + strings.TrimPrefix(target.URL, up.Scheme+"://"+up.Host)
	return p
}

// inject queues faults for the next requests of grant; sticky repeats the
// last one for every later request.
func (p *faultProxy) inject(grant string, sticky bool, hs ...http.HandlerFunc) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults[grant] = append(p.faults[grant], hs...)
	p.sticky[grant] = sticky
	p.seen[grant] = 0
}

func (p *faultProxy) count(grant string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[grant]
}

func answer(code int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

// stallForever answers nothing until the client goes away: only the
// client's own timeout, or its end, ends the request.
func stallForever(w http.ResponseWriter, r *http.Request) {
	// The server notices a closed connection only once the body is read.
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

func resetConn(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST, not FIN
	}
	_ = conn.Close()
}

func truncatedBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "4096")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"access_token":"eyJ`))
}

func endlessBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"access_token":"`))
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for i := 0; i < 4096; i++ { // 256 MiB at most
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// storageSnapshot is every file under the environment's session storage.
func storageSnapshot(t *testing.T, e *env) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join(e.vars["AUTHCTL_CONFIG_DIR"], "sessions")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(path, root)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameStorage(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// signedIn is an environment whose session was obtained through p.
func signedIn(t *testing.T, p *faultProxy) (*env, sessionJSON) {
	t.Helper()
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL
	s := signUp(t, e, uniqueEmail(t))
	return e, s
}

func TestFailureInjectionRefresh(t *testing.T) {
	cases := []struct {
		name   string
		sticky bool
		faults []http.HandlerFunc
		exit   int
		calls  int // refresh requests that reached the proxy; 0 = do not check
	}{
		{"502 503 504 then success", false, []http.HandlerFunc{answer(502, "text/html", "<h1>bad gateway</h1>"), answer(503, "text/plain", ""), answer(504, "application/json", `{"message":"gateway timeout"}`)}, 0, 4},
		{"truncated then reset then success", false, []http.HandlerFunc{truncatedBody, resetConn}, 0, 3},
		{"500 is not retried", false, []http.HandlerFunc{answer(500, "application/json", `{"code":"unexpected_failure","message":"boom"}`)}, 1, 1},
		{"500 saying session_not_found signs nobody out", false, []http.HandlerFunc{answer(500, "application/json", `{"code":"session_not_found","message":"x"}`)}, 1, 1},
		{"non-JSON 200", false, []http.HandlerFunc{answer(200, "text/html", "<html>captive portal</html>")}, 1, 1},
		{"endless body", false, []http.HandlerFunc{endlessBody}, 1, 1},
		// Retried with backoff (200 ms, 400 ms, … §11) until the next wait
		// would pass 30 s: about 25 s, then exit 5.
		{"503 forever", true, []http.HandlerFunc{answer(503, "text/plain", "down")}, 5, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newFaultProxy(t)
			e, old := signedIn(t, p)
			before := storageSnapshot(t, e)
			if len(before) == 0 {
				t.Fatal("no session file after signup")
			}
			p.inject("refresh_token", tc.sticky, tc.faults...)
			r := e.run("", "session", "refresh")
			if r.Code != tc.exit {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.Code, tc.exit, r.Stderr)
			}
			if tc.calls > 0 && p.count("refresh_token") != tc.calls {
				t.Fatalf("%d refresh requests, want %d", p.count("refresh_token"), tc.calls)
			}
			after := storageSnapshot(t, e)
			var now sessionJSON
			e.jsonOut(&now, "", "session")
			if tc.exit == 0 {
				if sameStorage(before, after) || now.RefreshToken == old.RefreshToken || now.AccessToken == "" {
					t.Fatalf("the refreshed session was not stored whole")
				}
				return
			}
			if !sameStorage(before, after) || now.RefreshToken != old.RefreshToken {
				t.Fatalf("storage changed on a failed refresh")
			}
			if strings.Contains(r.Stderr, old.RefreshToken) || strings.Contains(r.Stderr, old.AccessToken) {
				t.Fatalf("stderr carries a token: %s", r.Stderr)
			}
		})
	}
}

// A sign-in is never retried: one request, the right exit code, nothing
// stored, and --http-timeout ends a server that never answers.
func TestFailureInjectionLoginPassword(t *testing.T) {
	cases := []struct {
		name  string
		fault http.HandlerFunc
		args  []string
		exit  int
	}{
		{"503", answer(503, "text/plain", "maintenance"), nil, 5},
		{"502", answer(502, "text/html", "<h1>502</h1>"), nil, 5},
		{"500", answer(500, "application/json", `{"message":"boom"}`), nil, 1},
		{"connection reset", resetConn, nil, 5},
		{"truncated body", truncatedBody, nil, 5},
		{"non-JSON 200", answer(200, "text/html", "<html></html>"), nil, 1},
		{"endless body", endlessBody, nil, 1},
		{"never answers", stallForever, []string{"--http-timeout", "1s"}, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newFaultProxy(t)
			e := newEnv(t)
			e.vars["SUPABASE_URL"] = p.URL
			p.inject("password", false, tc.fault)
			args := append([]string{"login", "password", "--email", uniqueEmail(t), "--password-stdin"}, tc.args...)
			r := e.run(password+"\n", args...)
			if r.Code != tc.exit {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.Code, tc.exit, r.Stderr)
			}
			if tc.name == "never answers" && !strings.Contains(r.Stderr, "Timeout exceeded") {
				t.Fatalf("the request did not end by the client's timeout:\n%s", r.Stderr)
			}
			if n := p.count("password"); n != 1 {
				t.Fatalf("%d sign-in requests, want 1 (no retry)", n)
			}
			if s := storageSnapshot(t, e); len(s) != 0 {
				t.Fatalf("a failed sign-in stored %v", s)
			}
			if strings.Contains(r.Stderr, password) {
				t.Fatalf("stderr carries the password: %s", r.Stderr)
			}
		})
	}
}

func TestHTTPTimeoutMustBePositive(t *testing.T) {
	e := newEnv(t)
	e.mustRun(2, "", "--http-timeout", "0s", "session")
}

// startAuthctl starts authctl in e without waiting for it.
func startAuthctl(t *testing.T, e *env, stdin string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	ctx, cancel := context.WithDeadline(context.Background(), waitDeadline(t))
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// interruptMidRequest sends SIGINT once the proxy holds the command's
// request, and wants exit 130. The command runs with an --http-timeout
// longer than any test (interruptArgs), so only the signal can end the
// request: a command that ignored it would hang to the test's deadline.
func interruptMidRequest(t *testing.T, p *faultProxy, cmd *exec.Cmd, stderr *bytes.Buffer) {
	t.Helper()
	<-p.hit // the proxy holds the request: authctl is waiting on it
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("after SIGINT: %v, want exit 130\nstderr: %s", err, stderr.String())
	}
}

// interruptArgs keep a stalled request waiting longer than any test runs.
var interruptArgs = []string{"--http-timeout", "24h"}

func TestInterruptMidRefreshKeepsTheSession(t *testing.T) {
	t.Parallel()
	p := newFaultProxy(t)
	e, old := signedIn(t, p)
	before := storageSnapshot(t, e)
	p.inject("refresh_token", true, stallForever)
	cmd, stderr := startAuthctl(t, e, "", append(interruptArgs, "session", "refresh")...)
	interruptMidRequest(t, p, cmd, stderr)
	if !sameStorage(before, storageSnapshot(t, e)) {
		t.Fatal("storage changed after an interrupted refresh")
	}
	p.inject("refresh_token", false) // the server is back
	var now sessionJSON
	e.jsonOut(&now, "", "session")
	if now.RefreshToken != old.RefreshToken {
		t.Fatal("the session is not the old one")
	}
}

func TestInterruptMidLoginStoresNothing(t *testing.T) {
	t.Parallel()
	p := newFaultProxy(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL
	p.inject("password", true, stallForever)
	cmd, stderr := startAuthctl(t, e, password+"\n", append(interruptArgs, "login", "password", "--email", uniqueEmail(t), "--password-stdin")...)
	interruptMidRequest(t, p, cmd, stderr)
	if s := storageSnapshot(t, e); len(s) != 0 {
		t.Fatalf("an interrupted sign-in stored %v", s)
	}
}
