// Package cmdutiltest builds command dependencies for tests: a Factory on
// buffers, an SDK client on an httptest server with memory storage, and
// sessions with structurally valid JWTs.
package cmdutiltest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/prompt"
	"github.com/authctl/authctl/internal/state"
)

// Now is the fixed clock of command tests.
var Now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// Harness is a Factory wired to buffers and an SDK client with memory storage.
type Harness struct {
	F        *cmdutil.Factory
	Stdin    *bytes.Buffer
	Stdout   *bytes.Buffer
	Stderr   *bytes.Buffer
	Storage  auth.Storage
	Client   *auth.Client
	Requests *atomic.Int32 // requests the server received
}

// New starts server (nil: one that fails every request) and wires a Factory
// around a client talking to it.
func New(t *testing.T, handler http.HandlerFunc) *Harness {
	t.Helper()
	var n atomic.Int32
	if handler == nil {
		handler = func(w http.ResponseWriter, r *http.Request) {
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)

	storage := auth.NewMemoryStorage()
	opts := auth.DefaultOptions()
	opts.URL = srv.URL
	opts.Storage = storage
	opts.AutoRefreshToken = false
	opts.Now = func() time.Time { return Now }
	client, err := auth.NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)

	ios, in, out, errOut := iostreams.Test()
	stateFile := state.Open(filepath.Join(t.TempDir(), "state.json"))
	f := &cmdutil.Factory{
		IOStreams: ios,
		Flags:     &cmdutil.GlobalFlags{},
		Now:       func() time.Time { return Now },
		Config:    func() (*config.Config, error) { return config.Load(t.TempDir()) },
		State:     func() (*state.File, error) { return stateFile, nil },
		Target: func() (*cmdutil.Target, error) {
			return &cmdutil.Target{Profile: config.DefaultProfile, AuthURL: srv.URL, ProjectURL: srv.URL, FlowType: "implicit"}, nil
		},
		Client:       func() (*auth.Client, error) { return client, nil },
		AdminClient:  func() (*auth.Client, error) { return client, nil },
		PublicClient: func() (*auth.Client, error) { return client, nil },
		Prompter:     func() prompt.Prompter { return prompt.NoPrompt() },
	}
	return &Harness{F: f, Stdin: in, Stdout: out, Stderr: errOut, Storage: storage, Client: client, Requests: &n}
}

// JWT returns an unsigned but well-formed access token with claims.
func JWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	p, _ := json.Marshal(claims)
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString([]byte("signature"))
}

// Session is a session for user@example.com expiring at exp.
func Session(exp time.Time, refreshToken string) *auth.Session {
	return &auth.Session{
		AccessToken: JWT(map[string]any{"sub": "u-1", "exp": exp.Unix(), "aal": "aal1", "email": "user@example.com",
			"role": "authenticated", "session_id": "s-1"}),
		TokenType:    "bearer",
		ExpiresIn:    int64(exp.Sub(Now).Seconds()),
		ExpiresAt:    exp.Unix(),
		RefreshToken: refreshToken,
		User:         auth.User{ID: "u-1", Aud: "authenticated", Email: "user@example.com", Role: "authenticated"},
	}
}

// Store saves s as the client's current session.
func (h *Harness) Store(t *testing.T, s *auth.Session) {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Storage.SetItem(context.Background(), h.Client.StorageKey(), string(b)); err != nil {
		t.Fatal(err)
	}
}

// Stored returns the client's stored session, nil when none.
func (h *Harness) Stored(t *testing.T) *auth.Session {
	t.Helper()
	v, ok, err := h.Storage.GetItem(context.Background(), h.Client.StorageKey())
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return nil
	}
	var s auth.Session
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// SeparateAdmin gives the harness an admin client with a service-role key on
// the same server but with its own memory storage, as the factory builds it.
func (h *Harness) SeparateAdmin(t *testing.T) {
	t.Helper()
	opts := auth.DefaultOptions()
	opts.URL = h.Client.URL()
	opts.ServiceRoleKey = "service-role"
	admin, err := auth.NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	h.F.AdminClient = func() (*auth.Client, error) { return admin, nil }
}
