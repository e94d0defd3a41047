package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestRedactJSON(t *testing.T) {
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
	in := `{"email":"a@example.com","password":"pw-secret","refresh_token":"rt-secret","access_token":"` + jwt + `",
	"code":"auth-code-secret","code_verifier":"verifier-secret","nonce":"nonce-secret","token":"123456","token_hash":"hash-secret",
	"gotrue_meta_security":{"captcha_token":"captcha-secret"},"totp":{"secret":"totp-secret","qr_code":"data:image/svg+xml;qr-secret","uri":"otpauth://totp/x?secret=uri-secret&issuer=me"},
	"email_otp":"otp-secret","client_secret":"client-secret","action_link":"http://h/verify?token=link-secret&type=signup&redirect_to=http://x",
	"note":"Bearer inline-bearer-secret and ` + jwt + `","id_token":"id-secret","provider_refresh_token":"prt-secret",
	"token_type":"bearer","expires_in":3600,"weak_password":{"reasons":["length"]},"factor_type":"totp","list":[{"password":"nested-secret"}]}`
	out := string(RedactJSON([]byte(in)))
	for _, secret := range []string{"pw-secret", "rt-secret", jwt, "auth-code-secret", "verifier-secret", "nonce-secret", "123456",
		"hash-secret", "captcha-secret", "totp-secret", "qr-secret", "uri-secret", "otp-secret", "client-secret", "link-secret",
		"inline-bearer-secret", "id-secret", "prt-secret", "nested-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q survived redaction: %s", secret, out)
		}
	}
	for _, keep := range []string{"a@example.com", `"token_type":"bearer"`, `"expires_in":3600`, `"reasons":["length"]`, `"factor_type":"totp"`, "type=signup"} {
		if !strings.Contains(out, keep) {
			t.Errorf("%q lost by redaction: %s", keep, out)
		}
	}
	if got := string(RedactJSON([]byte("grant_type=authorization_code&code=form-secret&client_secret=cs&client_id=abc"))); strings.Contains(got, "form-secret") || strings.Contains(got, "=cs") || !strings.Contains(got, "client_id=abc") {
		t.Errorf("form body: %s", got)
	}
}

func TestRedactHeadersAndURL(t *testing.T) {
	h := http.Header{
		"Authorization": {"Bearer tok-secret"}, "Apikey": {"key-secret"}, "Cookie": {"sb=c-secret"},
		"Location":      {"http://127.0.0.1:5/cb#access_token=frag-secret&refresh_token=r-secret&expires_in=3600&type=recovery"},
		"X-Client-Info": {"authctl/1.0"},
	}
	out := RedactHeaders(h)
	joined := strings.Join([]string{out.Get("Authorization"), out.Get("Apikey"), out.Get("Cookie"), out.Get("Location")}, " ")
	for _, s := range []string{"tok-secret", "key-secret", "c-secret", "frag-secret", "r-secret"} {
		if strings.Contains(joined, s) {
			t.Errorf("%q survived: %s", s, joined)
		}
	}
	if out.Get("Authorization") != "Bearer [REDACTED]" || out.Get("X-Client-Info") != "authctl/1.0" || !strings.Contains(out.Get("Location"), "type=recovery") {
		t.Errorf("over-redacted: %v", out)
	}
	if h.Get("Authorization") != "Bearer tok-secret" {
		t.Error("RedactHeaders modified its input")
	}
	u := RedactURL("https://user:pw-secret@h/verify?token=t-secret&type=magiclink&redirect_to=http%3A%2F%2Fx")
	if strings.Contains(u, "pw-secret") || strings.Contains(u, "t-secret") || !strings.Contains(u, "type=magiclink") {
		t.Errorf("RedactURL = %s", u)
	}
}

func TestErrorMessagesNeverContainSentSecrets(t *testing.T) {
	srv := newFakeServer(t)
	// A server (or proxy) echoing what it received must not leak it through our errors.
	srv.on("POST", "/token", reply{status: 400, headers: map[string]string{"Content-Type": "application/json"},
		body: []byte(`{"code":"validation_failed","message":"bad password hunter2-pw for token rt-0123456789"}`)})
	srv.on("POST", "/echo", reply{status: 404, body: []byte("no route for apikey=" + testAnonKey + " Bearer user-jwt-secret")})
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), Request{Method: "POST", Path: "/token", Body: map[string]string{"password": "hunter2-pw", "refresh_token": "rt-0123456789"}}, nil)
	if err == nil || strings.Contains(err.Error(), "hunter2-pw") || strings.Contains(err.Error(), "rt-0123456789") {
		t.Fatalf("error = %v", err)
	}
	_, err = c.Do(context.Background(), Request{Method: "POST", Path: "/echo", Token: "user-jwt-secret"}, nil)
	if err == nil || strings.Contains(err.Error(), testAnonKey) || strings.Contains(err.Error(), "user-jwt-secret") {
		t.Fatalf("error = %v", err)
	}
}

func TestIsSensitiveName(t *testing.T) {
	for _, n := range []string{"password", "new_password", "access_token", "refresh_token", "provider_token", "code", "auth_code",
		"code_verifier", "nonce", "token", "token_hash", "hashed_token", "email_otp", "otp", "secret", "client_secret",
		"apikey", "Authorization", "X-Api-Key", "captcha_token", "id_token", "Set-Cookie", "password_hash"} {
		if !IsSensitiveName(n) {
			t.Errorf("%s not sensitive", n)
		}
	}
	for _, n := range []string{"email", "phone", "token_type", "expires_in", "type", "provider", "redirect_to", "weak_password", "factor_type", "scope", "error_code"} {
		if IsSensitiveName(n) {
			t.Errorf("%s treated as sensitive", n)
		}
	}
}

// Regression: a password of 4+ characters was scrubbed as a substring, so
// "word" turned the code weak_password into weak_pass[REDACTED] (scripts
// branch on it) and the marker showed where the password was.
func TestScrubKeepsServerCodesAndWords(t *testing.T) {
	body := []byte(`{"code":"weak_password","message":"Password should contain at least one character of each: abcdefghijklmnopqrstuvwxyz.","weak_password":{"reasons":["characters"]}}`)
	err := classifyResponse(422, http.Header{}, body, []string{"word", "characters", "abcd"})
	var ae Error
	if !errors.As(err, &ae) || ae.Base().Code != "weak_password" {
		t.Fatalf("code: %+v", err)
	}
	if strings.Contains(err.Error(), redacted) {
		t.Fatalf("message mangled: %s", err.Error())
	}
	// A short secret echoed on its own is still removed; a long one
	// everywhere; a code that is the secret is removed.
	for msg, secret := range map[string]string{
		"bad password hunter2 given":           "hunter2",
		"tok=xx0123456789abcdefghij glued":     "0123456789abcdefghij",
		`{"code":"s3cr3t-c0de","message":"x"}`: "s3cr3t-c0de",
	} {
		body := []byte(`{"message":"` + strings.ReplaceAll(msg, `"`, `\"`) + `"}`)
		if strings.HasPrefix(msg, "{") {
			body = []byte(msg)
		}
		err := classifyResponse(400, http.Header{}, body, []string{secret})
		if strings.Contains(err.Error(), secret) || strings.Contains(ae.Base().Code, secret) {
			t.Errorf("%q: secret left in %q", msg, err.Error())
		}
		if errors.As(err, &ae) && strings.Contains(ae.Base().Code, secret) {
			t.Errorf("%q: secret left in code %q", msg, ae.Base().Code)
		}
	}
}

// Regression: --debug hid the code of every error body and public metadata
// whose names contain "token" or "code".
func TestRedactJSONKeepsPublicFields(t *testing.T) {
	for _, in := range []string{
		`{"code":"invalid_credentials","message":"Invalid login credentials"}`,
		`{"code":400,"error_code":"weak_password","msg":"x"}`,
		`{"issuer":"http://h","token_endpoint":"http://h/token","id_token_signing_alg_values_supported":["RS256"],"token_endpoint_auth_methods_supported":["none"],"code_challenge_methods_supported":["S256"],"grant_types_supported":["authorization_code"]}`,
	} {
		if out := string(RedactJSON([]byte(in))); strings.Contains(out, redacted) {
			t.Errorf("public field redacted: %s", out)
		}
	}
	for _, secret := range []string{"0b6e4a0e-3a57-4f8e-9d0c-5f1c2b7e9a11", "Zk3-q9X_pL", "abcdefgh"} {
		if out := string(RedactJSON([]byte(`{"code":"` + secret + `"}`))); strings.Contains(out, secret) {
			t.Errorf("authorization code %q survived: %s", secret, out)
		}
	}
}
