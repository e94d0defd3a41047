package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/keyring"
)

// statusJSON is the part of `status --json` these tests read.
type statusJSON struct {
	URL       string `json:"url"`
	URLSource string `json:"url_source"`
	SignedIn  bool   `json:"signed_in"`
	Keys      map[string]struct {
		Set    bool   `json:"set"`
		Source string `json:"source"`
		Format string `json:"format"`
		Role   string `json:"role"`
	} `json:"keys"`
	Storage struct {
		Key string `json:"key"`
	} `json:"storage"`
}

// status runs `status --json` (exit 0 signed in, 3 not) and decodes it.
func (e *env) status(args ...string) statusJSON {
	e.t.Helper()
	r := e.run("", append(args, "status", "--json")...)
	var st statusJSON
	if (r.Code != 0 && r.Code != 3) || json.Unmarshal([]byte(r.Stdout), &st) != nil {
		e.t.Fatalf("status: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	return st
}

// A session belongs to the Auth URL that issued it. Server B here is a front
// for the very server that issued the session, so the token would work
// there: only authctl's rule keeps it from being sent, and B's request log
// proves that nothing of it arrived.
func TestSessionIsNeverSentToAnotherServer(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	s := signUp(t, e, email)
	authA := e.status().URL

	for name, b := range map[string]*front{"bare server": newFront(t, bareServer), "project gateway": newFront(t, projectGateway)} {
		t.Run(name, func(t *testing.T) {
			for _, args := range [][]string{{"token"}, {"api", "/rest/v1/todos"}, {"user"}, {"session", "refresh"}} {
				r := e.mustRun(3, "", append([]string{"--url", b.URL}, args...)...)
				if !strings.Contains(r.Stderr, `profile "default" is signed in to `+authA) || !strings.Contains(r.Stderr, "--url "+authA) {
					t.Errorf("%v: the hint does not name %s:\n%s", args, authA, r.Stderr)
				}
				if r.Stdout != "" {
					t.Errorf("%v printed %q", args, r.Stdout)
				}
			}
			if st := e.status("--url", b.URL); st.SignedIn || st.URL == authA {
				t.Errorf("status on B: %+v", st)
			}
			b.mustNotHaveSeen(t, s.AccessToken, s.RefreshToken)

			// Signing in on B gives B its own session; A's stays A's.
			var res authResult
			e.jsonOut(&res, password+"\n", "--url", b.URL, "login", "password", "--email", email, "--password-stdin")
			if tok := strings.TrimSpace(e.mustRun(0, "", "--url", b.URL, "token").Stdout); tok != res.Session.AccessToken || tok == s.AccessToken {
				t.Error("B's token is not B's session")
			}
			e.mustRun(0, "", "--url", b.URL, "logout")
			b.mustNotHaveSeen(t, s.AccessToken, s.RefreshToken)
		})
	}
	if tok := strings.TrimSpace(e.mustRun(0, "", "token").Stdout); tok != s.AccessToken {
		t.Error("A's session changed")
	}
}

// Releases before per-URL keys stored every non-hosted session under
// sb-{profile}-auth-token. Such a session is used only by the Auth URL its
// token names as issuer (and then moved to that URL's key); one whose token
// names no issuer (the reference server and the emulator set none) is sent
// nowhere.
func TestLegacySessionStaysWithItsIssuer(t *testing.T) {
	e := newEnv(t)
	s := signUp(t, e, uniqueEmail(t))
	st := e.status()
	store := keyring.NewFile(filepath.Join(e.vars["AUTHCTL_CONFIG_DIR"], "sessions", "default.json"))
	ctx := context.Background()
	raw, ok, err := store.GetItem(ctx, st.Storage.Key)
	if err != nil || !ok {
		t.Fatalf("no session under %s: %v", st.Storage.Key, err)
	}
	// A release before per-URL keys kept no record of where a profile is
	// signed in: the state file goes with the move to the legacy key.
	legacy := func(session string) {
		t.Helper()
		if err := os.Remove(filepath.Join(e.vars["AUTHCTL_CONFIG_DIR"], "state.json")); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if err := store.RemoveItem(ctx, st.Storage.Key); err != nil {
			t.Fatal(err)
		}
		if err := store.SetItem(ctx, "sb-default-auth-token", session); err != nil {
			t.Fatal(err)
		}
	}

	// A real token without iss: not used, not even by the server that made it.
	legacy(raw)
	b := newFront(t, bareServer)
	for _, url := range []string{"", b.URL} {
		args := []string{"user"}
		if url != "" {
			args = append([]string{"--url", url}, args...)
		}
		r := e.mustRun(3, "", args...)
		if !strings.Contains(r.Stderr, "earlier authctl") || !strings.Contains(r.Stderr, "names no server") {
			t.Errorf("%v: hint does not explain the legacy session:\n%s", args, r.Stderr)
		}
	}
	b.mustNotHaveSeen(t, s.AccessToken, s.RefreshToken)

	// A token whose iss is this Auth URL (as hosted projects and `supabase
	// start` issue them) is used here and moved. `token` does not verify the
	// signature, so an unsigned token with the claim shows the rule.
	var sess map[string]any
	if err := json.Unmarshal([]byte(raw), &sess); err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	exp := time.Now().Add(time.Hour).Unix()
	tok := enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc([]byte(fmt.Sprintf(`{"iss":%q,"sub":"u","exp":%d,"aal":"aal1"}`, st.URL+"/", exp))) + ".c2ln"
	sess["access_token"], sess["expires_at"] = tok, exp
	b2, _ := json.Marshal(sess)
	legacy(string(b2))
	r := e.mustRun(3, "", "--url", b.URL, "token")
	if !strings.Contains(r.Stderr, "earlier authctl for "+st.URL) {
		t.Errorf("hint does not name the legacy session's issuer:\n%s", r.Stderr)
	}
	if got := strings.TrimSpace(e.mustRun(0, "", "token").Stdout); got != tok {
		t.Fatal("the legacy session was not used by its issuer")
	}
	if _, ok, _ := store.GetItem(ctx, "sb-default-auth-token"); ok {
		t.Error("the legacy key is still there after the move")
	}
	if _, ok, _ := store.GetItem(ctx, st.Storage.Key); !ok {
		t.Error("the session was not moved to its Auth URL's key")
	}
	b.mustNotHaveSeen(t, s.AccessToken, s.RefreshToken, tok)
}

// Every form in which a user gives a URL works, and status shows the Auth
// URL exactly as requests use it. A project gateway front stands in for
// https://REF.supabase.co and for `supabase start` (http://127.0.0.1:54321);
// a bare front for a GoTrue server on its own; a second in-process emulator
// is reached as http://localhost:PORT.
func TestEveryURLFormWorks(t *testing.T) {
	gw, bare := newFront(t, projectGateway), newFront(t, bareServer)
	emu := startOwnEmulator(t, nil)
	emuURL, emuKey := emu.URL, emu.AnonKey
	localhost := strings.Replace(emuURL, "127.0.0.1", "localhost", 1)
	for _, tc := range []struct{ name, url, auth, key string }{
		{"project", gw.URL, gw.URL + "/auth/v1", ""},
		{"project slash", gw.URL + "/", gw.URL + "/auth/v1", ""},
		{"project auth path", gw.URL + "/auth/v1", gw.URL + "/auth/v1", ""},
		{"project auth path slash", gw.URL + "/auth/v1/", gw.URL + "/auth/v1", ""},
		{"bare", bare.URL, bare.URL, ""},
		{"bare slash", bare.URL + "/", bare.URL, ""},
		{"emulator on localhost", localhost, localhost + "/auth/v1", emuKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.vars["SUPABASE_URL"] = tc.url
			if tc.key != "" {
				e.vars["SUPABASE_ANON_KEY"] = tc.key
			}
			email := uniqueEmail(t)
			s := signUp(t, e, email)
			var u struct {
				Email string `json:"email"`
			}
			e.jsonOut(&u, "", "user")
			if u.Email != email {
				t.Errorf("user: %q", u.Email)
			}
			st := e.status()
			if st.URL != tc.auth || !st.SignedIn || st.URLSource != "SUPABASE_URL" {
				t.Errorf("status: url %q (from %q), signed in %v; want %q", st.URL, st.URLSource, st.SignedIn, tc.auth)
			}
			if tok := strings.TrimSpace(e.mustRun(0, "", "token").Stdout); tok != s.AccessToken {
				t.Error("token is not the session's")
			}
		})
	}
}

// A URL where neither place the rule probes has an Auth API fails before
// any request with the URLs it tried and the setting that fixes it; a wrong
// explicit path gets a 404 hint naming the Auth URL and its source.
func TestURLWithoutAuthAPINamesWhatToChange(t *testing.T) {
	e := newEnv(t)
	none := newFront(t, nothingThere)
	e.vars["SUPABASE_URL"] = none.URL
	r := e.mustRun(2, password+"\n", "login", "password", "--email", uniqueEmail(t), "--password-stdin")
	for _, want := range []string{"GET " + none.URL + "/auth/v1/health answered HTTP 404", "GET " + none.URL + "/health answered HTTP 404",
		"--url " + none.URL + "/PATH", "the URL came from SUPABASE_URL"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.Stderr)
		}
	}

	bare := newFront(t, bareServer)
	e.vars["SUPABASE_URL"] = bare.URL + "/auth/v1"
	r = e.mustRun(1, password+"\n", "login", "password", "--email", uniqueEmail(t), "--password-stdin")
	if !strings.Contains(r.Stderr, "no such endpoint under the Auth URL "+bare.URL+"/auth/v1 (from SUPABASE_URL)") {
		t.Errorf("404 without a hint naming the URL:\n%s", r.Stderr)
	}
}

// Wrong keys are named: which key, what it is, where it came from, how to
// set it; a gateway's own hint is kept; status lists the keys' sources and
// never their values.
func TestWrongKeysAreNamed(t *testing.T) {
	for _, tc := range []struct{ name, key, code string }{
		{"anon key as service key", target.AnonKey, "not_admin"},
		{"garbage", "not-a-key", "bad_jwt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.vars["SUPABASE_SERVICE_ROLE_KEY"] = tc.key
			r := e.mustRun(1, "", "admin", "users", "list", "--per-page", "1")
			for _, want := range []string{"(" + tc.code + ")", "the service-role key from SUPABASE_SERVICE_ROLE_KEY is wrong",
				"authctl config set service-role-key"} {
				if !strings.Contains(r.Stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, r.Stderr)
				}
			}
			if tc.code == "not_admin" && !strings.Contains(r.Stderr, `role "anon"`) {
				t.Errorf("the key's role is not named:\n%s", r.Stderr)
			}
		})
	}

	gw := newFront(t, projectGateway)
	for _, tc := range []struct{ name, key, gateway, ours string }{
		{"no anon key", "", "No API key found in request (server hint: No `apikey` request header", "no anon key is set"},
		{"wrong anon key", "sb_publishable_wrong", "Invalid API key (server hint: Double check your Supabase", "the anon key from SUPABASE_ANON_KEY is wrong"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.vars["SUPABASE_URL"] = gw.URL
			e.vars["SUPABASE_ANON_KEY"] = tc.key
			r := e.mustRun(1, password+"\n", "login", "password", "--email", uniqueEmail(t), "--password-stdin")
			for _, want := range []string{tc.gateway, tc.ours, "SUPABASE_ANON_KEY", "authctl config set anon-key"} {
				if !strings.Contains(r.Stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, r.Stderr)
				}
			}
		})
	}

	e := newEnv(t).withAdmin()
	r := e.run("", "status", "--json")
	st := e.status()
	if a := st.Keys["anon"]; !a.Set || a.Source != "SUPABASE_ANON_KEY" {
		t.Errorf("anon key: %+v", a)
	}
	if s := st.Keys["service_role"]; !s.Set || s.Source != "SUPABASE_SERVICE_ROLE_KEY" || (s.Format == "jwt" && s.Role != "service_role") {
		t.Errorf("service-role key: %+v", s)
	}
	for _, k := range []string{target.AnonKey, target.ServiceRoleKey} {
		if strings.Contains(r.Stdout+r.Stderr, k) {
			t.Error("status printed a key")
		}
	}
}
