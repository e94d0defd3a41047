package auth

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func parseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestOA01to05_SignInWithOAuthBuildsURL(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL+"/auth/v1", nil)
	res, err := c.SignInWithOAuth(context.Background(), OAuthParams{Provider: "github"})
	if err != nil || res.Provider != "github" {
		t.Fatal(res, err)
	}
	u := parseURL(t, res.URL)
	if u.Path != "/auth/v1/authorize" || u.Query().Get("provider") != "github" || u.Query().Has("code_challenge") || u.Query().Has("skip_http_redirect") { // OA-01
		t.Fatalf("url = %s", res.URL)
	}
	res, _ = c.SignInWithOAuth(context.Background(), OAuthParams{Provider: "google", RedirectTo: "http://127.0.0.1:53682/cb", Scopes: "email profile",
		QueryParams: map[string]string{"access_type": "offline"}, SkipBrowserRedirect: true})
	q := parseURL(t, res.URL).Query()
	if q.Get("redirect_to") != "http://127.0.0.1:53682/cb" || q.Get("scopes") != "email profile" || q.Get("access_type") != "offline" || q.Get("skip_http_redirect") != "true" { // OA-02, 03, 05
		t.Fatalf("url = %s", res.URL)
	}
	pk := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	res, _ = pk.SignInWithOAuth(context.Background(), OAuthParams{Provider: "github"})
	q = parseURL(t, res.URL).Query()
	v, ok, _ := pk.loadCodeVerifier(context.Background())
	if !ok || q.Get("code_challenge") != CodeChallengeS256(v) || q.Get("code_challenge_method") != "s256" { // OA-04
		t.Fatalf("url = %s", res.URL)
	}
	if srv.total() != 0 {
		t.Fatal("SignInWithOAuth made a request")
	}
}

func TestOT01_SendOTPToEmail(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "otp_email", 0, nil)
	srv.on("POST", "/otp", rep)
	c := newTestClient(t, srv.URL, nil)
	no := false
	id, err := c.SignInWithOTP(context.Background(), OTPCredentials{Email: "a@example.com", ShouldCreateUser: &no, EmailRedirectTo: "http://127.0.0.1/x"})
	if err != nil || id != "" || storedSession(t, c) != nil {
		t.Fatalf("SignInWithOTP = %q, %v", id, err)
	}
	call := srv.calls("POST", "/otp")[0]
	if b := call.jsonBody(t); b["email"] != "a@example.com" || b["create_user"] != false || call.Query["redirect_to"][0] != "http://127.0.0.1/x" {
		t.Fatalf("request = %+v", call)
	}
}

func TestOT02_SendOTPToPhone(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "otp_phone", 0, nil)
	srv.on("POST", "/otp", rep)
	c := newTestClient(t, srv.URL, nil)
	id, err := c.SignInWithOTP(context.Background(), OTPCredentials{Phone: "15555550100"})
	if err != nil || id != "test-otp" {
		t.Fatalf("SignInWithOTP = %q, %v", id, err)
	}
	if b := srv.calls("POST", "/otp")[0].jsonBody(t); b["phone"] != "15555550100" || b["create_user"] != true || b["channel"] != "sms" {
		t.Fatalf("body = %v", b)
	}
}

func TestOT03_OTPWithoutEmailOrPhone(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignInWithOTP(context.Background(), OTPCredentials{})
	var ic *InvalidCredentialsError
	if !errors.As(err, &ic) || srv.total() != 0 {
		t.Fatalf("error = %v", err)
	}
}

func TestOT04_VerifyOTPWithValidToken(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "verify_phone_sms", 0, nil)
	srv.on("POST", "/verify", rep)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	ev.next(t)
	ar, err := c.VerifyOTP(context.Background(), VerifyOTPParams{Phone: "15555550100", Token: "123456", Type: OTPSMS})
	if err != nil || ar.Session == nil || ar.Session.AccessToken != jwt {
		t.Fatalf("VerifyOTP = %+v, %v", ar, err)
	}
	if b := srv.calls("POST", "/verify")[0].jsonBody(t); b["phone"] != "15555550100" || b["token"] != "123456" || b["type"] != "sms" {
		t.Fatalf("body = %v", b)
	}
	if e := ev.next(t); e.Event != EventSignedIn {
		t.Fatalf("event %v", e.Event)
	}
}

func TestOT04b_VerifyTokenHashRecoveryEmitsPasswordRecovery(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "verify_recovery", 1, nil)
	srv.on("POST", "/verify", rep)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	ev.next(t)
	if _, err := c.VerifyOTP(context.Background(), VerifyOTPParams{TokenHash: "58dad7b4", Type: OTPRecovery}); err != nil {
		t.Fatal(err)
	}
	if b := srv.calls("POST", "/verify")[0].jsonBody(t); b["token_hash"] != "58dad7b4" || b["email"] != nil {
		t.Fatalf("body = %v", b)
	}
	if e := ev.next(t); e.Event != EventSignedIn {
		t.Fatalf("event %v", e.Event)
	}
	if e := ev.next(t); e.Event != EventPasswordRecovery {
		t.Fatalf("event %v", e.Event)
	}
}

func TestOT05_VerifyOTPWithInvalidToken(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "verify_invalid_token", 0, nil)
	srv.on("POST", "/verify", rep)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.VerifyOTP(context.Background(), VerifyOTPParams{Email: "a@example.com", Token: "000000", Type: OTPEmail})
	if err == nil || err.Error() != "Token has expired or is invalid" || ErrorCode(err) != "otp_expired" {
		t.Fatalf("error = %v", err)
	}
}

func TestSS01_SignInWithSSOByProviderID(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("POST", "/sso", reply{status: 200, headers: map[string]string{"Content-Type": "application/json"}, body: []byte(`{"url":"https://idp.example.com/saml?x=1"}`)})
	c := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	u, err := c.SignInWithSSO(context.Background(), SSOParams{ProviderID: "8f6c5c3e", RedirectTo: "http://127.0.0.1:1/cb"})
	if err != nil || u != "https://idp.example.com/saml?x=1" {
		t.Fatalf("SignInWithSSO = %q, %v", u, err)
	}
	b := srv.calls("POST", "/sso")[0].jsonBody(t)
	if b["provider_id"] != "8f6c5c3e" || b["skip_http_redirect"] != true || b["redirect_to"] != "http://127.0.0.1:1/cb" || b["code_challenge_method"] != "s256" {
		t.Fatalf("body = %v", b)
	}
	if storedSession(t, c) != nil {
		t.Fatal("SSO must not create a session")
	}
}

func TestSS02_SignInWithSSOByDomain(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "sso_no_provider_for_domain", 0, nil)
	srv.on("POST", "/sso", rep)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SignInWithSSO(context.Background(), SSOParams{Domain: "example.org"})
	if ErrorCode(err) != "saml_provider_disabled" {
		t.Fatalf("error = %v", err)
	}
	if b := srv.calls("POST", "/sso")[0].jsonBody(t); b["domain"] != "example.org" || b["skip_http_redirect"] != true {
		t.Fatalf("body = %v", b)
	}
	if _, err := c.SignInWithSSO(context.Background(), SSOParams{}); !errors.As(err, new(*InvalidCredentialsError)) {
		t.Fatalf("neither id nor domain: %v", err)
	}
}

func TestPK01_ExchangeCodeForSession(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	if _, err := c.SignInWithOAuth(context.Background(), OAuthParams{Provider: "github"}); err != nil {
		t.Fatal(err)
	}
	v, _, _ := c.loadCodeVerifier(context.Background())
	ev, _ := recordEvents(c)
	ev.next(t)
	ar, err := c.ExchangeCodeForSession(context.Background(), "auth-code-1")
	if err != nil || ar.Session.AccessToken != jwt {
		t.Fatalf("Exchange = %+v, %v", ar, err)
	}
	call := srv.calls("POST", "/token")[0]
	if b := call.jsonBody(t); call.Query["grant_type"][0] != "pkce" || b["auth_code"] != "auth-code-1" || b["code_verifier"] != v {
		t.Fatalf("request = %+v", call)
	}
	if _, ok, _ := c.loadCodeVerifier(context.Background()); ok {
		t.Fatal("verifier not consumed")
	}
	if e := ev.next(t); e.Event != EventSignedIn {
		t.Fatalf("event %v", e.Event)
	}
}

func TestPK02_ExchangeCodeWithoutVerifier(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	_, err := c.ExchangeCodeForSession(context.Background(), "code")
	var pe *PKCEGrantCodeExchangeError
	if !errors.As(err, &pe) || pe.Name != "AuthPKCEGrantCodeExchangeError" || srv.total() != 0 {
		t.Fatalf("error = %T %v", err, err)
	}
}

func TestPK03_ExchangeCodeWithInvalidCode(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_pkce_bad_code", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	_ = c.saveCodeVerifier(context.Background(), strings.Repeat("a", 112), false)
	_, err := c.ExchangeCodeForSession(context.Background(), "bad")
	if !IsAuthAPIError(err) || ErrorCode(err) != "flow_state_not_found" {
		t.Fatalf("error = %v", err)
	}
	if _, ok, _ := c.loadCodeVerifier(context.Background()); ok {
		t.Fatal("verifier must be removed on failure too")
	}
}

func TestPR01_ResetPasswordForEmail(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "recover", 0, nil)
	srv.on("POST", "/recover", rep)
	c := newTestClient(t, srv.URL, nil)
	if err := c.ResetPasswordForEmail(context.Background(), "a@example.com", ResetPasswordOptions{RedirectTo: "http://127.0.0.1/r"}); err != nil {
		t.Fatal(err)
	}
	call := srv.calls("POST", "/recover")[0]
	if b := call.jsonBody(t); b["email"] != "a@example.com" || b["code_challenge"] != nil || call.Query["redirect_to"][0] != "http://127.0.0.1/r" {
		t.Fatalf("request = %+v", call)
	}
}

func TestPR02_ResetPasswordWithPKCEMarksVerifierForRecovery(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "recover", 0, nil)
	srv.on("POST", "/recover", rep)
	ok, _ := stepReply(t, "verify_recovery", 1, nil)
	srv.on("POST", "/token", ok)
	c := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	if err := c.ResetPasswordForEmail(context.Background(), "a@example.com", ResetPasswordOptions{}); err != nil {
		t.Fatal(err)
	}
	raw, _, _ := c.storage.GetItem(context.Background(), c.codeVerifierKey())
	stored, _, _ := c.loadCodeVerifier(context.Background())
	if !strings.HasSuffix(stored, "/PASSWORD_RECOVERY") || len(stored) != 112+len("/PASSWORD_RECOVERY") || raw != `"`+stored+`"` {
		t.Fatalf("stored verifier = %q (raw %q)", stored, raw)
	}
	verifier := strings.TrimSuffix(stored, "/PASSWORD_RECOVERY")
	if b := srv.calls("POST", "/recover")[0].jsonBody(t); b["code_challenge"] != CodeChallengeS256(verifier) {
		t.Fatalf("challenge does not match the verifier: %v", b)
	}
	ev, _ := recordEvents(c)
	ev.next(t)
	if _, err := c.ExchangeCodeForSession(context.Background(), "code"); err != nil {
		t.Fatal(err)
	}
	if b := srv.calls("POST", "/token")[0].jsonBody(t); b["code_verifier"] != verifier {
		t.Fatalf("sent verifier %v, want it without the suffix", b["code_verifier"])
	}
	if e := ev.next(t); e.Event != EventPasswordRecovery {
		t.Fatalf("event %v", e.Event)
	}
}

func TestUM01_GetUserReturnsCurrentUser(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", rep)
	c := newTestClient(t, srv.URL, nil)
	s := testSession(t, "rt", testNow.Unix()+3000)
	storeSession(t, c, s)
	u, err := c.GetUser(context.Background(), "")
	if err != nil || u.ID != "b930d47c-bb25-490e-85b0-f0fa9e8f4f3e" || u.Email != "rec-fd01aaecb7@example.com" {
		t.Fatalf("GetUser = %+v, %v", u, err)
	}
	if h := srv.calls("GET", "/user")[0].Header.Get("Authorization"); h != "Bearer "+s.AccessToken {
		t.Fatalf("Authorization = %q", h)
	}
	// Never cached: a second call is a second request.
	_, _ = c.GetUser(context.Background(), "")
	if len(srv.calls("GET", "/user")) != 2 {
		t.Fatal("GetUser served from cache")
	}
}

func TestUM02_GetUserAfterSignOut(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "logout_global", 2, nil)
	srv.on("POST", "/logout", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	if err := c.SignOut(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), ""); !IsAuthSessionMissingError(err) {
		t.Fatalf("error = %v", err)
	}
}

func TestUM03_UpdateUserWithMetadata(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_update_metadata", 0, nil)
	srv.on("PUT", "/user", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	u, err := c.UpdateUser(context.Background(), UserAttributes{Data: map[string]any{"theme": "dark"}}, "")
	if err != nil || u.UserMetadata["theme"] != "dark" {
		t.Fatalf("UpdateUser = %+v, %v", u, err)
	}
	if b := srv.calls("PUT", "/user")[0].jsonBody(t); len(b) != 1 || b["data"].(map[string]any)["theme"] != "dark" {
		t.Fatalf("body = %v, want only data", b)
	}
	if s := storedSession(t, c); s.User.UserMetadata["theme"] != "dark" {
		t.Fatal("stored session's user not updated")
	}
	if _, err := newTestClient(t, srv.URL, nil).UpdateUser(context.Background(), UserAttributes{Password: "x"}, ""); !IsAuthSessionMissingError(err) {
		t.Fatalf("signed out: %v", err)
	}
}

func TestUM03b_UpdateUserWeakPassword(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_update_password", 2, nil)
	srv.on("PUT", "/user", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	_, err := c.UpdateUser(context.Background(), UserAttributes{Password: "123"}, "")
	if !IsAuthWeakPasswordError(err) || strings.Contains(err.Error(), "123\"") {
		t.Fatalf("error = %v", err)
	}
}

func TestUM04_GetUserIdentities(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	ids, err := c.GetUserIdentities(context.Background())
	if err != nil || len(ids) != 1 || ids[0].Provider != "email" || ids[0].IdentityID != "fbbd47b6-e53c-42a6-9be3-9b14a365de64" || ids[0].IdentityData["email"] != "rec-fd01aaecb7@example.com" {
		t.Fatalf("identities = %+v, %v", ids, err)
	}
}

func TestUnlinkAndLinkIdentity(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "identity_unlink_only_identity", 0, nil)
	srv.on("DELETE", "/user/identities/9ba399c2-eb99-49f5-9eab-3878d80daf9c", rep)
	link, _ := stepReply(t, "identity_link_authorize", 0, nil)
	srv.on("GET", "/user/identities/authorize", link)
	c := newTestClient(t, srv.URL, nil)
	s := testSession(t, "rt", testNow.Unix()+3000)
	storeSession(t, c, s)
	err := c.UnlinkIdentity(context.Background(), "9ba399c2-eb99-49f5-9eab-3878d80daf9c")
	if ErrorCode(err) != "single_identity_not_deletable" {
		t.Fatalf("error = %v", err)
	}
	res, err := c.LinkIdentity(context.Background(), OAuthParams{Provider: "github", RedirectTo: "http://127.0.0.1:53682/cb"})
	if err != nil || !strings.HasPrefix(res.URL, "https://github.com/login/oauth/authorize?") {
		t.Fatalf("LinkIdentity = %+v, %v", res, err)
	}
	call := srv.calls("GET", "/user/identities/authorize")[0]
	if call.Query["provider"][0] != "github" || call.Query["skip_http_redirect"][0] != "true" || call.Header.Get("Authorization") != "Bearer "+s.AccessToken {
		t.Fatalf("request = %+v", call)
	}
}

func TestReauthenticate(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "reauthenticate", 0, nil)
	srv.on("GET", "/reauthenticate", rep)
	c := newTestClient(t, srv.URL, nil)
	if err := c.Reauthenticate(context.Background()); !IsAuthSessionMissingError(err) {
		t.Fatalf("signed out: %v", err)
	}
	s := testSession(t, "rt", testNow.Unix()+3000)
	storeSession(t, c, s)
	if err := c.Reauthenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h := srv.calls("GET", "/reauthenticate")[0].Header.Get("Authorization"); h != "Bearer "+s.AccessToken {
		t.Fatalf("Authorization = %q", h)
	}
}

func TestRS01_ResendEmailConfirmation(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "resend_signup", 0, nil)
	srv.on("POST", "/resend", rep)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Resend(context.Background(), ResendParams{Type: OTPSignup, Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if b := srv.calls("POST", "/resend")[0].jsonBody(t); b["type"] != "signup" || b["email"] != "a@example.com" {
		t.Fatalf("body = %v", b)
	}
}

func TestRS02_ResendPhoneOTP(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "resend_sms", 0, nil)
	srv.on("POST", "/resend", rep)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Resend(context.Background(), ResendParams{Type: OTPSMS, Phone: "15555550101"}); err != nil {
		t.Fatal(err)
	}
	if b := srv.calls("POST", "/resend")[0].jsonBody(t); b["type"] != "sms" || b["phone"] != "15555550101" {
		t.Fatalf("body = %v", b)
	}
}

func TestRS03_ResendWithoutEmailOrPhone(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "resend_missing", 1, nil) // the server's answer to an unknown type
	srv.on("POST", "/resend", rep)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Resend(context.Background(), ResendParams{Type: OTPSignup}); !errors.As(err, new(*InvalidCredentialsError)) {
		t.Fatalf("error = %v", err)
	}
	if srv.total() != 0 {
		t.Fatal("request sent")
	}
	_, err := c.Resend(context.Background(), ResendParams{Type: OTPMagicLink, Email: "a@example.com"})
	if ErrorCode(err) != "validation_failed" {
		t.Fatalf("server validation: %v", err)
	}
}

func TestRevokedSessionIsForgottenByUserCalls(t *testing.T) {
	srv := newFakeServer(t)
	gone, _ := stepReply(t, "logout_global", 3, nil) // 403 session_not_found after a global sign-out
	srv.on("GET", "/reauthenticate", gone)
	srv.on("PUT", "/user", gone)
	for name, call := range map[string]func(c *Client) error{
		"Reauthenticate": func(c *Client) error { return c.Reauthenticate(context.Background()) },
		"UpdateUser": func(c *Client) error {
			_, err := c.UpdateUser(context.Background(), UserAttributes{Data: map[string]any{"a": 1}}, "")
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, srv.URL, nil)
			storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
			if err := call(c); !IsAuthSessionMissingError(err) || ErrorCode(err) != CodeSessionNotFound {
				t.Fatalf("error = %v", err)
			}
			if storedSession(t, c) != nil {
				t.Fatal("revoked session kept")
			}
		})
	}
}
