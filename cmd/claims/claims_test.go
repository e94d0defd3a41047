package claims

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// es256 returns a key and a token signed with it carrying claims.
func es256(t *testing.T, claims map[string]any) (*ecdsa.PrivateKey, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return key, tok
}

func jwksOf(key *ecdsa.PrivateKey) []byte {
	b, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	return b
}

func newOpts(h *cmdutiltest.Harness, dir string) *Options {
	return &Options{F: h.F, Client: h.F.Client, CacheDir: func() (string, error) { return dir, nil }}
}

func TestClaimsVerifiesAgainstJWKSAndCachesOnDisk(t *testing.T) {
	key, tok := es256(t, map[string]any{"sub": "u-1", "exp": cmdutiltest.Now.Add(time.Hour).Unix()})
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/jwks.json" {
			t.Errorf("unexpected request %s", r.URL.Path)
		}
		_, _ = w.Write(jwksOf(key))
	})
	h.F.Flags.JSON = true
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		h.Stdout.Reset()
		o := newOpts(h, dir)
		o.Token = tok
		if err := runClaims(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		var out struct {
			Verified bool           `json:"verified"`
			Claims   map[string]any `json:"claims"`
		}
		if err := json.Unmarshal(h.Stdout.Bytes(), &out); err != nil || !out.Verified || out.Claims["sub"] != "u-1" {
			t.Fatalf("run %d: %v %s", i, err, h.Stdout)
		}
	}
	if n := h.Requests.Load(); n != 1 {
		t.Errorf("%d JWKS fetches for two runs, want 1 (cached on disk)", n)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "jwks-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	if st, err := os.Stat(files[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v %v, want 0600", st.Mode(), err)
	}
}

func TestClaimsHS256IsVerifiedByTheServer(t *testing.T) {
	token := cmdutiltest.JWT(map[string]any{"sub": "u-1", "exp": cmdutiltest.Now.Add(time.Hour).Unix()})
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/user" || r.Header.Get("Authorization") != "Bearer "+token {
			t.Errorf("unexpected request %s", r.URL.Path)
		}
		_, _ = w.Write([]byte(`{"id":"u-1"}`))
	})
	o := newOpts(h, t.TempDir())
	o.Token = token
	if err := runClaims(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if out := h.Stdout.String(); !strings.Contains(out, "verified by the server (HS256); session active") {
		t.Errorf("human output %q", out)
	}
	if h.Stderr.Len() != 0 {
		t.Errorf("stderr %q for a verified token", h.Stderr)
	}
}

func TestClaimsOfflineHS256IsReportedUnverified(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	h.F.Flags.JSON = true
	o := newOpts(h, t.TempDir())
	o.Token = cmdutiltest.JWT(map[string]any{"sub": "u-1", "exp": cmdutiltest.Now.Add(time.Hour).Unix()})
	o.Offline = true
	if err := runClaims(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Verified bool   `json:"verified"`
		Reason   string `json:"reason"`
	}
	if err := json.Unmarshal(h.Stdout.Bytes(), &out); err != nil || out.Verified || out.Reason == "" {
		t.Fatalf("%v %s", err, h.Stdout)
	}
	if h.Stderr.Len() == 0 {
		t.Error("no warning on stderr for an unverified token")
	}
	if n := h.Requests.Load(); n != 0 {
		t.Errorf("%d requests offline", n)
	}
}

// The server's refusal of a token given as an argument is exit code 1 with
// the server's code, whatever the code: the token is not this profile's
// session, so "not signed in" (3) would be wrong.
func TestClaimsRejectedByServer(t *testing.T) {
	for _, code := range []string{"bad_jwt", "session_not_found", "user_not_found", "user_banned"} {
		h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"code":"` + code + `","message":"refused"}`))
		})
		o := newOpts(h, t.TempDir())
		o.Token = cmdutiltest.JWT(map[string]any{"sub": "u-1", "exp": cmdutiltest.Now.Add(time.Hour).Unix()})
		err := runClaims(context.Background(), o)
		if got := cmdutil.ExitCode(err); got != cmdutil.ExitError || auth.ErrorCode(err) != code {
			t.Errorf("%s: exit %d, code %q (%v)", code, got, auth.ErrorCode(err), err)
		}
	}
}

func TestClaimsBadInput(t *testing.T) {
	_, expired := es256(t, map[string]any{"sub": "u-1", "exp": cmdutiltest.Now.Add(-time.Hour).Unix()})
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwksFile := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(jwksFile, jwksOf(other), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, token, jwks string
		allowExpired      bool
		code              int
	}{
		{"expired", expired, "", false, cmdutil.ExitError},
		{"garbage", "not-a-jwt", "", false, cmdutil.ExitError},
		{"wrong key", expired, jwksFile, true, cmdutil.ExitError},
		{"missing jwks file", expired, filepath.Join(t.TempDir(), "none.json"), true, cmdutil.ExitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := cmdutiltest.New(t, nil)
			o := newOpts(h, t.TempDir())
			o.Token, o.JWKSFile, o.AllowExpired = c.token, c.jwks, c.allowExpired
			err := runClaims(context.Background(), o)
			if got := cmdutil.ExitCode(err); got != c.code {
				t.Fatalf("exit %d (%v), want %d", got, err, c.code)
			}
			if c.code == cmdutil.ExitError && !auth.IsAuthError(err) {
				t.Errorf("error %T is not an auth error", err)
			}
		})
	}
}

func TestClaimsWithoutSessionExits3(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	err := runClaims(context.Background(), newOpts(h, t.TempDir()))
	if got := cmdutil.ExitCode(err); got != cmdutil.ExitNotSignedIn {
		t.Fatalf("exit %d (%v), want 3", got, err)
	}
}
