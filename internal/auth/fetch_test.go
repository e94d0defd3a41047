package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
)

// fetchSetup is a fake project with a signed-in client (when signedIn) and a
// Fetcher over it.
func fetchSetup(t *testing.T, signedIn bool) (*fakeServer, *Client, *Fetcher) {
	t.Helper()
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	if signedIn {
		storeSession(t, c, testSession(t, "rt-1", testNow.Unix()+3600))
	}
	return srv, c, &Fetcher{Client: func() (*Client, error) { return c, nil }, APIKey: testAnonKey}
}

func fetch(t *testing.T, f *Fetcher, method, url string, body io.Reader, h http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if h != nil {
		req.Header = h
	}
	resp, err := f.Fetch(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestFetchAddsBearerAndAPIKey(t *testing.T) {
	srv, c, f := fetchSetup(t, true)
	srv.on("GET", "/rest/v1/todos", reply{status: 200})
	fetch(t, f, "GET", srv.URL+"/rest/v1/todos", nil, nil)
	got := srv.calls("GET", "/rest/v1/todos")[0].Header
	if want := "Bearer " + storedSession(t, c).AccessToken; got.Get("Authorization") != want {
		t.Errorf("Authorization = %q, want the session's bearer", got.Get("Authorization"))
	}
	if got.Get("apikey") != testAnonKey {
		t.Errorf("apikey = %q, want %q", got.Get("apikey"), testAnonKey)
	}
}

func TestFetchNeverOverridesCallerHeadersNorRefreshesTheirToken(t *testing.T) {
	srv, _, f := fetchSetup(t, true)
	f.Client = func() (*Client, error) { return nil, errors.New("the client must not be asked for") }
	srv.on("GET", "/rest/v1/x", reply{status: http.StatusUnauthorized})
	resp := fetch(t, f, "GET", srv.URL+"/rest/v1/x", nil, http.Header{"Authorization": {"Bearer mine"}, "Apikey": {"theirs"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want the 401 as it came", resp.StatusCode)
	}
	got := srv.calls("GET", "/rest/v1/x")
	if len(got) != 1 || got[0].Header.Get("Authorization") != "Bearer mine" || got[0].Header.Values("Apikey")[0] != "theirs" {
		t.Errorf("requests %+v, want one with the caller's headers only", got)
	}
}

func TestFetchWithoutSession(t *testing.T) {
	srv, _, f := fetchSetup(t, false)
	srv.on("GET", "/rest/v1/public", reply{status: 200})
	fetch(t, f, "GET", srv.URL+"/rest/v1/public", nil, nil)
	if got := srv.calls("GET", "/rest/v1/public")[0].Header.Get("Authorization"); got != "Bearer "+testAnonKey {
		t.Errorf("Authorization = %q, want the API key as bearer (spec §17's fallback)", got)
	}

	missing := errors.New("not signed in")
	f.MissingSession = missing
	req, _ := http.NewRequest("GET", srv.URL+"/rest/v1/public", nil)
	if _, err := f.Fetch(req); !errors.Is(err, missing) {
		t.Errorf("err = %v, want MissingSession", err)
	}
	if n := srv.total(); n != 1 {
		t.Errorf("%d requests, want none sent without a session", n-1)
	}
}

// refreshReply answers the refresh grant with a session whose access token
// is fresh.
func refreshReply(t *testing.T) (reply, string) {
	s := testSession(t, "rt-2", testNow.Unix()+7200)
	b, _ := json.Marshal(s)
	return reply{status: 200, headers: map[string]string{"Content-Type": "application/json"}, body: b}, s.AccessToken
}

func TestFetch401RefreshesOnceAndReplaysTheBody(t *testing.T) {
	srv, _, f := fetchSetup(t, true)
	rr, fresh := refreshReply(t)
	srv.on("POST", "/token", rr)
	srv.on("POST", "/rest/v1/todos", reply{status: http.StatusUnauthorized}, reply{status: http.StatusUnauthorized})
	resp := fetch(t, f, "POST", srv.URL+"/rest/v1/todos", bytes.NewReader([]byte(`{"a":1}`)), nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want the second 401 returned (no second refresh)", resp.StatusCode)
	}
	if n := len(srv.calls("POST", "/token")); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	got := srv.calls("POST", "/rest/v1/todos")
	if len(got) != 2 {
		t.Fatalf("%d attempts, want 2", len(got))
	}
	if string(got[1].Body) != `{"a":1}` || got[1].Header.Get("Authorization") != "Bearer "+fresh {
		t.Errorf("retry body %q, Authorization %q: want the same body with the fresh token", got[1].Body, got[1].Header.Get("Authorization"))
	}
}

func TestFetch401WithAStreamedBodyIsNotRetried(t *testing.T) {
	srv, _, f := fetchSetup(t, true)
	srv.on("POST", "/rest/v1/todos", reply{status: http.StatusUnauthorized})
	// io.MultiReader hides the bytes from http.NewRequest: no GetBody.
	fetch(t, f, "POST", srv.URL+"/rest/v1/todos", io.MultiReader(bytes.NewReader([]byte("x"))), nil)
	if n := srv.total(); n != 1 {
		t.Errorf("%d requests, want 1 (no refresh, no retry)", n)
	}
}
