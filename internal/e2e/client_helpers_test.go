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
	"sync"
	"testing"
)

// Helpers of the client command tests (client_commands_test.go).

// apiCall sends a JSON request to the target's Auth API with key as apikey
// and bearer token (the service-role key for /admin), and decodes the answer.
func apiCall(t *testing.T, method, path, key string, body, out any) int {
	t.Helper()
	return serverCall(t, target, method, path, key, key, body, out)
}

// serverCall sends a JSON request to srv's Auth API with the apikey key and
// the bearer token (none when empty), and decodes the answer into out.
func serverCall(t *testing.T, srv *server, method, path, key, bearer string, body, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, strings.TrimSuffix(srv.URL, "/")+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("apikey", key)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && json.Unmarshal(raw, out) != nil {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// emailLink is what POST /admin/generate_link gives for an email: the OTP
// and token hash a mail would have carried (no SMTP on either server).
type emailLink struct {
	ID          string `json:"id"`
	EmailOTP    string `json:"email_otp"`
	HashedToken string `json:"hashed_token"`
}

func generateLink(t *testing.T, typ, email string) emailLink {
	t.Helper()
	var l emailLink
	body := map[string]any{"type": typ, "email": email}
	if typ == "signup" {
		body["password"] = password
	}
	if code := apiCall(t, "POST", "/admin/generate_link", target.ServiceRoleKey, body, &l); code != 200 || l.EmailOTP == "" {
		t.Fatalf("generate_link %s: status %d %+v", typ, code, l)
	}
	return l
}

// freshPhone makes sure no user holds phone, so a sign-up with it is new on
// a server that keeps earlier runs' users: it signs in with the test OTP
// (creating the user when absent) and deletes that user.
func freshPhone(t *testing.T, phone string) {
	t.Helper()
	apiCall(t, "POST", "/otp", target.AnonKey, map[string]any{"phone": phone, "create_user": true}, nil)
	var s struct {
		User struct{ ID string } `json:"user"`
	}
	if code := apiCall(t, "POST", "/verify", target.AnonKey, map[string]any{"phone": phone, "token": "123456", "type": "sms"}, &s); code != 200 {
		t.Fatalf("verify test OTP for %s: status %d", phone, code)
	}
	if code := apiCall(t, "DELETE", "/admin/users/"+s.User.ID, target.ServiceRoleKey, nil, nil); code != 200 {
		t.Fatalf("deleting the user of %s: status %d", phone, code)
	}
}

// errorJSON decodes the --json error object of stderr.
func errorJSON(t *testing.T, r result) (name, message string, code *string) {
	t.Helper()
	var body struct {
		Error struct {
			Name    string  `json:"name"`
			Message string  `json:"message"`
			Code    *string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Stderr), &body); err != nil {
		t.Fatalf("stderr is not the JSON error object: %v\n%s", err, r.Stderr)
	}
	return body.Error.Name, body.Error.Message, body.Error.Code
}

// authResult is the --json form of sign-in, sign-up and verify results.
type authResult struct {
	User struct {
		ID               string         `json:"id"`
		Email            string         `json:"email"`
		Phone            string         `json:"phone"`
		PhoneConfirmedAt string         `json:"phone_confirmed_at"`
		IsAnonymous      bool           `json:"is_anonymous"`
		UserMetadata     map[string]any `json:"user_metadata"`
		AppMetadata      map[string]any `json:"app_metadata"`
	} `json:"user"`
	Session *struct {
		sessionJSON
		ExpiresIn int64 `json:"expires_in"`
	} `json:"session"`
}

// recorder is a reverse proxy to the target that keeps every request's
// path, query and body, to check what authctl sent.
type recorder struct {
	URL  string
	mu   sync.Mutex
	reqs []string // "METHOD /path?query body"
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	up, err := url.Parse(strings.TrimSuffix(target.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	rp := httputil.NewSingleHostReverseProxy(up)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		rec.mu.Unlock()
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL + strings.TrimPrefix(target.URL, up.Scheme+"://"+up.Host)
	return rec
}

// find returns the first recorded request starting with prefix
// ("POST /signup"), matching whatever base path the target has.
func (rec *recorder) find(t *testing.T, method, pathSuffix string) string {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, r := range rec.reqs {
		m, rest, _ := strings.Cut(r, " ")
		uri, _, _ := strings.Cut(rest, " ")
		p, _, _ := strings.Cut(uri, "?")
		if m == method && strings.HasSuffix(p, pathSuffix) {
			return r
		}
	}
	t.Fatalf("no %s %s request among %d", method, pathSuffix, len(rec.reqs))
	return ""
}
