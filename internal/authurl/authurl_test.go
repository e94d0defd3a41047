package authurl

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

type memCache map[string]string

func (m memCache) AuthPath(o string) (string, bool)   { p, ok := m[o]; return p, ok }
func (m memCache) RememberAuthPath(o, p string) error { m[o] = p; return nil }

// server answers health at the given paths and counts requests.
func server(t *testing.T, handle func(w http.ResponseWriter, r *http.Request)) (string, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

func healthAt(paths ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for _, p := range paths {
			if r.URL.Path == p+"/health" {
				_, _ = w.Write([]byte(`{"version":"v2","name":"GoTrue"}`))
				return
			}
		}
		http.NotFound(w, r)
	}
}

func resolver(c memCache) *Resolver {
	return &Resolver{HTTP: http.DefaultClient, Cache: c, Source: "SUPABASE_URL"}
}

func TestStaticForms(t *testing.T) {
	for in, want := range map[string]Endpoints{
		"https://abcd.supabase.co":            {Auth: "https://abcd.supabase.co/auth/v1", Project: "https://abcd.supabase.co"},
		"https://abcd.supabase.co/":           {Auth: "https://abcd.supabase.co/auth/v1", Project: "https://abcd.supabase.co"},
		"https://abcd.supabase.co/auth/v1":    {Auth: "https://abcd.supabase.co/auth/v1", Project: "https://abcd.supabase.co"},
		"https://abcd.supabase.co/auth/v1/":   {Auth: "https://abcd.supabase.co/auth/v1", Project: "https://abcd.supabase.co"},
		"http://127.0.0.1:54321/auth/v1":      {Auth: "http://127.0.0.1:54321/auth/v1", Project: "http://127.0.0.1:54321"},
		"https://auth.example.com/gotrue/":    {Auth: "https://auth.example.com/gotrue", Project: "https://auth.example.com"},
		"https://ABCD.supabase.co:443/?x=1#f": {Auth: "https://abcd.supabase.co/auth/v1", Project: "https://abcd.supabase.co"},
	} {
		// No HTTP client: a static form must make no request.
		got, err := (&Resolver{Cache: memCache{}}).Resolve(context.Background(), in)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "localhost:9999", "ftp://x", "https://user:secret@x.supabase.co"} {
		_, err := (&Resolver{Cache: memCache{}}).Resolve(context.Background(), bad)
		if err == nil {
			t.Errorf("Resolve(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("error quotes the credentials: %v", err)
		}
	}
}

func TestProbeFindsProjectGatewayAndBareServer(t *testing.T) {
	project, _ := server(t, healthAt("/auth/v1"))  // supabase start, a gateway
	both, _ := server(t, healthAt("/auth/v1", "")) // the emulator
	bare, _ := server(t, healthAt(""))             // GoTrue on its own
	for _, tc := range []struct{ in, auth, project string }{
		{project, project + "/auth/v1", project},
		{project + "/", project + "/auth/v1", project},
		{both, both + "/auth/v1", both},
		{bare, bare, bare},
		{bare + "/", bare, bare},
	} {
		c := memCache{}
		got, err := resolver(c).Resolve(context.Background(), tc.in)
		if err != nil || got.Auth != tc.auth || got.Project != tc.project || !got.Probed {
			t.Errorf("Resolve(%q) = %+v, %v; want auth %q project %q", tc.in, got, err, tc.auth, tc.project)
		}
		if len(c) != 1 {
			t.Errorf("Resolve(%q) remembered %v", tc.in, c)
		}
	}
}

// A gateway that refuses the key at /auth/v1/health is still the gateway:
// the request that follows gets the same refusal and the key hint.
func TestProbeTakesAGatewayRefusalAsTheProject(t *testing.T) {
	gw, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"No API key found in request","hint":"No apikey request header or url param was found."}`))
	})
	got, err := resolver(memCache{}).Resolve(context.Background(), gw)
	if err != nil || got.Auth != gw+"/auth/v1" {
		t.Fatalf("Resolve = %+v, %v", got, err)
	}
}

func TestProbeRunsOnceThenTheCacheAnswers(t *testing.T) {
	bare, n := server(t, healthAt(""))
	c := memCache{}
	for range 3 {
		if got, err := resolver(c).Resolve(context.Background(), bare); err != nil || got.Auth != bare {
			t.Fatalf("Resolve = %+v, %v", got, err)
		}
	}
	if n.Load() != 2 { // /auth/v1/health, then /health, once
		t.Fatalf("%d requests, want 2", n.Load())
	}
}

func TestNoAuthAPINamesBothURLsAndTheFix(t *testing.T) {
	other, _ := server(t, http.NotFound)
	c := memCache{}
	_, err := resolver(c).Resolve(context.Background(), other)
	if err == nil {
		t.Fatal("a server without Auth accepted")
	}
	for _, want := range []string{other + "/auth/v1/health answered HTTP 404", other + "/health answered HTTP 404",
		"--url " + other + "/PATH", "SUPABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if len(c) != 0 {
		t.Errorf("a failed probe was remembered: %v", c)
	}
}

func TestUnreachableUsesTheProjectFormAndRemembersNothing(t *testing.T) {
	c := memCache{}
	r := resolver(c)
	r.HTTP = &http.Client{Transport: refuse{}}
	got, err := r.Resolve(context.Background(), "http://127.0.0.1:9")
	if err != nil || got.Auth != "http://127.0.0.1:9/auth/v1" || got.Probed {
		t.Fatalf("Resolve = %+v, %v", got, err)
	}
	if len(c) != 0 {
		t.Errorf("remembered %v", c)
	}
}

// refuse fails every request as a closed port does.
type refuse struct{}

func (refuse) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connect: connection refused")
}
