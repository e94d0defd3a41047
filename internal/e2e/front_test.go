package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// front is a local HTTP server in front of the server under test, in one of
// the shapes authctl meets in the field, with a log of every request it
// received. Its Auth API is the target's (which serves Auth at its root
// whether it is the emulator or a bare real server).
type front struct {
	URL  string // scheme://host:port, no path
	mu   sync.Mutex
	reqs []loggedRequest
}

// loggedRequest is what a front saw of one request.
type loggedRequest struct {
	Method, Path, Authorization, APIKey, Body string
}

// frontShape says how a front serves Auth.
type frontShape int

const (
	// bareServer serves Auth at the root and nothing under /auth/v1, as a
	// GoTrue server on its own does.
	bareServer frontShape = iota
	// projectGateway serves Auth only under /auth/v1 and, like the API
	// gateway of hosted Supabase and `supabase start`, refuses a request
	// whose apikey header is missing or not one of the project's keys, with
	// the gateway's own body. It stands in for https://REF.supabase.co.
	projectGateway
	// nothingThere answers 404 to everything: not an Auth server at all.
	nothingThere
)

func newFront(t *testing.T, shape frontShape) *front {
	t.Helper()
	up, err := url.Parse(strings.TrimSuffix(target.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	f := &front{}
	rp := httputil.NewSingleHostReverseProxy(up)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		f.mu.Lock()
		f.reqs = append(f.reqs, loggedRequest{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("apikey"), string(b)})
		f.mu.Unlock()
		switch shape {
		case nothingThere:
			http.NotFound(w, r)
			return
		case bareServer:
			if r.URL.Path == "/auth/v1" || strings.HasPrefix(r.URL.Path, "/auth/v1/") {
				http.NotFound(w, r)
				return
			}
		case projectGateway:
			rest, ok := strings.CutPrefix(r.URL.Path, "/auth/v1")
			if !ok || (rest != "" && rest[0] != '/') {
				http.NotFound(w, r)
				return
			}
			if refuseKey(w, r.Header.Get("apikey")) {
				return
			}
			r.URL.Path, r.URL.RawPath = rest, ""
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// refuseKey answers as the project gateway does when the apikey header is
// missing or unknown (bodies as hosted Supabase sends them).
func refuseKey(w http.ResponseWriter, key string) bool {
	var body string
	switch key {
	case target.AnonKey, target.ServiceRoleKey:
		return false
	case "":
		body = `{"message":"No API key found in request","hint":"No ` + "`apikey`" + ` request header or url param was found."}`
	default:
		body = `{"message":"Invalid API key","hint":"Double check your Supabase ` + "`anon`" + ` or ` + "`service_role`" + ` API key."}`
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = io.WriteString(w, body)
	return true
}

// requests returns a copy of the log.
func (f *front) requests() []loggedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]loggedRequest(nil), f.reqs...)
}

// mustNotHaveSeen fails the test when any logged request carried one of the
// secrets, in a header or in its body.
func (f *front) mustNotHaveSeen(t *testing.T, secrets ...string) {
	t.Helper()
	for _, r := range f.requests() {
		for _, s := range secrets {
			if strings.Contains(r.Authorization, s) || strings.Contains(r.APIKey, s) || strings.Contains(r.Body, s) {
				t.Fatalf("%s %s carried a secret of another server's session", r.Method, r.Path)
			}
		}
	}
}
