package token

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// refreshHandler answers refresh_token grants with a fresh session and fails
// anything else.
func refreshHandler(t *testing.T, newToken string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/token" || r.URL.Query().Get("grant_type") != "refresh_token" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusTeapot)
			return
		}
		s := cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-2")
		s.AccessToken = newToken
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s)
	}
}

func TestTokenValidSessionMakesNoRequest(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	s := cmdutiltest.Session(cmdutiltest.Now.Add(30*time.Minute), "rt-1")
	h.Store(t, s)

	if err := runToken(context.Background(), &Options{F: h.F, Client: h.F.Client}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(h.Stdout.String()); got != s.AccessToken {
		t.Errorf("stdout = %q, want the stored access token alone", got)
	}
	if n := h.Requests.Load(); n != 0 {
		t.Errorf("%d requests for a valid session, want 0", n)
	}
}

func TestTokenExpiredSessionRefreshesOnce(t *testing.T) {
	fresh := cmdutiltest.JWT(map[string]any{"sub": "u-1", "exp": cmdutiltest.Now.Add(time.Hour).Unix()})
	h := cmdutiltest.New(t, refreshHandler(t, fresh))
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(-time.Minute), "rt-1"))

	if err := runToken(context.Background(), &Options{F: h.F, Client: h.F.Client}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(h.Stdout.String()); got != fresh {
		t.Errorf("stdout = %q, want the refreshed token", got)
	}
	if n := h.Requests.Load(); n != 1 {
		t.Errorf("%d requests, want exactly one refresh", n)
	}
	if st := h.Stored(t); st == nil || st.RefreshToken != "rt-2" {
		t.Errorf("stored session after refresh = %+v, want refresh token rt-2", st)
	}
}

func TestTokenMinTTLForcesRefresh(t *testing.T) {
	fresh := cmdutiltest.JWT(map[string]any{"sub": "u-1"})
	h := cmdutiltest.New(t, refreshHandler(t, fresh))
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(5*time.Minute), "rt-1"))

	if err := runToken(context.Background(), &Options{F: h.F, Client: h.F.Client, MinTTL: 10 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(h.Stdout.String()); got != fresh {
		t.Errorf("stdout = %q, want a token refreshed for --min-ttl", got)
	}
}

func TestTokenNotSignedInExits3(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	err := runToken(context.Background(), &Options{F: h.F, Client: h.F.Client})
	if code := cmdutil.ExitCode(err); code != cmdutil.ExitNotSignedIn {
		t.Fatalf("exit code %d (%v), want %d", code, err, cmdutil.ExitNotSignedIn)
	}
	if h.Stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", h.Stdout.String())
	}
}

func TestTokenNegativeMinTTLIsUsageError(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	cmd := NewCmdToken(h.F, func(context.Context, *Options) error { return nil })
	cmd.SetArgs([]string{"--min-ttl", "-1m"})
	cmd.SetOut(h.Stdout)
	cmd.SetErr(h.Stderr)
	if code := cmdutil.ExitCode(cmd.Execute()); code != cmdutil.ExitUsage {
		t.Fatalf("exit code %d, want %d", code, cmdutil.ExitUsage)
	}
}
