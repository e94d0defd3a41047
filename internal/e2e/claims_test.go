package e2e

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// claimsResult is `authctl claims --json`.
type claimsResult struct {
	Claims   map[string]any `json:"claims"`
	Header   struct{ Alg, Kid string }
	Verified bool   `json:"verified"`
	Reason   string `json:"reason"`
}

// errorResult is the --json error object on stderr.
type errorResult struct {
	Error struct {
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"error"`
}

// envFor is newEnv pointed at srv instead of the shared target.
func envFor(t *testing.T, srv *server) *env {
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = srv.URL
	e.vars["SUPABASE_ANON_KEY"] = srv.AnonKey
	return e
}

// forgedJWT is an HS256-looking token with claims and a signature nobody
// made: decoding works, verification cannot.
func forgedJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	p, _ := json.Marshal(claims)
	return enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString([]byte("forged"))
}

// claimsResult carries verified_by and session_checked too.
type claimsOutcome struct {
	claimsResult
	VerifiedBy     string `json:"verified_by"`
	SessionChecked bool   `json:"session_checked"`
}

// forgeSignature changes one character in the middle of a token's signature
// (the last character may only carry padding bits, which decode the same).
func forgeSignature(token string) string {
	i := strings.LastIndex(token, ".") + 10
	c := byte('A')
	if token[i] == 'A' {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}

// wantRejected checks that claims refused the token with exit code 1, the
// server's code, and without quoting it.
func wantRejected(t *testing.T, r result, code, token string) {
	t.Helper()
	if r.Code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", r.Code, r.Stdout, r.Stderr)
	}
	if _, msg, c := errorJSON(t, r); c == nil || *c != code || !strings.Contains(msg, "rejected") {
		t.Errorf("error %q code %v, want a rejection with code %s", msg, c, code)
	}
	if r.Stdout != "" || strings.Contains(r.Stderr, token) {
		t.Errorf("stdout %q; stderr quotes the token: %v", r.Stdout, strings.Contains(r.Stderr, token))
	}
}

// The shared target (the real server and the default emulator both sign
// with HS256, whose secret is not published): the server verifies the
// token (GET /user), as the reference client's getClaims does; a forged
// signature fails; --offline decodes without verifying.
func TestClaimsHS256VerifiedByServer(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	s := signUp(t, e, email)

	var res claimsOutcome
	e.jsonOut(&res, "", "claims")
	if res.Claims["sub"] != s.User.ID || res.Claims["email"] != email {
		t.Errorf("claims sub/email = %v/%v, want %s/%s", res.Claims["sub"], res.Claims["email"], s.User.ID, email)
	}
	if res.Header.Alg != "HS256" {
		t.Fatalf("the server signs with %s; the shared targets sign with HS256", res.Header.Alg)
	}
	if !res.Verified || res.VerifiedBy != "server" || !res.SessionChecked || res.Reason != "" {
		t.Errorf("HS256 session token: %+v, want verified by the server", res)
	}
	// The same token given as an argument and on stdin.
	r := e.mustRun(0, "", "claims", s.AccessToken)
	if !strings.Contains(r.Stdout, "verified by the server (HS256); session active") || r.Stderr != "" {
		t.Errorf("human output:\nstdout: %s\nstderr: %s", r.Stdout, r.Stderr)
	}
	e.jsonOut(&res, s.AccessToken+"\n", "claims", "-")
	if !res.Verified || res.Claims["sub"] != s.User.ID {
		t.Errorf("claims - : %+v", res)
	}

	// One character of the signature changed: the server refuses it.
	forged := forgeSignature(s.AccessToken)
	wantRejected(t, e.run(forged+"\n", "claims", "-", "--json"), "bad_jwt", forged)
	wantRejected(t, e.run("", "claims", forged, "--check-session", "--json"), "bad_jwt", forged)

	// --offline sends nothing: decoded, NOT verified, a warning, exit 0.
	e.jsonOut(&res, "", "claims", forged, "--offline")
	if res.Verified || res.SessionChecked || !strings.Contains(res.Reason, "HS256") {
		t.Errorf("--offline: %+v", res)
	}
	r = e.mustRun(0, "", "claims", forged, "--offline")
	if !strings.Contains(r.Stdout, "NOT verified") || !strings.Contains(r.Stderr, "NOT verified") {
		t.Errorf("--offline human output:\nstdout: %s\nstderr: %s", r.Stdout, r.Stderr)
	}
	wantFail(t, e.run("", "claims", "--offline", "--check-session"), 2, "cannot be combined")
}

// "Is this session still alive?": a token whose session was signed out, or
// whose user was banned or deleted, is refused although its signature is
// the server's own.
func TestClaimsDeadSessions(t *testing.T) {
	e := newEnv(t)

	// Signed out (scope local): the token is still unexpired, but the
	// server checks the session_id claim.
	s := signUp(t, e, uniqueEmail(t))
	e.mustRun(0, "", "logout", "--scope", "local")
	wantRejected(t, e.run(s.AccessToken+"\n", "claims", "-", "--json"), "session_not_found", s.AccessToken)
	wantRejected(t, e.run(s.AccessToken+"\n", "claims", "-", "--check-session", "--json"), "session_not_found", s.AccessToken)

	// The stored session, signed out from elsewhere: "not signed in" (3),
	// and the dead session is removed.
	s = signUp(t, e, uniqueEmail(t))
	other := newEnv(t)
	other.mustRun(0, s.AccessToken+"\n", "session", "set", "--access-token-stdin", "--refresh-token", s.RefreshToken)
	other.mustRun(0, "", "logout", "--scope", "local")
	if r := e.run("", "claims", "--json"); r.Code != 3 {
		t.Errorf("stored session signed out elsewhere: exit %d, want 3\n%s", r.Code, r.Stderr)
	}
	if r := e.run("", "token"); r.Code != 3 {
		t.Errorf("the dead session was kept: token exit %d", r.Code)
	}

	// Banned, then deleted.
	s = signUp(t, e, uniqueEmail(t))
	if code := apiCall(t, "PUT", "/admin/users/"+s.User.ID, target.ServiceRoleKey, map[string]any{"ban_duration": "24h"}, nil); code != 200 {
		t.Fatalf("ban: status %d", code)
	}
	wantRejected(t, e.run(s.AccessToken+"\n", "claims", "-", "--json"), "user_banned", s.AccessToken)
	if code := apiCall(t, "DELETE", "/admin/users/"+s.User.ID, target.ServiceRoleKey, nil, nil); code != 200 {
		t.Fatalf("delete: status %d", code)
	}
	wantRejected(t, e.run(s.AccessToken+"\n", "claims", "-", "--json"), "user_not_found", s.AccessToken)
	// Offline cannot know: it decodes (exit 0, NOT verified).
	var res claimsOutcome
	e.jsonOut(&res, s.AccessToken+"\n", "claims", "-", "--offline")
	if res.Verified || res.Claims["sub"] != s.User.ID {
		t.Errorf("--offline of a deleted user's token: %+v", res)
	}
}

func TestClaimsBadTokens(t *testing.T) {
	e := newEnv(t)
	expired := forgedJWT(map[string]any{"sub": "u-1", "exp": time.Now().Add(-time.Hour).Unix()})
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"garbage", []string{"claims", "not.a-jwt"}, 1, "JWT"},
		{"two parts", []string{"claims", "abc.def"}, 1, "JWT"},
		{"expired", []string{"claims", expired}, 1, "expired"},
		{"no exp", []string{"claims", forgedJWT(map[string]any{"sub": "u-1"})}, 1, "exp"},
		{"unsigned", []string{"claims", strings.Replace(expired, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
			base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)), 1), "--allow-expired"}, 1, "not signed"},
		{"two arguments", []string{"claims", expired, expired}, 2, "too many"},
		{"not signed in", []string{"claims"}, 3, "not signed in"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.mustRun(c.code, "", append(c.args, "--json")...)
			var er errorResult
			if err := json.Unmarshal([]byte(r.Stderr), &er); err != nil || !strings.Contains(er.Error.Message, c.msg) {
				t.Errorf("stderr %q (%v), want a JSON error mentioning %q", r.Stderr, err, c.msg)
			}
			if r.Stdout != "" {
				t.Errorf("stdout %q, want nothing", r.Stdout)
			}
			if strings.Contains(r.Stderr, expired) {
				t.Error("the error quotes the token")
			}
		})
	}
	// --allow-expired decodes the expired token, still unverified.
	var res claimsResult
	e.jsonOut(&res, "", "claims", expired, "--allow-expired")
	if res.Verified || res.Claims["sub"] != "u-1" {
		t.Errorf("--allow-expired: %+v", res)
	}
}

// A server signing with ES256: the token verifies against the JWKS, the
// JWKS is cached on disk, and a tampered token or a foreign key fails.
func TestClaimsAsymmetricVerifiedAndCached(t *testing.T) {
	srv := serverWith(t, "ASYMMETRIC")
	e := envFor(t, srv)
	s := signUp(t, e, uniqueEmail(t))

	var res claimsResult
	e.jsonOut(&res, "", "claims")
	if !res.Verified || res.Header.Alg != "ES256" || res.Claims["sub"] != s.User.ID {
		t.Fatalf("ES256 session token: %+v, want verified", res)
	}
	files, _ := filepath.Glob(filepath.Join(e.vars["AUTHCTL_CONFIG_DIR"], "cache", "jwks-*.json"))
	if len(files) != 1 {
		t.Fatalf("JWKS cache files %v, want one", files)
	}
	if st, err := os.Stat(files[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("cache file: %v %v, want mode 0600", st, err)
	}

	// A second run is served from the cache: the file is not rewritten
	// (a rewrite is atomic, a new file renamed over the old one, so it
	// shows without waiting for the clock to move).
	before, _ := os.Stat(files[0])
	if r := e.mustRun(0, "", "claims", s.AccessToken); !strings.Contains(r.Stdout, "signature verified") {
		t.Errorf("human output: %s", r.Stdout)
	}
	if after, err := os.Stat(files[0]); err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the JWKS cache was rewritten within its 10 minutes (%v)", err)
	}

	// Tampered payload: same header and signature, other claims.
	parts := strings.Split(s.AccessToken, ".")
	c := claims(t, s.AccessToken)
	c["role"] = "service_role"
	p, _ := json.Marshal(c)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(p) + "." + parts[2]
	r := e.mustRun(1, "", "claims", tampered, "--json")
	if !strings.Contains(r.Stderr, "invalid JWT signature") {
		t.Errorf("tampered token: %s", r.Stderr)
	}

	// --check-session asks the server too: alive now, refused once the
	// session is signed out, although the signature still verifies.
	var out claimsOutcome
	e.jsonOut(&out, "", "claims", "--check-session")
	if !out.Verified || out.VerifiedBy != "jwks" || !out.SessionChecked {
		t.Errorf("--check-session: %+v", out)
	}
	e.jsonOut(&out, "", "claims")
	if out.VerifiedBy != "jwks" || out.SessionChecked {
		t.Errorf("without --check-session the server is not asked: %+v", out)
	}
	other := envFor(t, srv)
	other.mustRun(0, s.AccessToken+"\n", "session", "set", "--access-token-stdin", "--refresh-token", s.RefreshToken)
	other.mustRun(0, "", "logout", "--scope", "local")
	e.jsonOut(&out, s.AccessToken+"\n", "claims", "-")
	if !out.Verified || out.SessionChecked {
		t.Errorf("signed-out session, signature only: %+v", out)
	}
	wantRejected(t, e.run(s.AccessToken+"\n", "claims", "-", "--check-session", "--json"), "session_not_found", s.AccessToken)

	// --jwks FILE: the published set verifies offline; another set does not.
	jwks := filepath.Join(e.dir, "jwks.json")
	writeFile(t, jwks, mustGet(t, strings.TrimSuffix(srv.URL, "/")+"/.well-known/jwks.json"))
	e.jsonOut(&res, "", "claims", s.AccessToken, "--jwks", jwks)
	if !res.Verified {
		t.Errorf("--jwks with the published set: %+v", res)
	}
	writeFile(t, jwks, []byte(`{"keys":[]}`))
	e.mustRun(1, "", "claims", s.AccessToken, "--jwks", jwks)
	writeFile(t, jwks, []byte(`not json`))
	e.mustRun(2, "", "claims", s.AccessToken, "--jwks", jwks)
}

// mustGet fetches url (a loopback server) and returns the body.
func mustGet(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}
