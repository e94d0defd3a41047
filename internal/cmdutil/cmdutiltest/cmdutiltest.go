// Package cmdutiltest builds command dependencies for tests: a Factory on
// buffers, an SDK client on an httptest server with memory storage, and
// sessions with structurally valid JWTs.
package cmdutiltest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/prompt"
	"github.com/authctl/authctl/internal/state"
)

// Now is the fixed clock of command tests.
var Now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// Harness is a Factory wired to buffers and SDK clients on one server, the
// session's storage in memory.
type Harness struct {
	F        *cmdutil.Factory
	Stdin    *bytes.Buffer
	Stdout   *bytes.Buffer
	Stderr   *bytes.Buffer
	Storage  auth.Storage
	Client   *auth.Client  // F.Client: the user's session in Storage
	PKCE     *auth.Client  // F.PKCEClient: Client's storage in PKCE flow
	Requests *atomic.Int32 // requests the server received
}

// New starts server (nil: one that fails every request) and wires a Factory
// around clients talking to it.
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

	ios, in, out, errOut := iostreams.Test()
	stateFile := state.Open(filepath.Join(t.TempDir(), "state.json"))
	f := &cmdutil.Factory{
		IOStreams: ios,
		Flags:     &cmdutil.GlobalFlags{},
		Now:       func() time.Time { return Now },
		Config:    func() (*config.Config, error) { return config.Load(t.TempDir()) },
		State:     func() (*state.File, error) { return stateFile, nil },
		Prompter:  func() prompt.Prompter { return prompt.NoPrompt() },
	}
	h := &Harness{F: f, Stdin: in, Stdout: out, Stderr: errOut, Storage: auth.NewMemoryStorage(), Requests: &n}
	h.Connect(t, srv.URL, "")
	return h
}

// Connect points the Factory's Target and every client it hands out at the
// Auth server at url, with apiKey as the anon key, as the real Factory builds
// them: Client and PKCEClient share the harness's Storage, AdminClient has
// the service-role key "service-role" and PublicClient no session. A command
// that starts using another of the Factory's clients thus reaches the test's
// server without the test wiring it.
func (h *Harness) Connect(t *testing.T, url, apiKey string) {
	t.Helper()
	client := func(flow auth.FlowType, storage auth.Storage, serviceRoleKey string) *auth.Client {
		opts := auth.DefaultOptions()
		opts.URL, opts.APIKey, opts.ServiceRoleKey = url, apiKey, serviceRoleKey
		opts.Storage, opts.FlowType = storage, flow
		if h.Client != nil {
			opts.StorageKey = h.Client.StorageKey() // PKCE's code verifier beside the session
		}
		opts.AutoRefreshToken = false
		opts.Now = func() time.Time { return Now }
		c, err := auth.NewClient(opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}
	h.Client = nil
	h.Client = client(auth.FlowImplicit, h.Storage, "")
	h.PKCE = client(auth.FlowPKCE, h.Storage, "")
	admin := client(auth.FlowImplicit, nil, "service-role")
	public := client(auth.FlowImplicit, nil, "")
	h.F.Target = func() (*cmdutil.Target, error) {
		return &cmdutil.Target{Profile: config.DefaultProfile, AuthURL: url, ProjectURL: url, AnonKey: apiKey, FlowType: "implicit"}, nil
	}
	h.F.Client = func() (*auth.Client, error) { return h.Client, nil }
	h.F.PKCEClient = func() (*auth.Client, error) { return h.PKCE, nil }
	h.F.AdminClient = func() (*auth.Client, error) { return admin, nil }
	h.F.PublicClient = func() (*auth.Client, error) { return public, nil }
}

// Execute runs cmd with args, its own output discarded, and returns the exit
// code authctl would exit with.
func Execute(cmd *cobra.Command, args ...string) int {
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	return cmdutil.ExitCode(cmd.ExecuteContext(context.Background()))
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
