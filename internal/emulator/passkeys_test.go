package emulator

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/softauthn"
)

// What the e2e tests cannot see on a real server in reasonable time:
// challenge expiry, passkeys kept in the data file, a deleted user's
// passkeys, a relying party go-webauthn refuses. The wire format itself is
// tested against the real server by internal/e2e/passkeys_test.go.

const testOrigin = "http://localhost:3000"

// passkeyClock is a settable Config.Now.
type passkeyClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *passkeyClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *passkeyClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type ceremony struct {
	ChallengeID string          `json:"challenge_id"`
	Options     json.RawMessage `json:"options"`
}

func signedUp(t *testing.T, base string) (id, token string) {
	t.Helper()
	var s struct {
		AccessToken string              `json:"access_token"`
		User        struct{ ID string } `json:"user"`
	}
	call(t, "POST", base+"/signup", "", map[string]string{"email": "pk@example.com", "password": "correct-horse-9"}, &s)
	return s.User.ID, s.AccessToken
}

// ceremonyAnswer asks for options at path and lets do answer them.
func ceremonyAnswer(t *testing.T, base, path, token string, do func([]byte) ([]byte, error)) map[string]any {
	t.Helper()
	var c ceremony
	if resp := call(t, "POST", base+path, token, map[string]any{}, &c); resp.StatusCode != 200 {
		t.Fatalf("%s: %d", path, resp.StatusCode)
	}
	cred, err := do(c.Options)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"challenge_id": c.ChallengeID, "credential": json.RawMessage(cred)}
}

func register(t *testing.T, base, token string, a *softauthn.Authenticator) {
	t.Helper()
	body := ceremonyAnswer(t, base, "/passkeys/registration/options", token, a.Create)
	if resp := call(t, "POST", base+"/passkeys/registration/verify", token, body, nil); resp.StatusCode != 200 {
		t.Fatalf("registration: %d", resp.StatusCode)
	}
}

func signInBody(t *testing.T, base string, a *softauthn.Authenticator) map[string]any {
	t.Helper()
	return ceremonyAnswer(t, base, "/passkeys/authentication/options", "", a.Get)
}

func TestPasskeyChallengeExpires(t *testing.T) {
	clock := &passkeyClock{t: time.Now()}
	_, ts := newTestServer(t, func(c *Config) { c.Passkeys, c.Now = true, clock.now })
	a := softauthn.New(testOrigin)
	_, token := signedUp(t, ts.URL)
	register(t, ts.URL, token, a)
	body := signInBody(t, ts.URL, a)
	clock.add(passkeyChallengeTTL)
	var e apiErr
	resp := call(t, "POST", ts.URL+"/passkeys/authentication/verify", "", body, &e)
	wantErr(t, "a sign-in after five minutes", resp, e, 400, "webauthn_challenge_expired", "Challenge has expired")
	resp = call(t, "POST", ts.URL+"/passkeys/authentication/verify", "", body, &e)
	wantErr(t, "the expired challenge again", resp, e, 400, "webauthn_challenge_not_found", "Challenge not found or already used")
}

// Passkeys are kept in the data file with their public keys: a restarted
// emulator signs their users in.
func TestPasskeysPersist(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	srv, ts := newTestServer(t, func(c *Config) { c.Passkeys, c.DataFile = true, file })
	a := softauthn.New(testOrigin)
	id, token := signedUp(t, ts.URL)
	register(t, ts.URL, token, a)
	srv.mu.Lock()
	err := srv.st.save(file)
	srv.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	_, ts2 := newTestServer(t, func(c *Config) { c.Passkeys, c.DataFile = true, file })
	var s struct {
		User struct{ ID string } `json:"user"`
	}
	if resp := call(t, "POST", ts2.URL+"/passkeys/authentication/verify", "", signInBody(t, ts2.URL, a), &s); resp.StatusCode != 200 || s.User.ID != id {
		t.Errorf("sign-in after a restart: %d %+v", resp.StatusCode, s)
	}
}

// Deleting a user deletes their passkeys: the credential no longer signs in.
func TestPasskeysGoWithTheirUser(t *testing.T) {
	srv, ts := newTestServer(t, func(c *Config) { c.Passkeys = true })
	a := softauthn.New(testOrigin)
	id, token := signedUp(t, ts.URL)
	register(t, ts.URL, token, a)
	call(t, "DELETE", ts.URL+"/admin/users/"+id, srv.ServiceRoleKey(), nil, nil)
	if n := len(srv.st.Passkeys); n != 0 {
		t.Errorf("%d passkeys left", n)
	}
	var e apiErr
	resp := call(t, "POST", ts.URL+"/passkeys/authentication/verify", "", signInBody(t, ts.URL, a), &e)
	wantErr(t, "a deleted user's passkey", resp, e, 400, "webauthn_verification_failed", "Credential verification failed")
}

// A relying party go-webauthn refuses (an IP address as RP ID) stops the
// emulator at start, not at the first ceremony; off, it is not checked.
func TestPasskeysRelyingPartyChecked(t *testing.T) {
	cfg := DefaultConfig()
	cfg.WebAuthnRPID = "127.0.0.1"
	if _, err := New(cfg); err != nil {
		t.Errorf("passkeys off: %v", err)
	}
	cfg.Passkeys = true
	if _, err := New(cfg); err == nil {
		t.Error("passkeys on an IP address RP ID: no error")
	}
	srv, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	var settings struct {
		Passkeys bool `json:"passkeys_enabled"`
	}
	call(t, "GET", ts.URL+"/settings", "", nil, &settings)
	if settings.Passkeys {
		t.Error("settings say passkeys are on by default")
	}
}
