package loopback

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func start(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// get fetches u without following redirects and returns status and body.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// complete delivers a browser callback to u and finishes the flow with
// verdict, as the caller does once it has (or has not) stored the session:
// the page the browser got, and what Wait returned.
func complete(t *testing.T, s *Server, u string, verdict error) (int, string, *Result, error) {
	t.Helper()
	type page struct {
		code int
		body string
		err  error
	}
	got := make(chan page, 1)
	go func() {
		resp, err := http.Get(u)
		if err != nil {
			got <- page{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- page{code: resp.StatusCode, body: string(b)}
	}()
	res, err := waitFor(t, s, 5*time.Second)
	s.Finish(verdict)
	p := <-got
	if p.err != nil {
		t.Fatal(p.err)
	}
	return p.code, p.body, res, err
}

func waitFor(t *testing.T, s *Server, d time.Duration) (*Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return s.Wait(ctx)
}

func TestRedirectURLIsLoopbackIPWithRandomPath(t *testing.T) {
	a, b := start(t, Options{}), start(t, Options{})
	for _, s := range []*Server{a, b} {
		u, err := url.Parse(s.RedirectURL())
		if err != nil {
			t.Fatal(err)
		}
		if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() != strconv.Itoa(s.Addr().(*net.TCPAddr).Port) {
			t.Fatalf("redirect %s: want http://127.0.0.1:<bound port>/…", u)
		}
		nonce, ok := strings.CutPrefix(u.Path, "/callback/")
		if !ok {
			t.Fatalf("path %q", u.Path)
		}
		raw, err := base64.RawURLEncoding.DecodeString(nonce)
		if err != nil || len(raw) < 32 {
			t.Fatalf("nonce %q: %d bytes, err %v; want ≥ 32 random bytes", nonce, len(raw), err)
		}
	}
	if a.path == b.path {
		t.Fatal("two flows got the same callback path")
	}
}

func TestGivenPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if _, err := Start(Options{Port: port}); err == nil || !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Fatalf("busy port: err %v, want one naming port %d", err, port)
	}
	l.Close()
	s := start(t, Options{Port: port})
	if !strings.HasPrefix(s.RedirectURL(), "http://127.0.0.1:"+strconv.Itoa(port)+"/callback/") {
		t.Fatalf("redirect %s", s.RedirectURL())
	}
}

func TestWrongPathIs404AndTheFlowGoesOn(t *testing.T) {
	s := start(t, Options{})
	base := "http://" + s.Addr().String()
	for _, p := range []string{"/", "/favicon.ico", "/callback", "/callback/guess?code=stolen", s.path + "x?code=stolen"} {
		if code, _ := get(t, base+p); code != http.StatusNotFound {
			t.Fatalf("GET %s: %d, want 404", p, code)
		}
	}
	code, body, res, err := complete(t, s, s.RedirectURL()+"?code=the-code-1234", nil)
	if code != 200 || !strings.Contains(body, "You are signed in") {
		t.Fatalf("callback: %d %s", code, body)
	}
	if err != nil || res.Code != "the-code-1234" || res.Pasted {
		t.Fatalf("Wait: %+v, %v", res, err)
	}
	if !strings.HasPrefix(res.URL, s.RedirectURL()+"?") {
		t.Fatalf("result URL %q", res.URL)
	}
}

func TestSecondCallbackIsRefused(t *testing.T) {
	s := start(t, Options{})
	code, _, res, err := complete(t, s, s.RedirectURL()+"?code=first-code-1", nil)
	if code != 200 {
		t.Fatalf("first callback: %d", code)
	}
	if code, body := get(t, s.RedirectURL()+"?code=second-code-2"); code != http.StatusGone || !strings.Contains(body, "already used") {
		t.Fatalf("second callback: %d %s", code, body)
	}
	if err != nil || res.Code != "first-code-1" {
		t.Fatalf("Wait: %+v, %v", res, err)
	}
}

func TestErrorCallback(t *testing.T) {
	s := start(t, Options{})
	q := url.Values{"error": {"access_denied"}, "error_code": {"provider_denied"},
		"error_description": {"The user <b>denied</b> access"}}
	code, body := get(t, s.RedirectURL()+"?"+q.Encode())
	if code != 200 || !strings.Contains(body, "The sign-in failed") || !strings.Contains(body, "&lt;b&gt;denied&lt;/b&gt;") {
		t.Fatalf("error page: %d %s", code, body)
	}
	_, err := waitFor(t, s, 5*time.Second)
	var ce *CallbackError
	if !errors.As(err, &ce) || ce.Err != "access_denied" || ce.Code != "provider_denied" {
		t.Fatalf("Wait: %v, want *CallbackError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "The user <b>denied</b> access") || !strings.Contains(msg, "provider_denied") {
		t.Fatalf("message %q", msg)
	}
}

func TestFragmentIsForwarded(t *testing.T) {
	s := start(t, Options{})
	// A first visit without a query gets the page whose script forwards the
	// #fragment; the flow is not over.
	code, body := get(t, s.RedirectURL())
	if code != 200 || !strings.Contains(body, "<script>") || !strings.Contains(body, fragmentMarker) {
		t.Fatalf("forward page: %d %s", code, body)
	}
	// What the script requests: the fragment as the query, plus the marker.
	if code, _ := get(t, s.RedirectURL()+"?"+fragmentMarker+"=1"); code != http.StatusBadRequest {
		t.Fatalf("empty forwarded fragment: %d, want 400 and the flow going on", code)
	}
	get(t, s.RedirectURL()+"?error=server_error&error_description=Database+error&"+fragmentMarker+"=1")
	_, err := waitFor(t, s, 5*time.Second)
	var ce *CallbackError
	if !errors.As(err, &ce) || ce.Description != "Database error" || strings.Contains(ce.URL, fragmentMarker) {
		t.Fatalf("Wait: %v (%+v)", err, ce)
	}
}

func TestTimeoutIsBoundedAndClear(t *testing.T) {
	s := start(t, Options{})
	// Nothing ever calls back: only the timeout can end the wait.
	_, err := waitFor(t, s, 150*time.Millisecond)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Wait: %v, want ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("message %q", err)
	}
	// A callback after we gave up is refused, not silently accepted.
	if code, _ := get(t, s.RedirectURL()+"?code=late-code-1"); code != http.StatusGone {
		t.Fatalf("late callback: %d, want 410", code)
	}
}

func TestCancelIsContextCanceled(t *testing.T) {
	s := start(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := s.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait: %v, want context.Canceled", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(s.RedirectURL()); err == nil {
		t.Fatal("listener still accepts after Close")
	}
}

// TestBoundToLoopbackOnly dials the port on a non-loopback address of this
// machine: the listener must not answer there.
func TestBoundToLoopbackOnly(t *testing.T) {
	s := start(t, Options{})
	if ip := s.Addr().(*net.TCPAddr).IP; !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Fatalf("bound to %s", ip)
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skip("no interface addresses:", err)
	}
	port := strconv.Itoa(s.Addr().(*net.TCPAddr).Port)
	tried := 0
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() || ipn.IP.IsUnspecified() {
			continue
		}
		tried++
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), port), time.Second)
		if err == nil {
			c.Close()
			t.Fatalf("the receiver answered on %s", ipn.IP)
		}
	}
	if tried == 0 {
		t.Skip("this machine has no non-loopback address")
	}
}

func TestWrongHostHeaderIsRefused(t *testing.T) {
	s := start(t, Options{})
	req, _ := http.NewRequest("GET", s.RedirectURL()+"?code=rebound-code-1", nil)
	req.Host = "evil.example:" + strconv.Itoa(s.Addr().(*net.TCPAddr).Port)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, err := waitFor(t, s, 100*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("flow completed from a foreign Host: %v", err)
	}
}

// notes collects Notify messages.
type notes struct {
	mu   sync.Mutex
	msgs []string
}

func (n *notes) add(m string) { n.mu.Lock(); n.msgs = append(n.msgs, m); n.mu.Unlock() }
func (n *notes) all() string  { n.mu.Lock(); defer n.mu.Unlock(); return strings.Join(n.msgs, "\n") }

func TestPastedURLCompletes(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	var n notes
	s := start(t, Options{Paste: pr, Notify: n.add})
	go func() {
		io.WriteString(pw, "\n")
		io.WriteString(pw, "http://127.0.0.1:1/callback/old-flow?code=old-code-123\n") // another flow's URL
		io.WriteString(pw, "y\n")                                                      // a stray keystroke
		io.WriteString(pw, "  "+s.RedirectURL()+"?code=pasted-code-1  \n")
	}()
	res, err := waitFor(t, s, 5*time.Second)
	if err != nil || res.Code != "pasted-code-1" || !res.Pasted {
		t.Fatalf("Wait: %+v, %v", res, err)
	}
	if got := n.all(); !strings.Contains(got, "not this sign-in's callback") || !strings.Contains(got, "neither an address nor a code") {
		t.Fatalf("notes: %q", got)
	}
	if strings.Contains(n.all(), "old-code-123") {
		t.Fatal("a note quoted a code")
	}
	// The browser arriving later is refused.
	if code, _ := get(t, s.RedirectURL()+"?code=browser-code-1"); code != http.StatusGone {
		t.Fatalf("callback after paste: %d", code)
	}
}

func TestPastedCodeCompletes(t *testing.T) {
	s := start(t, Options{Paste: strings.NewReader("0b5e3f1c-6f7a-4d2e-9a51-3c0d2b8e7f10\n")})
	res, err := waitFor(t, s, 5*time.Second)
	if err != nil || res.Code != "0b5e3f1c-6f7a-4d2e-9a51-3c0d2b8e7f10" || !res.Pasted {
		t.Fatalf("Wait: %+v, %v", res, err)
	}
}

func TestPastedErrorInFragment(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	s := start(t, Options{Paste: pr})
	go io.WriteString(pw, s.RedirectURL()+"#error=access_denied&error_description=Denied+by+user\n")
	_, err := waitFor(t, s, 5*time.Second)
	var ce *CallbackError
	if !errors.As(err, &ce) || ce.Description != "Denied by user" {
		t.Fatalf("Wait: %v", err)
	}
}

// TestPasteRacesCallback: whichever arrives first wins, the other is refused.
func TestPasteRacesCallback(t *testing.T) {
	pr, pw := io.Pipe()
	s := start(t, Options{Paste: pr})
	code, _, res, err := complete(t, s, s.RedirectURL()+"?code=browser-code-1", nil)
	if code != 200 {
		t.Fatalf("callback: %d", code)
	}
	go func() { io.WriteString(pw, "pasted-code-after\n"); pw.Close() }()
	if err != nil || res.Code != "browser-code-1" {
		t.Fatalf("Wait: %+v, %v", res, err)
	}
}

// TestPageSaysSignedInOnlyOnceStored: the browser learns the outcome of the
// exchange, not merely that a code arrived.
func TestPageSaysSignedInOnlyOnceStored(t *testing.T) {
	s := start(t, Options{})
	code, body, res, err := complete(t, s, s.RedirectURL()+"?code=stale-code-1", errors.New("invalid flow state, no valid flow state found (flow_state_not_found)"))
	if err != nil || res.Code != "stale-code-1" {
		t.Fatalf("Wait: %+v, %v", res, err)
	}
	if code != 200 || strings.Contains(body, "signed in") || !strings.Contains(body, "The sign-in failed") || !strings.Contains(body, "flow_state_not_found") {
		t.Fatalf("page after a failed exchange: %d %s", code, body)
	}

	// A caller that stops without a verdict (interrupted) does not leave
	// the browser hanging or told it is signed in.
	s2 := start(t, Options{})
	got := make(chan string, 1)
	go func() { _, b := get(t, s2.RedirectURL()+"?code=code-2222"); got <- b }()
	if _, err := waitFor(t, s2, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if b := <-got; strings.Contains(b, "signed in") || !strings.Contains(b, "stopped before the session was stored") {
		t.Fatalf("page after Close: %s", b)
	}
}
