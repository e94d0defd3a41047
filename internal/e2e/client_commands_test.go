package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The spec's §18 rows for the client commands (issue 5), one test per row,
// named after it. Each runs on the emulator and on a real server.

const (
	phonePassword = "+15555550100" // PH rows (sign-up and sign-in with a password)
	phoneOTP      = "+15555550101" // OT rows (OTP sign-in with the test code)
	phoneResend   = "+15555550102" // RS rows
	testOTP       = "123456"
)

// ---- SU: sign-up ----

func TestSU01SignUpEmailPassword(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	var res authResult
	e.jsonOut(&res, password+"\n", "signup", "--email", email, "--password-stdin")
	if res.User.ID == "" || res.User.Email != email {
		t.Fatalf("user = %+v", res.User)
	}
}

func TestSU02SignUpWithMetadata(t *testing.T) {
	e := newEnv(t)
	var res authResult
	e.jsonOut(&res, password+"\n", "signup", "--email", uniqueEmail(t), "--password-stdin", "--data", `{"team":"qa"}`)
	if res.User.UserMetadata["team"] != "qa" {
		t.Fatalf("user_metadata = %v", res.User.UserMetadata)
	}
}

func TestSU03SignUpInvalidEmail(t *testing.T) {
	r := newEnv(t).mustRun(2, password+"\n", "signup", "--email", "not-an-email", "--password-stdin")
	if !strings.Contains(r.Stderr, `"not-an-email"`) {
		t.Errorf("stderr %q does not name the value", r.Stderr)
	}
}

func TestSU04SignUpWeakPassword(t *testing.T) {
	r := newEnv(t).mustRun(1, "abc\n", "signup", "--email", uniqueEmail(t), "--password-stdin", "--json")
	var body struct {
		Error struct {
			Name    string   `json:"name"`
			Reasons []string `json:"reasons"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Stderr), &body); err != nil || body.Error.Name != "AuthWeakPasswordError" || len(body.Error.Reasons) == 0 {
		t.Fatalf("stderr %s (%v)", r.Stderr, err)
	}
}

func TestSU05SignUpWithoutEmailOrPhone(t *testing.T) {
	r := newEnv(t).mustRun(2, "", "--no-input", "signup", "--password-stdin")
	if !strings.Contains(r.Stderr, "--email") {
		t.Errorf("stderr %q does not name the flag", r.Stderr)
	}
}

func TestSU06SignUpTwice(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	r := e.mustRun(1, password+"\n", "signup", "--email", email, "--password-stdin", "--json")
	if name, msg, code := errorJSON(t, r); name != "AuthApiError" || code == nil || *code != "user_already_exists" || msg == "" {
		t.Errorf("error = %s %q %v", name, msg, code)
	}
}

func TestSU07SignUpPKCESendsChallenge(t *testing.T) {
	rec := newRecorder(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = rec.URL
	e.vars["AUTHCTL_FLOW_TYPE"] = "pkce" // as the profile's flow-type: pkce
	var res authResult
	e.jsonOut(&res, password+"\n", "signup", "--email", uniqueEmail(t), "--password-stdin")
	req := rec.find(t, "POST", "/signup")
	if !strings.Contains(req, `"code_challenge":"`) || !strings.Contains(req, `"code_challenge_method":"s256"`) {
		t.Errorf("sign-up request without a code challenge: %s", req)
	}
}

// ---- SI: sign-in with a password ----

func TestSI01SignInWithPassword(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	var res authResult
	e.jsonOut(&res, password+"\n", "login", "password", "--email", email, "--password-stdin")
	s := res.Session
	if s == nil || s.AccessToken == "" || s.RefreshToken == "" || s.ExpiresIn <= 0 || s.ExpiresAt == 0 {
		t.Fatalf("session = %+v", s)
	}
	if res.User.ID == "" || res.User.Email != email || res.User.AppMetadata["provider"] != "email" {
		t.Fatalf("user = %+v", res.User)
	}
}

func TestSI02SignInWrongPassword(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	e.mustRun(0, "", "logout")
	r := e.mustRun(1, "wrong-password\n", "login", "password", "--email", email, "--password-stdin", "--json")
	if _, _, code := errorJSON(t, r); code == nil || *code != "invalid_credentials" || r.Stdout != "" {
		t.Errorf("stdout %q stderr %s", r.Stdout, r.Stderr)
	}
	e.mustRun(3, "", "session") // no session was stored
}

func TestSI03SignInWithoutEmailOrPhone(t *testing.T) {
	r := newEnv(t).mustRun(2, password+"\n", "--no-input", "login", "password", "--password-stdin")
	if !strings.Contains(r.Stderr, "--email or --phone") {
		t.Errorf("stderr %q", r.Stderr)
	}
}

func TestSI04SignInSendsCaptchaToken(t *testing.T) {
	rec := newRecorder(t)
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	e.vars["SUPABASE_URL"] = rec.URL
	e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin", "--captcha-token", "captcha-xyz")
	if req := rec.find(t, "POST", "/token"); !strings.Contains(req, `"captcha_token":"captcha-xyz"`) {
		t.Errorf("token request without the captcha token: %s", req)
	}
}

// ---- PH: phone and password ----

func TestPH01to03PhonePassword(t *testing.T) {
	freshPhone(t, phonePassword)
	e := newEnv(t)
	digits := strings.TrimPrefix(phonePassword, "+")
	t.Run("PH-01 sign up with phone and password", func(t *testing.T) {
		var res authResult
		e.jsonOut(&res, password+"\n", "signup", "--phone", phonePassword, "--password-stdin")
		if res.User.Phone != digits {
			t.Fatalf("phone = %q, want %q", res.User.Phone, digits)
		}
	})
	t.Run("PH-02 sign in with phone and password", func(t *testing.T) {
		var res authResult
		e.jsonOut(&res, password+"\n", "login", "password", "--phone", phonePassword, "--password-stdin")
		if res.Session == nil || res.User.PhoneConfirmedAt == "" {
			t.Fatalf("result = %+v", res)
		}
	})
	t.Run("PH-03 sign in with a wrong phone", func(t *testing.T) {
		r := e.mustRun(1, password+"\n", "login", "password", "--phone", "+15555550199", "--password-stdin", "--json")
		if _, _, code := errorJSON(t, r); code == nil || *code != "invalid_credentials" {
			t.Errorf("stderr %s", r.Stderr)
		}
	})
}

// ---- OT: one-time codes ----

func TestOT01SendOTPToEmail(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	r := e.mustRun(0, "", "login", "otp", "--email", email, "--json")
	if strings.TrimSpace(r.Stdout) != "{\n  \"message_id\": null\n}" {
		t.Errorf("stdout %q", r.Stdout)
	}
	e.mustRun(3, "", "session") // sending signs nobody in
	// Without --json it says how to finish.
	email2 := uniqueEmail(t) + ".org"
	if r := e.mustRun(0, "", "login", "otp", "--email", email2); !strings.Contains(r.Stdout, "--code-stdin") {
		t.Errorf("stdout %q does not say how to finish", r.Stdout)
	}
}

func TestOT02and04SendAndVerifyPhoneOTP(t *testing.T) {
	e := newEnv(t)
	t.Run("OT-02 send OTP to phone", func(t *testing.T) {
		e.mustRun(0, "", "login", "otp", "--phone", phoneOTP, "--json")
	})
	t.Run("OT-04 verify OTP with a valid token (phone)", func(t *testing.T) {
		var res authResult
		e.jsonOut(&res, testOTP+"\n", "login", "otp", "--phone", phoneOTP, "--code-stdin")
		if res.Session == nil || res.User.Phone != strings.TrimPrefix(phoneOTP, "+") {
			t.Fatalf("result = %+v", res)
		}
		e.mustRun(0, "", "user")
	})
}

func TestOT03OTPWithoutEmailOrPhone(t *testing.T) {
	r := newEnv(t).mustRun(2, "", "--no-input", "login", "otp")
	if !strings.Contains(r.Stderr, "--email") {
		t.Errorf("stderr %q", r.Stderr)
	}
}

func TestOT04VerifyEmailOTP(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	e.mustRun(0, "", "logout")
	link := generateLink(t, "magiclink", email)
	var res authResult
	e.jsonOut(&res, "", "login", "otp", "--email", email, "--code", link.EmailOTP)
	if res.Session == nil || res.User.Email != email {
		t.Fatalf("result = %+v", res)
	}
	// verify with a token hash signs in too.
	e2 := newEnv(t)
	hash := generateLink(t, "magiclink", email).HashedToken
	e2.jsonOut(&res, "", "verify", "--type", "magiclink", "--token-hash", hash)
	if res.Session == nil || res.User.Email != email {
		t.Fatalf("verify --token-hash: %+v", res)
	}
}

func TestOT05VerifyInvalidOTP(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	r := e.mustRun(1, "000000\n", "verify", "--type", "email", "--email", email, "--token-stdin", "--json")
	if _, msg, _ := errorJSON(t, r); msg != "Token has expired or is invalid" {
		t.Errorf("message %q", msg)
	}
}

// ---- IT: ID tokens ----

// The ID tokens come from the target's identity provider (providerIDToken).

func TestIT01SignInWithIDToken(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	tok := providerIDToken(t, email)
	var res authResult
	e.jsonOut(&res, tok+"\n", "login", "id-token", "--provider", testProvider, "--token-stdin")
	if res.Session == nil || res.User.Email != email || res.User.AppMetadata["provider"] != testProvider {
		t.Fatalf("result = %+v", res)
	}
}

func TestIT02IDTokenSendsAccessToken(t *testing.T) {
	rec := newRecorder(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = rec.URL
	e.mustRun(0, providerIDToken(t, uniqueEmail(t))+"\n", "login", "id-token", "--provider", testProvider, "--token-stdin",
		"--access-token", "provider-access-token", "--json")
	if req := rec.find(t, "POST", "/token"); !strings.Contains(req, `"access_token":"provider-access-token"`) {
		t.Errorf("id_token request without access_token: %s", req)
	}
}

func TestIDTokenBadInput(t *testing.T) {
	e := newEnv(t)
	r := e.mustRun(2, "garbage-token\n", "login", "id-token", "--provider", "google", "--token-stdin")
	if !strings.Contains(r.Stderr, "not a JWT") || strings.Contains(r.Stderr, "garbage-token") {
		t.Errorf("stderr %q", r.Stderr)
	}
	enc := base64.RawURLEncoding.EncodeToString
	withNonce := enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(`{"nonce":"abc"}`)) + "." + enc([]byte("s"))
	if r := e.mustRun(2, withNonce+"\n", "login", "id-token", "--provider", "google", "--token-stdin"); !strings.Contains(r.Stderr, "--nonce") {
		t.Errorf("stderr %q", r.Stderr)
	}
	if r := e.mustRun(2, "", "--no-input", "login", "id-token", "--token-stdin"); !strings.Contains(r.Stderr, "--provider") {
		t.Errorf("stderr %q", r.Stderr)
	}
	// An unknown provider is the server's to judge: 400 validation_failed.
	r = e.mustRun(1, providerIDToken(t, uniqueEmail(t))+"\n", "login", "id-token", "--provider", "nosuch", "--token-stdin")
	if !strings.Contains(r.Stderr, `"nosuch" not allowed`) {
		t.Errorf("stderr %q", r.Stderr)
	}
}

// ---- AN: anonymous sign-ins ----

func TestAN01AnonymousSignIn(t *testing.T) {
	e := newEnv(t)
	var res authResult
	e.jsonOut(&res, "", "login", "anonymous")
	if res.Session == nil || !res.User.IsAnonymous {
		t.Fatalf("result = %+v", res)
	}
	// UM-04's empty case: an anonymous user has no identity.
	if r := e.mustRun(0, "", "identities", "list", "--json"); strings.TrimSpace(r.Stdout) != "[]" {
		t.Errorf("identities list = %q, want []", r.Stdout)
	}
}

func TestAN02AnonymousWithMetadata(t *testing.T) {
	var res authResult
	newEnv(t).jsonOut(&res, "", "login", "anonymous", "--data", `{"cart":"42"}`)
	if res.User.UserMetadata["cart"] != "42" {
		t.Fatalf("user_metadata = %v", res.User.UserMetadata)
	}
}

func TestAN03AnonymousDisabled(t *testing.T) {
	e := envFor(t, serverWith(t, "ANON_OFF"))
	r := e.mustRun(1, "", "login", "anonymous", "--json")
	if _, msg, _ := errorJSON(t, r); msg != "Anonymous sign-ins are disabled" {
		t.Errorf("message %q", msg)
	}
}

// ---- FF: feature flags ----

func TestFF01SignUpDisabled(t *testing.T) {
	e := envFor(t, serverWith(t, "SIGNUP_OFF"))
	r := e.mustRun(1, password+"\n", "signup", "--email", uniqueEmail(t), "--password-stdin", "--json")
	if _, msg, _ := errorJSON(t, r); msg != "Signups not allowed for this instance" {
		t.Errorf("message %q", msg)
	}
}

// ---- SM: session management ----

func TestSM01GetSession(t *testing.T) {
	e := newEnv(t)
	s := signUp(t, e, uniqueEmail(t))
	var cur sessionJSON
	e.jsonOut(&cur, "", "session")
	if cur.AccessToken != s.AccessToken || cur.RefreshToken != s.RefreshToken {
		t.Errorf("session differs from the one signed up")
	}
}

func TestSM02NoSession(t *testing.T) {
	r := newEnv(t).mustRun(3, "", "session", "--json")
	if r.Stdout != "" {
		t.Errorf("stdout %q", r.Stdout)
	}
	if name, _, _ := errorJSON(t, r); name != "AuthSessionMissingError" {
		t.Errorf("error name %q", name)
	}
}

func TestSM03ExpiredSessionIsRefreshed(t *testing.T) {
	p := newProxy(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL
	p.shortTTL.Store(30) // inside the expiry margin: expired at once
	first := signUp(t, e, uniqueEmail(t))
	p.shortTTL.Store(0)
	var cur sessionJSON
	e.jsonOut(&cur, "", "session")
	if cur.RefreshToken == first.RefreshToken || cur.ExpiresAt <= first.ExpiresAt || p.count("/token", "refresh_token") != 1 {
		t.Errorf("session was not refreshed once")
	}
}

func TestSM04SetSession(t *testing.T) {
	s := signUp(t, newEnv(t), uniqueEmail(t))
	b := newEnv(t)
	b.mustRun(0, s.AccessToken+"\n"+s.RefreshToken+"\n", "session", "set", "--access-token-stdin")
	var cur sessionJSON
	b.jsonOut(&cur, "", "session")
	if cur.AccessToken != s.AccessToken {
		t.Errorf("session set did not store the session")
	}
}

func TestSM05SetSessionInvalidAccessToken(t *testing.T) {
	r := newEnv(t).mustRun(2, "not-a-jwt\nrt\n", "session", "set", "--access-token-stdin")
	if !strings.Contains(r.Stderr, "Invalid JWT structure") {
		t.Errorf("stderr %q", r.Stderr)
	}
}

func TestSM06SetSessionWithoutRefreshToken(t *testing.T) {
	s := signUp(t, newEnv(t), uniqueEmail(t))
	newEnv(t).mustRun(2, s.AccessToken+"\n", "session", "set", "--access-token-stdin")
}

func TestSM07RefreshAdoptedSession(t *testing.T) {
	s := signUp(t, newEnv(t), uniqueEmail(t))
	b := newEnv(t)
	b.mustRun(0, s.AccessToken+"\n", "session", "set", "--access-token-stdin", "--refresh-token", s.RefreshToken)
	var refreshed sessionJSON
	b.jsonOut(&refreshed, "", "session", "refresh")
	if refreshed.RefreshToken == s.RefreshToken || refreshed.AccessToken == "" {
		t.Errorf("refresh kept the refresh token it was given")
	}
}

func TestSM08RefreshStoredSession(t *testing.T) {
	e := newEnv(t)
	s := signUp(t, e, uniqueEmail(t))
	var refreshed sessionJSON
	e.jsonOut(&refreshed, "", "session", "refresh")
	var cur sessionJSON
	e.jsonOut(&cur, "", "session")
	if refreshed.RefreshToken == s.RefreshToken || cur.RefreshToken != refreshed.RefreshToken {
		t.Errorf("the refreshed session was not stored")
	}
}

func TestSM09ConcurrentRefreshesDeduplicated(t *testing.T) {
	p := newProxy(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL
	p.shortTTL.Store(30)
	signUp(t, e, uniqueEmail(t))
	p.shortTTL.Store(0)
	tokens := make([]string, 4)
	var wg sync.WaitGroup
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.run("", "token")
			tokens[i] = strings.TrimSpace(r.Stdout)
			if r.Code != 0 {
				t.Errorf("token: exit %d %s", r.Code, r.Stderr)
			}
		}()
	}
	wg.Wait()
	if n := p.count("/token", "refresh_token"); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	for _, tok := range tokens {
		if tok != tokens[0] {
			t.Fatal("the processes printed different tokens")
		}
	}
}

// ---- SO: sign-out ----

func TestSO01SignOutRemovesSession(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	e.mustRun(0, "", "logout")
	e.mustRun(3, "", "session")
}

func TestSO02SignOutWithRevokedSessionClearsLocal(t *testing.T) {
	a := newEnv(t)
	s := signUp(t, a, uniqueEmail(t))
	b := newEnv(t)
	b.mustRun(0, s.AccessToken+"\n"+s.RefreshToken+"\n", "session", "set", "--access-token-stdin")
	a.mustRun(0, "", "logout")  // the server session is gone; b's JWT is now stale
	b.run("", "logout")         // whatever the server answers…
	b.mustRun(3, "", "session") // …the local session is removed
}

func TestSO03SignOutOthersKeepsLocal(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	e.mustRun(0, "", "logout", "--scope", "others")
	e.mustRun(0, "", "session")
	e.mustRun(0, "", "user")
}

// ---- UM: user management ----

func TestUM01GetUser(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	s := signUp(t, e, email)
	var u struct{ ID, Email string }
	e.jsonOut(&u, "", "user")
	if u.ID != s.User.ID || u.Email != email {
		t.Errorf("user = %+v", u)
	}
}

func TestUM02GetUserAfterSignOut(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	e.mustRun(0, "", "logout")
	e.mustRun(3, "", "user")
}

func TestUM03UpdateUserMetadata(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	var u struct {
		UserMetadata map[string]any `json:"user_metadata"`
	}
	e.jsonOut(&u, "", "user", "update", "--data", `{"name":"Ada"}`)
	if u.UserMetadata["name"] != "Ada" {
		t.Fatalf("user_metadata = %v", u.UserMetadata)
	}
	// The new password works; the old one no longer does.
	email := strings.TrimSpace(e.mustRun(0, "", "user", "--jq", ".email").Stdout)
	e.mustRun(0, "new-password-7\n", "user", "update", "--password-stdin")
	e.mustRun(0, "new-password-7\n", "login", "password", "--email", email, "--password-stdin")
	e.mustRun(1, password+"\n", "login", "password", "--email", email, "--password-stdin")
}

func TestUM04Identities(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	var ids []struct {
		IdentityID string `json:"identity_id"`
		Provider   string `json:"provider"`
	}
	e.jsonOut(&ids, "", "identities", "list")
	if len(ids) != 1 || ids[0].Provider != "email" || ids[0].IdentityID == "" {
		t.Fatalf("identities = %+v", ids)
	}
	// The only identity cannot be unlinked; an unknown one is a usage error.
	r := e.mustRun(1, "", "identities", "unlink", ids[0].IdentityID, "--json")
	if _, _, code := errorJSON(t, r); code == nil || *code != "single_identity_not_deletable" {
		t.Errorf("stderr %s", r.Stderr)
	}
	e.mustRun(2, "", "identities", "unlink", "00000000-0000-0000-0000-000000000000")
}

// ---- PR: password recovery ----

func TestPR01ResetPasswordForEmail(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	if r := e.mustRun(0, "", "reset-password", email, "--json"); strings.TrimSpace(r.Stdout) != "{}" {
		t.Errorf("stdout %q", r.Stdout)
	}
	// The recovery code signs in (verify --type recovery).
	b := newEnv(t)
	var res authResult
	b.jsonOut(&res, generateLink(t, "recovery", email).EmailOTP+"\n", "verify", "--type", "recovery", "--email", email, "--token-stdin")
	if res.Session == nil {
		t.Fatalf("recovery verify gave no session")
	}
}

func TestPR02ResetPasswordPKCEStoresRecoveryVerifier(t *testing.T) {
	rec := newRecorder(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = rec.URL
	email := uniqueEmail(t)
	e.mustRun(0, "", "reset-password", email, "--flow", "pkce")
	req := rec.find(t, "POST", "/recover")
	if !strings.Contains(req, `"code_challenge":"`) {
		t.Fatalf("recover request without a code challenge: %s", req)
	}
	v := storedVerifier(t, e)
	verifier, ok := strings.CutSuffix(v, "/PASSWORD_RECOVERY")
	if !ok {
		t.Fatalf("stored verifier %q has no /PASSWORD_RECOVERY suffix", v)
	}
	sum := sha256.Sum256([]byte(verifier))
	if !strings.Contains(req, base64.RawURLEncoding.EncodeToString(sum[:])) {
		t.Errorf("the challenge sent is not the stored verifier's")
	}
}

// storedVerifier reads the PKCE verifier from the environment's file
// storage (a JSON object of storage keys, values as the SDK wrote them).
func storedVerifier(t *testing.T, e *env) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.vars["AUTHCTL_CONFIG_DIR"], "sessions", "default.json"))
	if err != nil {
		t.Fatal(err)
	}
	var items map[string]string
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	for k, v := range items {
		if strings.HasSuffix(k, "-code-verifier") {
			var s string
			if json.Unmarshal([]byte(v), &s) != nil {
				s = v
			}
			return s
		}
	}
	return ""
}

// ---- RS: resend ----

func TestRS01ResendSignupConfirmation(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	r := e.mustRun(0, "", "resend", "--type", "signup", "--email", email, "--json")
	if !strings.Contains(r.Stdout, `"message_id"`) {
		t.Errorf("stdout %q", r.Stdout)
	}
}

func TestRS02ResendPhoneOTP(t *testing.T) {
	newEnv(t).mustRun(0, "", "resend", "--type", "sms", "--phone", phoneResend, "--json")
}

func TestRS03ResendWithoutEmailOrPhone(t *testing.T) {
	e := newEnv(t)
	if r := e.mustRun(2, "", "--no-input", "resend", "--type", "signup"); !strings.Contains(r.Stderr, "--email") {
		t.Errorf("stderr %q", r.Stderr)
	}
	e.mustRun(2, "", "resend", "--type", "sms", "--email", "a@example.com")
	e.mustRun(2, "", "resend", "--type", "magiclink", "--email", "a@example.com")
}

// ---- PK: PKCE code exchange ----

// TestPK01ExchangeCode: the magic link of a PKCE sign-in (as mailed: the
// emulator's outbox, a real server's Send Email hook) ends on redirect_to
// with ?code=, which exchange-code turns into a session with the stored
// verifier.
func TestPK01ExchangeCode(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	e.mustRun(0, "", "logout")
	e.mustRun(0, "", "login", "otp", "--email", email, "--flow", "pkce") // stores a verifier, mails the link
	if storedVerifier(t, e) == "" {
		t.Fatal("login otp --flow pkce stored no verifier")
	}
	q := url.Values{"token": {lastSent(t, email).TokenHash}, "type": {"magiclink"}, "redirect_to": {"http://127.0.0.1:3000/cb"}}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(strings.TrimSuffix(target.URL, "/") + "/verify?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	final, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || final.Port() != "3000" || final.Query().Get("code") == "" {
		t.Fatalf("the link led to %q (%s), want redirect_to with ?code=", resp.Header.Get("Location"), resp.Status)
	}
	var res authResult
	e.jsonOut(&res, "", "exchange-code", final.String())
	if res.Session == nil || res.User.Email != email {
		t.Fatalf("result = %+v", res)
	}
	if storedVerifier(t, e) != "" {
		t.Error("the verifier is still stored after the exchange")
	}
}

func TestPK02ExchangeCodeWithoutVerifier(t *testing.T) {
	r := newEnv(t).mustRun(1, "", "exchange-code", "0b5e3f1c-6f7a-4d2e-9a51-3c0d2b8e7f10", "--json")
	if name, _, _ := errorJSON(t, r); name != "AuthPKCEGrantCodeExchangeError" {
		t.Errorf("stderr %s", r.Stderr)
	}
}

func TestPK03ExchangeInvalidCode(t *testing.T) {
	e := newEnv(t)
	e.mustRun(0, "", "reset-password", uniqueEmail(t), "--flow", "pkce") // stores a verifier
	r := e.mustRun(1, "", "exchange-code", "0b5e3f1c-6f7a-4d2e-9a51-3c0d2b8e7f10", "--json")
	var body struct {
		Error struct{ Status int } `json:"error"`
	}
	if json.Unmarshal([]byte(r.Stderr), &body) != nil || body.Error.Status < 400 || body.Error.Status >= 500 {
		t.Errorf("stderr %s", r.Stderr)
	}
	if storedVerifier(t, e) != "" {
		t.Error("the verifier was kept after a failed exchange")
	}
}

// ---- bad input ----

func TestClientCommandsBadInput(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"login", "otp", "--email", "bob@"}, `"bob@"`},
		{[]string{"login", "otp", "--phone", "12ab"}, `"12ab"`},
		{[]string{"verify", "--type", "sms", "--email", "a@example.com", "--token", "1"}, `invalid --type "sms"`},
		{[]string{"verify", "--type", "nonsense", "--token-hash", "abc"}, `invalid --type "nonsense"`},
		{[]string{"verify", "--type", "signup", "--phone", "+15555550100", "--token", "1"}, `invalid --type "signup"`},
		{[]string{"verify", "--email", "a@example.com", "--token", "1"}, "--type is required"},
		{[]string{"--no-input", "verify", "--type", "email", "--email", "a@example.com"}, "--token"},
		{[]string{"login", "otp", "--email", "a@example.com", "--flow", "magic"}, `invalid --flow "magic"`},
		{[]string{"login", "anonymous", "--data", "[1]"}, "--data must be a JSON object"},
		{[]string{"user", "update"}, "nothing to update"},
		{[]string{"user", "update", "--email", "x"}, `"x"`},
		{[]string{"reset-password", "nope"}, `"nope"`},
		{[]string{"exchange-code"}, "missing the CODE"},
		{[]string{"identities", "unlink"}, "missing the IDENTITY_ID"},
	} {
		r := e.mustRun(2, "", tc.args...)
		if !strings.Contains(r.Stderr, tc.want) {
			t.Errorf("authctl %v: stderr %q, want %q", tc.args, r.Stderr, tc.want)
		}
	}
	// Commands that need a session say so (exit 3).
	for _, args := range [][]string{{"reauthenticate"}, {"identities", "list"}, {"user", "update", "--data", "{}"}} {
		e.mustRun(3, "", args...)
	}
}

// TestExchangeCodeLinkAddress: exchange-code takes the address an email
// link ended on. An implicit-flow link (#access_token=…) signs in; an
// expired one reports the server's error.
func TestExchangeCodeLinkAddress(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	e.mustRun(0, "", "logout")
	link := generateLink(t, "magiclink", email)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	verify := func() string {
		q := url.Values{"token": {link.HashedToken}, "type": {"magiclink"}, "redirect_to": {"http://127.0.0.1:3000/cb"}}
		resp, err := client.Get(strings.TrimSuffix(target.URL, "/") + "/verify?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("Location")
	}
	var res authResult
	e.jsonOut(&res, "", "exchange-code", verify())
	if res.Session == nil || res.User.Email != email {
		t.Fatalf("result = %+v", res)
	}
	r := e.mustRun(1, "", "exchange-code", verify(), "--json") // the link was used
	if _, _, code := errorJSON(t, r); code == nil || *code != "otp_expired" {
		t.Errorf("stderr %s", r.Stderr)
	}
}

func TestVerifyGarbageToken(t *testing.T) {
	e := newEnv(t)
	r := e.mustRun(1, "", "verify", "--type", "magiclink", "--token-hash", "garbage", "--json")
	if _, msg, _ := errorJSON(t, r); !strings.Contains(msg, "invalid") || !strings.Contains(msg, "expired") {
		t.Errorf("message %q", msg)
	}
}

func TestReauthenticate(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	if r := e.mustRun(0, "", "reauthenticate", "--json"); strings.TrimSpace(r.Stdout) != "{}" {
		t.Errorf("stdout %q", r.Stdout)
	}
}
