package auth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is the iat of the recorded password sign-in: transcript sessions
// (expires_at = iat + 3600) are valid for an hour at this instant.
var testNow = time.Unix(1795386172, 0)

const (
	testAnonKey    = "anon-key-0123456789"
	testJWTSecret  = "test-secret-for-hs256-only"
	transcriptsDir = "testdata/transcripts"
)

// step is one recorded request/response pair of a transcript.
type step struct {
	Note    string `json:"note"`
	Request struct {
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Query   map[string]string `json:"query"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"response"`
	JWTClaims map[string]map[string]any `json:"jwt_claims"`
}

// loadStep reads step idx of a transcript ("name" or "legacy/name", without
// .json).
func loadStep(t *testing.T, name string, idx int) step {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(transcriptsDir, name+".json"))
	if err != nil {
		t.Fatalf("transcript %s: %v", name, err)
	}
	var tr struct {
		Steps []step `json:"steps"`
	}
	if err := json.Unmarshal(raw, &tr); err != nil {
		t.Fatalf("transcript %s: %v", name, err)
	}
	if idx >= len(tr.Steps) {
		t.Fatalf("transcript %s has %d steps, want index %d", name, len(tr.Steps), idx)
	}
	return tr.Steps[idx]
}

// makeJWT builds a real HS256 JWT (decodable by anyone, verifiable with
// testJWTSecret) from claims.
func makeJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	p, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	in := Base64URLEncode(h) + "." + Base64URLEncode(p)
	mac := hmac.New(sha256.New, []byte(testJWTSecret))
	mac.Write([]byte(in))
	return in + "." + Base64URLEncode(mac.Sum(nil))
}

// reply is what the fake server answers to one request.
type reply struct {
	status  int
	headers map[string]string
	body    []byte
	// handler, when set, answers instead (aborts, delays).
	handler http.HandlerFunc
}

// stepReply turns a transcript step's response into a reply, replacing
// "<jwt>" with a JWT built from the step's recorded claims (or minimal claims
// when none were recorded). It returns the JWT too. patch, when non-nil, may
// edit the decoded JSON body.
func stepReply(t *testing.T, name string, idx int, patch func(map[string]any)) (reply, string) {
	t.Helper()
	st := loadStep(t, name, idx)
	claims := st.JWTClaims["response.body.access_token"]
	if claims == nil {
		claims = map[string]any{"sub": "test", "exp": testNow.Unix() + 3600}
	}
	jwt := makeJWT(t, claims)
	body := bytes.TrimSpace(st.Response.Body)
	switch {
	case bytes.Equal(body, []byte("null")):
		body = nil
	case len(body) > 0 && body[0] == '"':
		var s string
		_ = json.Unmarshal(body, &s)
		body = []byte(s)
	default:
		body = bytes.ReplaceAll(body, []byte(`"<jwt>"`), []byte(`"`+jwt+`"`))
		if patch != nil {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("patching %s[%d]: %v", name, idx, err)
			}
			patch(m)
			body, _ = json.Marshal(m)
		}
	}
	return reply{status: st.Response.Status, headers: st.Response.Headers, body: body}, jwt
}

// recorded is a request the fake server received.
type recorded struct {
	Method, Path string
	Query        map[string][]string
	Header       http.Header
	Body         []byte
}

func (r recorded) jsonBody(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("request body %q: %v", r.Body, err)
	}
	return m
}

// fakeServer answers "METHOD /path" with queued replies (the last one
// repeats) and records every request. It listens on 127.0.0.1 only. Like
// gh's httpmock Verify, it fails the test when a registered route was never
// called: a stub nobody uses hides a request the code stopped making.
type fakeServer struct {
	*httptest.Server
	t        *testing.T
	mu       sync.Mutex
	routes   map[string][]reply
	called   map[string]bool
	requests []recorded
}

func newFakeServer(t *testing.T) *fakeServer {
	f := &fakeServer{t: t, routes: map[string][]reply{}, called: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		f.Close()
		f.verify()
	})
	return f
}

func (f *fakeServer) on(method, path string, replies ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := method + " " + path
	f.routes[key] = append(f.routes[key], replies...)
	if _, ok := f.called[key]; !ok {
		f.called[key] = false
	}
}

// verify fails the test for every registered route that no request reached.
func (f *fakeServer) verify() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for key, called := range f.called {
		if !called {
			f.t.Errorf("route %s was registered but never called", key)
		}
	}
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	f.requests = append(f.requests, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	q := f.routes[key]
	if _, registered := f.called[key]; registered {
		f.called[key] = true
	}
	var rep reply
	ok := len(q) > 0
	if ok {
		rep = q[0]
		if len(q) > 1 {
			f.routes[key] = q[1:]
		}
	}
	f.mu.Unlock()
	if !ok {
		f.t.Errorf("unexpected request %s", key)
		http.Error(w, "no route", http.StatusTeapot)
		return
	}
	if rep.handler != nil {
		rep.handler(w, r)
		return
	}
	for k, v := range rep.headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// calls returns the requests received for "METHOD /path".
func (f *fakeServer) calls(method, path string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.requests {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeServer) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// newTestClient returns a client on srv with the spec defaults, no
// auto-refresh, the fixed test clock and fast retries.
func newTestClient(t *testing.T, srvURL string, mutate func(*Options)) *Client {
	t.Helper()
	o := DefaultOptions()
	o.URL = srvURL
	o.APIKey = testAnonKey
	o.AutoRefreshToken = false
	o.Storage = NewMemoryStorage()
	o.Now = func() time.Time { return testNow }
	if mutate != nil {
		mutate(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	c.retryBase = time.Millisecond
	t.Cleanup(c.Close)
	return c
}

// testSession is a stored session expiring at expiresAt, with an access
// token whose claims agree.
func testSession(t *testing.T, refreshToken string, expiresAt int64) *Session {
	t.Helper()
	return &Session{
		AccessToken:  makeJWT(t, map[string]any{"sub": "user-1", "exp": expiresAt, "session_id": "s-1", "aal": "aal1"}),
		RefreshToken: refreshToken,
		TokenType:    "bearer",
		ExpiresIn:    3600,
		ExpiresAt:    expiresAt,
		User:         User{ID: "user-1", Aud: "authenticated", Email: "u@example.com"},
	}
}

func storeSession(t *testing.T, c *Client, s *Session) {
	t.Helper()
	b, _ := json.Marshal(s)
	if err := c.storage.SetItem(context.Background(), c.opts.StorageKey, string(b)); err != nil {
		t.Fatal(err)
	}
}

func storedSession(t *testing.T, c *Client) *Session {
	t.Helper()
	raw, ok, err := c.storage.GetItem(context.Background(), c.opts.StorageKey)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return nil
	}
	var s Session
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// eventRecorder collects events delivered to a subscription.
type eventRecorder struct {
	ch chan recordedEvent
}

type recordedEvent struct {
	Event   Event
	Session *Session
}

func recordEvents(c *Client) (*eventRecorder, *Subscription) {
	r := &eventRecorder{ch: make(chan recordedEvent, 64)}
	sub := c.OnAuthStateChange(func(e Event, s *Session) { r.ch <- recordedEvent{e, s} })
	return r, sub
}

// next waits for the next event (failing after 2 s).
func (r *eventRecorder) next(t *testing.T) recordedEvent {
	t.Helper()
	select {
	case e := <-r.ch:
		return e
	case <-time.After(2 * time.Second):
		t.Fatal("no event delivered within 2s")
		return recordedEvent{}
	}
}

// none asserts that no event arrives within d.
func (r *eventRecorder) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case e := <-r.ch:
		t.Fatalf("unexpected event %s", e.Event)
	case <-time.After(d):
	}
}

func mustContain(t *testing.T, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Fatalf("%q does not contain %q", s, sub)
	}
}
