package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"golang.org/x/crypto/bcrypt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Behaviours where the emulator once differed from the real server (issue
// 16). Each test holds on both: the status, error code and message checked
// here are the real server's, byte for byte.

// versionedCall sends a JSON request with the anon key as apikey, token as
// the bearer (the anon key when empty) and the 2024-01-01 API version, as
// authctl does, and returns the status and the decoded answer.
func versionedCall(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, strings.TrimSuffix(target.URL, "/")+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token == "" {
		token = target.AnonKey
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("apikey", target.AnonKey)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Supabase-Api-Version", "2024-01-01")
	resp, err := httpClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 && json.Unmarshal(raw, &out) != nil {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// wantAPIError checks a versioned error answer.
func wantAPIError(t *testing.T, what string, status int, body map[string]any, wantStatus int, code, msg string) {
	t.Helper()
	if status != wantStatus || body["code"] != code || body["message"] != msg {
		t.Errorf("%s: %d %v, want %d %s %q", what, status, body, wantStatus, code, msg)
	}
}

// uniquePhone is a phone number no earlier run has used (E.164, 15 digits).
func uniquePhone() string {
	return fmt.Sprintf("1555%011d", time.Now().UnixNano()%100000000000)
}

func TestParityErrorPrecedence(t *testing.T) {
	st, body := versionedCall(t, "POST", "/token?grant_type=refresh_token", "", map[string]any{"refresh_token": "invalid-token"})
	wantAPIError(t, "malformed refresh token", st, body, 400, "validation_failed", "Refresh token is not valid")

	st, body = versionedCall(t, "POST", "/signup", "", map[string]any{"email": "not-an-email", "password": "a"})
	if st != 422 || body["code"] != "weak_password" {
		t.Errorf("sign-up with a bad address and a weak password: %d %v, want 422 weak_password first", st, body)
	}

	_, anon := versionedCall(t, "POST", "/signup", "", map[string]any{})
	anonToken, _ := anon["access_token"].(string)
	st, body = versionedCall(t, "GET", "/reauthenticate", anonToken, nil)
	wantAPIError(t, "reauthenticate without email or phone", st, body, 400, "validation_failed",
		"Reauthentication requires the user to have an email or a phone number")

	s := signUp(t, newEnv(t), uniqueEmail(t))
	st, body = versionedCall(t, "POST", "/factors/not-a-uuid/challenge", s.AccessToken, map[string]any{})
	wantAPIError(t, "challenge of a non-UUID factor", st, body, 404, "validation_failed", "factor_id must be an UUID")
	st, body = versionedCall(t, "POST", "/factors", s.AccessToken, map[string]any{"factor_type": "webauthn"})
	wantAPIError(t, "webauthn enrolment while off", st, body, 422, "mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn")
}

// TestParityMalformedRefreshTokenIsNotASignOut: authctl keeps the session
// when the server calls the stored refresh token malformed.
func TestParityMalformedRefreshTokenIsNotASignOut(t *testing.T) {
	e := newEnv(t)
	s := signUp(t, e, uniqueEmail(t))
	e.mustRun(0, s.AccessToken+"\n", "session", "set", "--access-token-stdin", "--refresh-token", "invalid-token")
	r := e.run("", "session", "refresh")
	if r.Code != 1 || !strings.Contains(r.Stderr, "Refresh token is not valid") {
		t.Errorf("refresh with a malformed token: exit %d, want 1 with the server's message\n%s", r.Code, r.Stderr)
	}
}

func TestParityOAuthClientURIs(t *testing.T) {
	e := newEnv(t).withAdmin()
	type client struct {
		ClientID  string `json:"client_id"`
		ClientURI string `json:"client_uri"`
		LogoURI   string `json:"logo_uri"`
	}
	var c client
	e.jsonOut(&c, "", "admin", "oauth", "clients", "create", "--name", fmt.Sprintf("e2e-uris-%d", time.Now().UnixNano()),
		"--redirect-uri", "http://127.0.0.1:5555/cb", "--client-uri", "https://app.example.com", "--logo-uri", "https://app.example.com/logo.png")
	t.Cleanup(func() { e.run("", "admin", "oauth", "clients", "delete", c.ClientID) })
	if c.ClientURI != "https://app.example.com" || c.LogoURI != "https://app.example.com/logo.png" {
		t.Errorf("create = %+v, want both URIs kept", c)
	}
	var upd client
	e.jsonOut(&upd, "", "admin", "oauth", "clients", "update", c.ClientID, "--logo-uri", "https://app.example.com/new.png")
	if upd.LogoURI != "https://app.example.com/new.png" || upd.ClientURI != "https://app.example.com" {
		t.Errorf("update --logo-uri = %+v", upd)
	}
	r := e.run("", "admin", "oauth", "clients", "update", c.ClientID, "--logo-uri", "not a url")
	if r.Code != 1 || !strings.Contains(r.Stderr, "logo_uri must be a valid URL") {
		t.Errorf("update with a bad logo URI: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestParityAAL1CannotChangeCredentials: with a verified factor, an aal1
// session may not change the password or the email (exit 4).
func TestParityAAL1CannotChangeCredentials(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	var en enrolledTOTP
	e.jsonOut(&en, "", "mfa", "enroll", "--type", "totp", "--no-verify")
	if r := withTOTP(t, en.TOTP.Secret, func(code string) result {
		return e.run("", "mfa", "challenge-and-verify", en.ID, "--code", code)
	}); r.Code != 0 {
		t.Fatalf("verifying the factor: exit %d\n%s", r.Code, r.Stderr)
	}
	e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")
	for _, args := range [][]string{{"--password-stdin"}, {"--email", "new-" + email}} {
		r := e.run("another-password-8\n", append([]string{"user", "update"}, args...)...)
		if r.Code != 4 || !strings.Contains(r.Stderr, "AAL2 session is required to update email or password when MFA is enabled.") {
			t.Errorf("user update %s at aal1: exit %d, want 4\n%s", args[0], r.Code, r.Stderr)
		}
	}
	e.mustRun(0, "", "user", "update", "--data", `{"theme":"dark"}`) // metadata needs no aal2
}

// TestParityPasswordChangeClearsPendingTokens: a new password revokes the
// pending email change and reauthentication codes (their *_sent_at go),
// while the new address stays recorded.
func TestParityPasswordChangeClearsPendingTokens(t *testing.T) {
	email := uniqueEmail(t)
	s := signUp(t, newEnv(t), email)
	st, u := versionedCall(t, "PUT", "/user", s.AccessToken, map[string]any{"email": "new-" + email})
	if st != 200 || u["email_change_sent_at"] == nil || u["new_email"] != "new-"+email {
		t.Fatalf("email change: %d %v", st, u)
	}
	if st, _ := versionedCall(t, "GET", "/reauthenticate", s.AccessToken, nil); st != 200 {
		t.Fatalf("reauthenticate: %d", st)
	}
	_, u = versionedCall(t, "GET", "/user", s.AccessToken, nil)
	if u["email_change_sent_at"] == nil || u["reauthentication_sent_at"] == nil {
		t.Errorf("before the password change: %v, want both *_sent_at", u)
	}
	_, u = versionedCall(t, "PUT", "/user", s.AccessToken, map[string]any{"password": "another-password-8"})
	if _, ok := u["email_change_sent_at"]; ok {
		t.Errorf("after the password change email_change_sent_at = %v, want none", u["email_change_sent_at"])
	}
	if _, ok := u["reauthentication_sent_at"]; ok {
		t.Errorf("after the password change reauthentication_sent_at = %v, want none", u["reauthentication_sent_at"])
	}
	if u["new_email"] != "new-"+email {
		t.Errorf("after the password change new_email = %v, want it kept", u["new_email"])
	}
}

// TestParityContactChanges: under SMS autoconfirm a new phone applies at
// once; a phone user's first email still waits for confirmation.
func TestParityContactChanges(t *testing.T) {
	email := uniqueEmail(t)
	s := signUp(t, newEnv(t), email)
	if st, _ := versionedCall(t, "PUT", "/user", s.AccessToken, map[string]any{"phone": uniquePhone()}); st != 200 {
		t.Fatalf("first phone: %d", st)
	}
	next := uniquePhone()
	_, u := versionedCall(t, "PUT", "/user", s.AccessToken, map[string]any{"phone": next})
	if u["phone"] != next || u["new_phone"] != nil || u["phone_change_sent_at"] != nil {
		t.Errorf("second phone change: phone %v new_phone %v sent %v, want %s applied", u["phone"], u["new_phone"], u["phone_change_sent_at"], next)
	}

	_, ps := versionedCall(t, "POST", "/signup", "", map[string]any{"phone": uniquePhone(), "password": password})
	token, _ := ps["access_token"].(string)
	_, u = versionedCall(t, "PUT", "/user", token, map[string]any{"email": "phone-" + email})
	if u["email"] != "" || u["new_email"] != "phone-"+email || u["email_change_sent_at"] == nil {
		t.Errorf("phone user adding an email: email %v new_email %v, want it pending", u["email"], u["new_email"])
	}
}

// TestParityAdminUpdateToATakenContact: the server does not check whether
// another user has the new email or phone of an admin update; its database's
// unique index refuses the write. The versioned API says only "Error updating
// user", the legacy one shows the database's error; authctl adds what it
// probably means.
func TestParityAdminUpdateToATakenContact(t *testing.T) {
	e := newEnv(t).withAdmin()
	taken := strings.ToLower(uniqueEmail(t))
	phone := uniquePhone()
	createUser(t, e, "", "--email", taken, "--phone", "+"+phone)
	u := createUser(t, e, "", "--email", uniqueEmail(t))

	st, body := versionedCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"email": strings.ToUpper(taken)})
	wantAPIError(t, "versioned update to a taken email", st, body, 500, "unexpected_failure", "Error updating user")

	var legacy map[string]any
	st = apiCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"email": taken}, &legacy)
	want := map[string]any{"code": "23505", "message": `duplicate key value violates unique constraint "users_email_partial_key"`,
		"detail": "Key (email)=(" + taken + ") already exists."}
	if st != 500 || !reflect.DeepEqual(legacy, want) {
		t.Errorf("legacy update to a taken email: %d %v, want 500 %v", st, legacy, want)
	}
	st = apiCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"phone": phone}, &legacy)
	want = map[string]any{"code": "23505", "message": `duplicate key value violates unique constraint "users_phone_key"`,
		"detail": "Key (phone)=(" + phone + ") already exists."}
	if st != 500 || !reflect.DeepEqual(legacy, want) {
		t.Errorf("legacy update to a taken phone: %d %v, want 500 %v", st, legacy, want)
	}

	wantFail(t, e.run("", "admin", "users", "update", u.ID, "--email", taken), 1, "another user already has the new email")
	var after adminUser
	e.jsonOut(&after, "", "admin", "users", "get", u.ID)
	if after.Email == taken {
		t.Errorf("the refused update changed the email to %s", taken)
	}
}

// TestParityAdminUpdateIgnoresPasswordHash: the server reads password_hash
// on create only; an update with one answers 200 and keeps the password.
// Its checks run email, phone, ban, then password.
func TestParityAdminUpdateIgnoresPasswordHash(t *testing.T) {
	e := newEnv(t).withAdmin()
	u := createUser(t, e, password+"\n", "--email", uniqueEmail(t), "--email-confirm", "--password-stdin")
	hash, err := bcrypt.GenerateFromPassword([]byte("another-Passw0rd"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	st, body := versionedCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"password_hash": string(hash)})
	if st != 200 {
		t.Fatalf("update with a password hash: %d %v", st, body)
	}
	st, _ = versionedCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"password_hash": "not-a-hash"})
	if st != 200 {
		t.Errorf("update with a malformed hash: %d, want 200 (ignored)", st)
	}
	for pw, want := range map[string]int{password: 200, "another-Passw0rd": 400} {
		if st, body := versionedCall(t, "POST", "/token?grant_type=password", "", map[string]any{"email": u.Email, "password": pw}); st != want {
			t.Errorf("sign-in with %q after the update: %d %v, want %d", pw, st, body, want)
		}
	}
	st, body = versionedCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"email": "not-an-email", "password": "a"})
	wantAPIError(t, "bad email and weak password", st, body, 400, "validation_failed", "Unable to validate email address: invalid format")

	wantFail(t, e.run("", "admin", "users", "update", u.ID, "--password-hash", string(hash)), 2, "--password-hash works with create only")
}
