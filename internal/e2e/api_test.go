package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// authPath is where the target serves an Auth route for `authctl api`: a
// project URL (the emulator) serves Auth under /auth/v1, a bare GoTrue URL
// (one with a path) at its root.
func authPath(t *testing.T, route string) string {
	t.Helper()
	u, err := url.Parse(target.URL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Path == "" {
		return "/auth/v1" + route
	}
	return route
}

func userPath(t *testing.T) string { return authPath(t, "/user") }

func TestAPISignedOutExits3UnlessAnonIsAskedFor(t *testing.T) {
	e := newEnv(t)
	e.mustRun(3, "", "api", userPath(t))
	var settings map[string]any
	e.jsonOut(&settings, "", "api", authPath(t, "/settings"), "-H", "Authorization: Bearer "+target.AnonKey)
	if settings["external"] == nil {
		t.Errorf("GET /settings as anon answered %v", settings)
	}
}

func TestAPIUserReturnsTheSignedInUser(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	s := signUp(t, e, email)

	var u struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	}
	e.jsonOut(&u, "", "api", userPath(t))
	if u.ID != s.User.ID || u.Email != email {
		t.Errorf("api %s = %+v, want the signed-in user %s", userPath(t), u, email)
	}
	r := e.mustRun(0, "", "api", "-i", userPath(t), "--debug")
	if !strings.HasPrefix(r.Stdout, "HTTP/1.1 200 OK\n") {
		t.Errorf("-i output starts %q", r.Stdout[:min(len(r.Stdout), 40)])
	}
	if strings.Contains(r.Stdout+r.Stderr, s.AccessToken) || !strings.Contains(r.Stderr, "Bearer [REDACTED]") {
		t.Error("the access token reached the output, or --debug did not show the redacted header")
	}
	// A caller's Authorization wins: a garbage token gets the server's 401.
	r = e.mustRun(1, "", "api", userPath(t), "-H", "authorization: Bearer not-a-jwt")
	if r.Stdout == "" {
		t.Error("the 401's body was not printed")
	}
	e.mustRun(2, "", "api", "http://example.com/user")
}

// unauthorizedOnce forwards to the target, but answers the first request
// for pathSuffix with 401, as a server would for a token it no longer takes.
// It counts refresh grants and records the bodies sent to pathSuffix.
type unauthorizedOnce struct {
	URL       string
	refreshes atomic.Int32
	answered  atomic.Bool
	bodies    chan string
}

func newUnauthorizedOnce(t *testing.T, pathSuffix string) *unauthorizedOnce {
	t.Helper()
	up, err := url.Parse(strings.TrimSuffix(target.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	p := &unauthorizedOnce{bodies: make(chan string, 10)}
	rp := httputil.NewSingleHostReverseProxy(up)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("grant_type") == "refresh_token" {
			p.refreshes.Add(1)
		}
		if strings.HasSuffix(r.URL.Path, pathSuffix) {
			b, _ := io.ReadAll(r.Body)
			p.bodies <- string(b)
			// Forward what was read: the reverse proxy needs a body again.
			r.Body = io.NopCloser(bytes.NewReader(b))
			if !p.answered.Swap(true) {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"code":401,"msg":"token expired"}`))
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL + strings.TrimPrefix(target.URL, up.Scheme+"://"+up.Host)
	return p
}

func TestAPIRefreshesOnceOn401AndReplaysTheBody(t *testing.T) {
	p := newUnauthorizedOnce(t, "/user")
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL
	s := signUp(t, e, uniqueEmail(t))

	// PUT /user with a body: the retry must carry the same bytes, and the
	// server applies them once it accepts the refreshed token.
	body := `{"data":{"nickname":"replayed"}}`
	r := e.mustRun(0, "", "api", "-X", "PUT", userPath(t), "-d", body)
	if n := p.refreshes.Load(); n != 1 {
		t.Errorf("%d refreshes, want exactly 1", n)
	}
	first, second := <-p.bodies, <-p.bodies
	if first != body || second != body {
		t.Errorf("bodies sent %q then %q, want %q twice", first, second, body)
	}
	var u struct {
		UserMetadata map[string]any `json:"user_metadata"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &u); err != nil || u.UserMetadata["nickname"] != "replayed" {
		t.Errorf("retried PUT answered %s (%v)", r.Stdout, err)
	}
	var now sessionJSON
	e.jsonOut(&now, "", "session")
	if now.RefreshToken == s.RefreshToken {
		t.Error("the refreshed session was not stored")
	}
}
