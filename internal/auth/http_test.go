package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHE01_400WithJSONIsAPIError(t *testing.T) {
	for _, tc := range []struct {
		file, code, msg string
		idx, status     int
	}{
		{"token_password_wrong", "invalid_credentials", "Invalid login credentials", 0, 400},        // 2024-01-01 shape
		{"legacy/token_password_wrong", "invalid_credentials", "Invalid login credentials", 0, 400}, // legacy shape
		{"legacy/logout_no_auth", "no_authorization", "This endpoint requires a valid Bearer token", 0, 401},
		{"oauth_token_errors", "invalid_request", "grant_type is required", 0, 400}, // OAuth shape
		{"signup_duplicate_email", "user_already_exists", "User already registered", 0, 422},
	} {
		t.Run(tc.file, func(t *testing.T) {
			srv := newFakeServer(t)
			rep, _ := stepReply(t, tc.file, tc.idx, nil)
			srv.on("POST", "/x", rep)
			c := newTestClient(t, srv.URL, nil)
			_, err := c.Do(context.Background(), Request{Method: "POST", Path: "/x"}, nil)
			var api *APIError
			if !errors.As(err, &api) || !IsAuthAPIError(err) || !IsAuthError(err) {
				t.Fatalf("error %T %v, want *APIError", err, err)
			}
			if api.Name != "AuthApiError" || api.Status != tc.status || api.Code != tc.code || api.Message != tc.msg {
				t.Fatalf("fields = %+v", api.AuthError)
			}
			if IsAuthRetryableFetchError(err) || IsAuthSessionMissingError(err) {
				t.Fatal("misclassified")
			}
		})
	}
}

func TestHE01b_SpecialCodesAreClassified(t *testing.T) {
	srv := newFakeServer(t)
	weak, _ := stepReply(t, "signup_weak_password", 0, nil)
	gone, _ := stepReply(t, "logout_scopes", 3, nil)
	srv.on("POST", "/weak", weak)
	srv.on("POST", "/gone", gone)
	srv.on("POST", "/aal", reply{status: 403, headers: map[string]string{"Content-Type": "application/json"},
		body: []byte(`{"code":"insufficient_aal","message":"AAL2 required"}`)})
	c := newTestClient(t, srv.URL, nil)

	_, err := c.Do(context.Background(), Request{Method: "POST", Path: "/weak"}, nil)
	var wp *WeakPasswordError
	if !errors.As(err, &wp) || wp.Status != 422 || wp.Code != CodeWeakPassword || len(wp.Reasons) != 1 || wp.Reasons[0] != "length" {
		t.Fatalf("weak password: %T %+v", err, err)
	}
	if !IsAuthAPIError(err) || wp.Name != NameWeakPasswordError {
		t.Fatal("a weak password error is an API error named AuthWeakPasswordError")
	}

	_, err = c.Do(context.Background(), Request{Method: "POST", Path: "/gone"}, nil)
	if !IsAuthSessionMissingError(fmt.Errorf("wrapped: %w", err)) || ErrorCode(err) != CodeSessionNotFound {
		t.Fatalf("session_not_found: %T %v", err, err)
	}

	_, err = c.Do(context.Background(), Request{Method: "POST", Path: "/aal"}, nil)
	if ErrorCode(fmt.Errorf("ctx: %w", err)) != CodeInsufficientAAL {
		t.Fatalf("insufficient_aal: %v", err)
	}
}

func TestHE02_400WithNonJSONIsUnknownError(t *testing.T) {
	srv := newFakeServer(t)
	notFound, _ := stepReply(t, "unrouted_paths", 2, nil)   // 404 text/plain
	notAllowed, _ := stepReply(t, "unrouted_paths", 3, nil) // 405, empty body
	srv.on("GET", "/a", notFound)
	srv.on("GET", "/b", notAllowed)
	srv.on("GET", "/c", reply{status: 400, body: []byte("<html>Bad Request</html>")})
	c := newTestClient(t, srv.URL, nil)
	for _, p := range []string{"/a", "/b", "/c"} {
		_, err := c.Do(context.Background(), Request{Method: "GET", Path: p}, nil)
		var u *UnknownError
		if !errors.As(err, &u) || IsAuthAPIError(err) || u.Name != "AuthUnknownError" || u.Status < 400 {
			t.Fatalf("%s: %T %v, want *UnknownError", p, err, err)
		}
	}
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/a"}, nil)
	mustContain(t, err.Error(), "404 page not found")
}

func TestHE03_500IsNotRetryable(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "admin_list_users_per_page_zero", 0, nil)
	srv.on("GET", "/500", rep)
	idt, _ := stepReply(t, "token_id_token_garbage", 0, nil)
	srv.on("GET", "/500b", idt)
	for _, s := range []int{502, 503, 504} {
		srv.on("GET", fmt.Sprintf("/%d", s), reply{status: s, body: []byte("bad gateway")})
	}
	c := newTestClient(t, srv.URL, nil)
	for _, p := range []string{"/500", "/500b"} {
		_, err := c.Do(context.Background(), Request{Method: "GET", Path: p}, nil)
		if IsAuthRetryableFetchError(err) || !IsAuthAPIError(err) {
			t.Fatalf("%s: %T %v; want a non-retryable APIError", p, err, err)
		}
		var api *APIError
		errors.As(err, &api)
		if api.Status != 500 || api.Code != "unexpected_failure" {
			t.Fatalf("fields = %+v", api.AuthError)
		}
	}
	for _, s := range []int{502, 503, 504} {
		_, err := c.Do(context.Background(), Request{Method: "GET", Path: fmt.Sprintf("/%d", s)}, nil)
		var r *RetryableFetchError
		if !errors.As(err, &r) || r.Status != s {
			t.Fatalf("%d: %T %v, want retryable with that status", s, err, err)
		}
	}
}

func TestHE04_NetworkFailureIsRetryableWithStatus0(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: connection refused
	c := newTestClient(t, "http://"+addr, func(o *Options) { o.ServiceRoleKey = "service-role-secret-key" })
	_, err = c.Do(context.Background(), Request{Method: "POST", Path: "/token", Token: "service-role-secret-key", Body: map[string]string{"password": "hunter2-secret"}}, nil)
	var r *RetryableFetchError
	if !errors.As(err, &r) || r.Status != 0 || r.Name != "AuthRetryableFetchError" || !IsAuthRetryableFetchError(err) {
		t.Fatalf("%T %v, want retryable status 0", err, err)
	}
	if strings.Contains(err.Error(), "service-role-secret-key") || strings.Contains(err.Error(), "hunter2") {
		t.Fatal("secret in error message")
	}
}

func TestHE05_ServerAbortIsRetryable(t *testing.T) {
	srv := newFakeServer(t)
	hangUp := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}
	truncated := func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := w.(http.Hijacker).Hijack()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"access_token\":")
		_ = buf.Flush()
		conn.Close()
	}
	srv.on("POST", "/abort", reply{handler: hangUp})
	srv.on("POST", "/truncated", reply{handler: truncated})
	c := newTestClient(t, srv.URL, nil)
	for _, p := range []string{"/abort", "/truncated"} {
		var out map[string]any
		_, err := c.Do(context.Background(), Request{Method: "POST", Path: p}, &out)
		if !IsAuthRetryableFetchError(err) {
			t.Fatalf("%s: %T %v, want retryable", p, err, err)
		}
	}
}

func TestHTTPRequestHeaders(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", rep)
	srv.on("POST", "/otp", reply{status: 200, body: []byte(`{}`)})
	c := newTestClient(t, srv.URL, func(o *Options) {
		o.ClientInfo = "authctl/1.2.3"
		o.Headers = map[string]string{"X-Custom": "yes", "Authorization": "Bearer parent-sdk", APIVersionHeader: "1999-01-01"}
	})
	if _, err := c.GetUser(context.Background(), "user-jwt"); err != nil {
		t.Fatal(err)
	}
	h := srv.calls("GET", "/user")[0].Header
	for k, want := range map[string]string{
		"X-Supabase-Api-Version": "2024-01-01", "X-Client-Info": "authctl/1.2.3", "Apikey": testAnonKey,
		"Authorization": "Bearer user-jwt", "X-Custom": "yes", "Content-Type": "",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if _, err := c.SignInWithOTP(context.Background(), OTPCredentials{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	h = srv.calls("POST", "/otp")[0].Header
	if h.Get("Content-Type") != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type = %q", h.Get("Content-Type"))
	}
	if h.Get("Authorization") != "" {
		t.Errorf("without HasCustomAuthorizationHeader the Headers' Authorization must not be sent; got %q", h.Get("Authorization"))
	}
}

func TestHTTPResponseSizeIsBounded(t *testing.T) {
	srv := newFakeServer(t)
	big := `{"x":"` + strings.Repeat("a", 2048) + `"}`
	srv.on("GET", "/big", reply{status: 200, body: []byte(big)})
	c := newTestClient(t, srv.URL, nil)
	var out map[string]any
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/big", MaxResponseBytes: 1024}, &out)
	var u *UnknownError
	if !errors.As(err, &u) {
		t.Fatalf("%T %v, want *UnknownError for an oversized body", err, err)
	}
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/big"}, &out); err != nil {
		t.Fatalf("default cap of 4 MiB: %v", err)
	}
}

func TestHTTPContextCancellationIsNotAnAuthError(t *testing.T) {
	srv := newFakeServer(t)
	arrived := make(chan struct{})
	srv.on("GET", "/slow", reply{handler: func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}})
	c := newTestClient(t, srv.URL, nil)
	// Cancelled once the request is at the server (not after a fixed time,
	// which a loaded machine can spend before the request is even sent).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-arrived
		cancel()
	}()
	_, err := c.Do(ctx, Request{Method: "GET", Path: "/slow"}, nil)
	if !errors.Is(err, context.Canceled) || IsAuthError(err) {
		t.Fatalf("%T %v, want the context error", err, err)
	}
}

func TestExpiresAtComputedWhenMissing(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_ok", 0, func(m map[string]any) { delete(m, "expires_at") })
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, func(o *Options) {
		o.Now = func() time.Time { return testNow.Add(700 * time.Millisecond) } // floor(now)
	})
	ar, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	if ar.Session.ExpiresAt != testNow.Unix()+3600 {
		t.Fatalf("expires_at = %d, want floor(now)+expires_in = %d", ar.Session.ExpiresAt, testNow.Unix()+3600)
	}
}

func TestHE03b_500WithoutJSONIsAPIError(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("GET", "/x", reply{status: 500, body: []byte("Internal Server Error")})
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/x"}, nil)
	var api *APIError
	if !errors.As(err, &api) || api.Status != 500 || IsAuthRetryableFetchError(err) {
		t.Fatalf("%T %v", err, err)
	}
}

func TestAuthErrorJSONShape(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_wrong", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "x"})
	var ae Error
	if !errors.As(err, &ae) {
		t.Fatal(err)
	}
	b, _ := json.Marshal(ae.Base())
	if string(b) != `{"name":"AuthApiError","message":"Invalid login credentials","status":400,"code":"invalid_credentials"}` {
		t.Fatalf("json = %s", b)
	}
}

func TestHasCustomAuthorizationHeader(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("POST", "/otp", reply{status: 200, body: []byte(`{}`)})
	rep, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", rep)
	c := newTestClient(t, srv.URL, func(o *Options) {
		o.Headers = map[string]string{"Authorization": "Bearer parent-sdk-token"}
		o.HasCustomAuthorizationHeader = true
	})
	if _, err := c.SignInWithOTP(context.Background(), OTPCredentials{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if h := srv.calls("POST", "/otp")[0].Header.Get("Authorization"); h != "Bearer parent-sdk-token" {
		t.Fatalf("Authorization = %q, want the custom header on token-less requests", h)
	}
	if _, err := c.GetUser(context.Background(), "user-token"); err != nil {
		t.Fatal(err)
	}
	if h := srv.calls("GET", "/user")[0].Header.Get("Authorization"); h != "Bearer user-token" {
		t.Fatalf("Authorization = %q, want the request's own token", h)
	}
}

// Path segments are escaped once: an ID with '/', ' ' or '%' reaches the
// server as one segment, under the base URL's own path.
func TestHTTPPathSegmentsAreEscapedOnce(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.RequestURI
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"x"}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL+"/auth/v1", func(o *Options) { o.ServiceRoleKey = "service-role" })
	if _, err := c.Admin().GetUserByID(context.Background(), "a/b c%"); err != nil {
		t.Fatal(err)
	}
	if want := "/auth/v1/admin/users/a%2Fb%20c%25"; got != want {
		t.Errorf("request URI = %q, want %q", got, want)
	}
}

// Regression: a 200 that is not JSON (a proxy's page, a wrong URL) surfaced
// Go's parser error, "invalid character 'h' in literal true".
func TestNonJSONSuccessSaysWhatWasExpected(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("GET", "/user", reply{status: 200, headers: map[string]string{"Content-Type": "text/html"}, body: []byte("<html>hello from a proxy</html>")})
	srv.on("POST", "/signup", reply{status: 200, headers: map[string]string{"Content-Type": "text/plain"}, body: []byte("true-ish")})
	c := newTestClient(t, srv.URL, nil)
	var out map[string]any
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/user", Token: "t-1234567890"}, &out)
	if err == nil || !strings.Contains(err.Error(), "expected a JSON answer from GET "+srv.URL+"/user") ||
		!strings.Contains(err.Error(), "text/html") || strings.Contains(err.Error(), "invalid character") {
		t.Fatalf("err = %v", err)
	}
	_, err = c.Do(context.Background(), Request{Method: "POST", Path: "/signup", Body: map[string]string{"email": "a@b.c"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "expected a JSON answer from POST") {
		t.Fatalf("a caller decoding itself: err = %v", err)
	}
}

// Regression: `token` against a down server retried for 25 s whatever
// --http-timeout said. The retries stay within the client's timeout.
func TestRefreshRetriesStayWithinTheHTTPTimeout(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("POST", "/token", reply{status: 503, body: []byte(`{"message":"down"}`)})
	c := newTestClient(t, srv.URL, func(o *Options) { o.HTTPClient = &http.Client{Timeout: 300 * time.Millisecond} })
	c.retryBase = 100 * time.Millisecond // 100 ms, then 200 ms: the budget is spent
	_, err := c.refreshWithRetry(context.Background(), "rt", true)
	if !IsAuthRetryableFetchError(err) {
		t.Fatalf("err = %v, want the retryable failure", err)
	}
	if n := len(srv.requests); n > 2 {
		t.Fatalf("%d attempts within a 300 ms budget, want at most 2", n)
	}
}

// A project gateway refuses a missing or wrong apikey with its own body,
// whose hint is the most useful part: it stays in the message.
func TestGatewayRefusalKeepsItsHint(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"Invalid API key","hint":"Double check your Supabase ` + "`anon`" + ` or ` + "`service_role`" + ` API key."}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/user"}, nil)
	var api *APIError
	if !errors.As(err, &api) || api.Status != 401 ||
		api.Message != "Invalid API key (server hint: Double check your Supabase `anon` or `service_role` API key.)" {
		t.Fatalf("error %T %v", err, err)
	}
}
