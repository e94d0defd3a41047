package auth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Failure injection at the SDK level: a misbehaving server on 127.0.0.1
// answers the refresh (retried with backoff, §11) and a sign-in (never
// retried). Each case checks the error kind, the number of requests, that it
// ends in bounded time, and that the stored session is the old one or the
// new one, never anything else.

// stall answers nothing until the client goes away (or the test ends).
// stall answers nothing until the client goes: only the client's timeout or
// cancellation ends the request.
func stall(w http.ResponseWriter, r *http.Request) {
	// The server notices a closed connection only once the body is read.
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// reset closes the connection with an RST instead of an answer.
func reset(w http.ResponseWriter, r *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// truncated promises more body than it sends, then closes.
func truncated(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "4096")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"access_token":"eyJ`))
}

// endless streams a JSON string forever: far more than any real answer.
func endless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"access_token":"`))
	chunk := []byte(strings.Repeat("A", 64<<10))
	for i := 0; i < 4096; i++ { // 256 MiB at most, if nobody stops reading
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func status(code int, body string) reply { return reply{status: code, body: []byte(body)} }

func TestFailureInjectionRefresh(t *testing.T) {
	type check func(error) bool
	isRetryable := IsAuthRetryableFetchError
	isAPI := func(err error) bool { return IsAuthAPIError(err) && !IsAuthRetryableFetchError(err) }
	isUnknown := func(err error) bool { var u *UnknownError; return errors.As(err, &u) }
	isInvalidTokenResponse := func(err error) bool { var e *InvalidTokenResponseError; return errors.As(err, &e) }

	maxCalls := NetworkFailureMaxRetries + 1
	cases := []struct {
		name    string
		replies func(ok reply) []reply
		timeout time.Duration // http.Client.Timeout; 0 = the SDK default
		ok      bool          // the refresh ends with the new session
		kind    check
		calls   int // exact number of POST /token; 0 = do not check
	}{
		{"502 503 504 then success", func(ok reply) []reply {
			return []reply{status(502, "<html>bad gateway</html>"), status(503, ""), status(504, `{"message":"timeout"}`), ok}
		}, 0, true, nil, 4},
		{"503 forever: bounded retries", func(reply) []reply { return []reply{status(503, "down")} }, 0, false, isRetryable, maxCalls},
		{"500 is not retried", func(reply) []reply { return []reply{status(500, `{"message":"boom"}`)} }, 0, false, isAPI, 1},
		{"500 saying session_not_found keeps the session", func(reply) []reply {
			return []reply{status(500, `{"code":"session_not_found","message":"x"}`)}
		}, 0, false, isAPI, 1},
		{"non-JSON 200 is not retried", func(reply) []reply { return []reply{status(200, "<html>captive portal</html>")} }, 0, false, isUnknown, 1},
		{"200 without tokens", func(reply) []reply { return []reply{status(200, `{"user":{}}`)} }, 0, false, isInvalidTokenResponse, 1},
		{"truncated body then success", func(ok reply) []reply { return []reply{{handler: truncated}, ok} }, 0, true, nil, 2},
		{"truncated body forever", func(reply) []reply { return []reply{{handler: truncated}} }, 0, false, isRetryable, maxCalls},
		{"connection reset then success", func(ok reply) []reply { return []reply{{handler: reset}, ok} }, 0, true, nil, 2},
		{"connection reset forever", func(reply) []reply { return []reply{{handler: reset}} }, 0, false, isRetryable, maxCalls},
		{"endless body", func(reply) []reply { return []reply{{handler: endless}} }, 0, false, isUnknown, 1},
		{"never answers", func(reply) []reply { return []reply{{handler: stall}} }, 150 * time.Millisecond, false, isRetryable, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer(t)
			ok, newJWT := stepReply(t, "token_refresh_ok", 1, nil)
			srv.on("POST", "/token", tc.replies(ok)...)
			c := newTestClient(t, srv.URL, func(o *Options) {
				if tc.timeout > 0 {
					o.HTTPClient = &http.Client{Timeout: tc.timeout}
				}
			})
			old := testSession(t, "old-rt", testNow.Unix()-1)
			storeSession(t, c, old)

			// No budget of its own: a request nothing ends hangs until the
			// go test deadline, which is the failure.
			s, err := c.GetSession(t.Context())
			stored := storedSession(t, c)
			if tc.ok {
				if err != nil || s == nil || s.AccessToken != newJWT {
					t.Fatalf("GetSession = %v, %v; want the new session", s, err)
				}
				if stored == nil || stored.AccessToken != newJWT {
					t.Fatalf("stored %+v, want the new session", stored)
				}
			} else {
				if err == nil || !tc.kind(err) {
					t.Fatalf("error %T %v", err, err)
				}
				if stored == nil || stored.RefreshToken != old.RefreshToken || stored.AccessToken != old.AccessToken {
					t.Fatalf("stored %+v, want the old session untouched", stored)
				}
			}
			if got := len(srv.calls("POST", "/token")); tc.calls > 0 && got != tc.calls {
				t.Fatalf("%d refresh requests, want %d", got, tc.calls)
			}
		})
	}
}

// Outside refresh nothing is retried (§11 limits retries to the refresh):
// a sign-in that meets a 503 fails at once, and nothing is stored.
func TestFailureInjectionSignInIsNotRetried(t *testing.T) {
	for _, rep := range []reply{status(502, ""), status(503, "x"), status(504, "{}"), status(500, "{}"), {handler: reset}, {handler: truncated}, {handler: endless}} {
		srv := newFakeServer(t)
		srv.on("POST", "/token", rep)
		c := newTestClient(t, srv.URL, nil)
		_, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "pw-secret-123"})
		if err == nil {
			t.Fatalf("%d: no error", rep.status)
		}
		if n := len(srv.calls("POST", "/token")); n != 1 {
			t.Fatalf("%d: %d requests, want 1", rep.status, n)
		}
		if s := storedSession(t, c); s != nil {
			t.Fatalf("%d: a session was stored: %+v", rep.status, s)
		}
		if strings.Contains(err.Error(), "pw-secret-123") {
			t.Fatalf("password in error %q", err)
		}
	}
}

// Cancelling (SIGINT in the CLI) mid-refresh leaves the old session.
func TestFailureInjectionCancelMidRefresh(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("POST", "/token", reply{handler: stall})
	c := newTestClient(t, srv.URL, nil)
	old := testSession(t, "old-rt", testNow.Unix()-1)
	storeSession(t, c, old)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	// The server stalls until the client goes: only the cancel ends it.
	_, err := c.GetSession(ctx)
	if err == nil {
		t.Fatal("GetSession succeeded against a stalled server")
	}
	if s := storedSession(t, c); s == nil || s.RefreshToken != "old-rt" {
		t.Fatalf("stored %+v, want the old session", s)
	}
}
