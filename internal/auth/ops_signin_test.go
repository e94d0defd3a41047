package auth

import (
	"context"
	"errors"
	"testing"
)

func TestSU01_SignUpWithEmailAndPassword(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "signup_email_autoconfirm", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	ev.next(t)
	ar, err := c.SignUp(context.Background(), SignUpCredentials{Email: "rec-a83f4d8ee8@example.com", Password: "correct-horse-9", EmailRedirectTo: "http://127.0.0.1:5/cb"})
	if err != nil {
		t.Fatal(err)
	}
	if ar.User.ID != "c81d574c-cc91-4f2f-83ed-579a40129ada" || ar.Session == nil || ar.Session.AccessToken != jwt {
		t.Fatalf("SignUp = %+v", ar)
	}
	call := srv.calls("POST", "/signup")[0]
	b := call.jsonBody(t)
	if b["email"] != "rec-a83f4d8ee8@example.com" || b["password"] != "correct-horse-9" || b["code_challenge"] != nil {
		t.Fatalf("body = %v", b)
	}
	if call.Query["redirect_to"][0] != "http://127.0.0.1:5/cb" {
		t.Fatalf("query = %v", call.Query)
	}
	if e := ev.next(t); e.Event != EventSignedIn {
		t.Fatalf("event %v", e.Event)
	}
	if s := storedSession(t, c); s == nil || s.AccessToken != jwt {
		t.Fatal("session not saved")
	}
}

func TestSU01b_SignUpAwaitingConfirmationReturnsUserOnly(t *testing.T) {
	srv := newFakeServer(t)
	user, _ := stepReply(t, "user_get_ok", 0, nil) // a bare user body, as with confirmations on
	srv.on("POST", "/signup", user)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignUp(context.Background(), SignUpCredentials{Email: "rec-fd01aaecb7@example.com", Password: "pw-123456"})
	if err != nil {
		t.Fatal(err)
	}
	if ar.Session != nil || ar.User.Email != "rec-fd01aaecb7@example.com" || storedSession(t, c) != nil {
		t.Fatalf("SignUp = %+v", ar)
	}
}

func TestSU02_SignUpWithMetadata(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_email_with_metadata", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	data := map[string]any{"plan": "pro", "age": 42, "tags": []string{"a", "b"}}
	ar, err := c.SignUp(context.Background(), SignUpCredentials{Email: "rec-6dbd6b9b4c@example.com", Password: "correct-horse-9", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if ar.User.UserMetadata["plan"] != "pro" || ar.User.UserMetadata["age"] != float64(42) {
		t.Fatalf("user_metadata = %v", ar.User.UserMetadata)
	}
	sent := srv.calls("POST", "/signup")[0].jsonBody(t)["data"].(map[string]any)
	if sent["plan"] != "pro" || sent["age"] != float64(42) {
		t.Fatalf("sent data = %v", sent)
	}
}

func TestSU03_SignUpInvalidEmail(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_invalid_email", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignUp(context.Background(), SignUpCredentials{Email: "not-an-email", Password: "correct-horse-9"})
	if !IsAuthAPIError(err) || ErrorCode(err) != "validation_failed" {
		t.Fatalf("error = %v", err)
	}
	mustContain(t, err.Error(), "Unable to validate email address")
}

func TestSU04_SignUpWeakPassword(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_weak_password", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignUp(context.Background(), SignUpCredentials{Email: "a@example.com", Password: "123"})
	var wp *WeakPasswordError
	if !errors.As(err, &wp) || len(wp.Reasons) != 1 || wp.Reasons[0] != "length" || wp.Status != 422 {
		t.Fatalf("error = %T %v", err, err)
	}
}

func TestSU05_SignUpWithoutEmailOrPhone(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	for _, cr := range []SignUpCredentials{{Password: "pw"}, {Email: "a@example.com", Phone: "15555550100", Password: "pw"}} {
		_, err := c.SignUp(context.Background(), cr)
		var ic *InvalidCredentialsError
		if !errors.As(err, &ic) || ic.Name != "AuthInvalidCredentialsError" {
			t.Fatalf("error = %T %v", err, err)
		}
	}
	if srv.total() != 0 {
		t.Fatal("invalid credentials reached the server")
	}
}

func TestSU06_SignUpSameUserTwice(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_duplicate_email", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignUp(context.Background(), SignUpCredentials{Email: "a@example.com", Password: "correct-horse-9"})
	if ErrorCode(err) != "user_already_exists" || err.Error() != "User already registered" {
		t.Fatalf("error = %v", err)
	}
}

func TestSU07_SignUpWithPKCE(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_pkce", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	if _, err := c.SignUp(context.Background(), SignUpCredentials{Email: "a@example.com", Password: "correct-horse-9"}); err != nil {
		t.Fatal(err)
	}
	b := srv.calls("POST", "/signup")[0].jsonBody(t)
	v, ok, _ := c.loadCodeVerifier(context.Background())
	if !ok || len(v) != 112 {
		t.Fatalf("verifier not stored: %q", v)
	}
	if b["code_challenge"] != CodeChallengeS256(v) || b["code_challenge_method"] != "s256" {
		t.Fatalf("body = %v", b)
	}
}

func TestSI01_SignInWithPassword(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "rec-715f7e814d@example.com", Password: "correct-horse-9"})
	if err != nil {
		t.Fatal(err)
	}
	s := ar.Session
	if s.AccessToken != jwt || s.RefreshToken != "trrddeu3qkam" || s.ExpiresIn != 3600 || s.ExpiresAt != 1795389772 || s.TokenType != "bearer" {
		t.Fatalf("session = %+v", s)
	}
	u := ar.User
	if u.ID != "5be8200f-dae7-476d-8bc6-c1061d6cd460" || u.Email != "rec-715f7e814d@example.com" || u.AppMetadata.Provider() != "email" ||
		len(u.AppMetadata.Providers()) != 1 || len(u.Identities) != 1 || u.Identities[0].IdentityID != "891f2c08-0053-479c-89ec-5666de8fd050" || ar.WeakPassword != nil {
		t.Fatalf("user = %+v", u)
	}
	call := srv.calls("POST", "/token")[0]
	if call.Query["grant_type"][0] != "password" || call.jsonBody(t)["password"] != "correct-horse-9" {
		t.Fatalf("request = %+v", call)
	}
}

func TestSI01b_SignInReportsWeakPassword(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_ok", 0, func(m map[string]any) {
		m["weak_password"] = map[string]any{"reasons": []string{"length"}, "message": "Password should be at least 8 characters."}
	})
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "short"})
	if err != nil || ar.WeakPassword == nil || ar.WeakPassword.Reasons[0] != "length" {
		t.Fatalf("SignIn = %+v, %v", ar, err)
	}
}

func TestSI02_SignInWrongPassword(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_wrong", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "nope-nope-nope"})
	if ar != nil || ErrorCode(err) != "invalid_credentials" || storedSession(t, c) != nil {
		t.Fatalf("SignIn = %v, %v", ar, err)
	}
}

func TestSI03_SignInWithoutEmailOrPhone(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Password: "pw"})
	var ic *InvalidCredentialsError
	if !errors.As(err, &ic) {
		t.Fatalf("error = %T %v", err, err)
	}
	mustContain(t, err.Error(), "email or phone number and a password")
	if srv.total() != 0 {
		t.Fatal("request sent")
	}
}

func TestSI04_SignInWithCaptchaToken(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "pw", CaptchaToken: "hcaptcha-xyz"}); err != nil {
		t.Fatal(err)
	}
	meta, _ := srv.calls("POST", "/token")[0].jsonBody(t)["gotrue_meta_security"].(map[string]any)
	if meta["captcha_token"] != "hcaptcha-xyz" {
		t.Fatalf("gotrue_meta_security = %v", meta)
	}
}

func TestPH01_SignUpWithPhone(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_phone", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignUp(context.Background(), SignUpCredentials{Phone: "19998811956", Password: "correct-horse-9"})
	if err != nil || ar.User.Phone != "19998811956" {
		t.Fatalf("SignUp = %+v, %v", ar, err)
	}
	b := srv.calls("POST", "/signup")[0].jsonBody(t)
	if b["phone"] != "19998811956" || b["email"] != nil || b["channel"] != "sms" {
		t.Fatalf("body = %v", b)
	}
}

func TestPH02_SignInWithPhone(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_phone", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Phone: "19999247259", Password: "correct-horse-9"})
	if err != nil || ar.Session == nil || ar.User.PhoneConfirmedAt == "" {
		t.Fatalf("SignIn = %+v, %v", ar, err)
	}
	if b := srv.calls("POST", "/token")[0].jsonBody(t); b["phone"] != "19999247259" || b["email"] != nil {
		t.Fatalf("body = %v", b)
	}
}

func TestPH03_SignInWrongPhone(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_wrong", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Phone: "10000000000", Password: "pw"}); !IsAuthAPIError(err) {
		t.Fatalf("error = %v", err)
	}
}

func TestIT01_SignInWithIDToken(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil) // same session answer as every grant
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignInWithIDToken(context.Background(), IDTokenCredentials{Provider: "google", Token: "id.jwt.x"})
	if err != nil || ar.Session.AccessToken != jwt {
		t.Fatalf("SignInWithIDToken = %+v, %v", ar, err)
	}
	call := srv.calls("POST", "/token")[0]
	if b := call.jsonBody(t); call.Query["grant_type"][0] != "id_token" || b["provider"] != "google" || b["id_token"] != "id.jwt.x" || b["access_token"] != nil {
		t.Fatalf("request = %+v", call)
	}
}

func TestIT02_SignInWithIDTokenIncludesAccessTokenAndNonce(t *testing.T) {
	srv := newFakeServer(t)
	garbage, _ := stepReply(t, "token_id_token_garbage", 1, nil) // unknown provider: 400
	srv.on("POST", "/token", garbage)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignInWithIDToken(context.Background(), IDTokenCredentials{Provider: "nosuch", Token: "garbage", AccessToken: "at", Nonce: "n"})
	if ErrorCode(err) != "validation_failed" {
		t.Fatalf("error = %v", err)
	}
	if b := srv.calls("POST", "/token")[0].jsonBody(t); b["access_token"] != "at" || b["nonce"] != "n" {
		t.Fatalf("body = %v", b)
	}
}

func TestAN01_SignInAnonymously(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_anonymous", 0, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignInAnonymously(context.Background(), nil, "")
	if err != nil || !ar.User.IsAnonymous || ar.Session == nil {
		t.Fatalf("SignInAnonymously = %+v, %v", ar, err)
	}
	if b := srv.calls("POST", "/signup")[0].jsonBody(t); len(b) != 0 {
		t.Fatalf("body = %v, want {}", b)
	}
	if storedSession(t, c) == nil {
		t.Fatal("session not saved")
	}
}

func TestAN02_SignInAnonymouslyWithMetadata(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "signup_anonymous", 1, nil)
	srv.on("POST", "/signup", rep)
	c := newTestClient(t, srv.URL, nil)
	ar, err := c.SignInAnonymously(context.Background(), map[string]any{"k": "v"}, "")
	if err != nil || ar.User.UserMetadata["k"] != "v" {
		t.Fatalf("SignInAnonymously = %+v, %v", ar, err)
	}
}

func TestAN03_SignInAnonymouslyDisabled(t *testing.T) {
	srv := newFakeServer(t)
	// The body the real server sends with anonymous sign-ins off (DESIGN.md).
	srv.on("POST", "/signup", reply{status: 422, headers: map[string]string{"Content-Type": "application/json", "X-Sb-Error-Code": "anonymous_provider_disabled"},
		body: []byte(`{"code":"anonymous_provider_disabled","message":"Anonymous sign-ins are disabled"}`)})
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignInAnonymously(context.Background(), nil, "")
	if ErrorCode(err) != "anonymous_provider_disabled" || err.Error() != "Anonymous sign-ins are disabled" {
		t.Fatalf("error = %v", err)
	}
}
