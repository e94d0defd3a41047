package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Settings a production project has and local development does not. What
// each test expects was seen on a real server (v2.196) configured the same
// way; the recordings are in testdata/transcripts.

// apiErr is the legacy error body.
type apiErr struct {
	Code string `json:"error_code"`
	Msg  string `json:"msg"`
}

func wantErr(t *testing.T, what string, resp *http.Response, e apiErr, status int, code, msg string) {
	t.Helper()
	if resp.StatusCode != status || e.Code != code || (msg != "" && e.Msg != msg) {
		t.Errorf("%s: %d %+v, want %d %s %q", what, resp.StatusCode, e, status, code, msg)
	}
}

// lastMessage is the latest message the emulator would have sent to.
func lastMessage(t *testing.T, srv *Server, ts string, to string) message {
	t.Helper()
	var msgs []message
	call(t, "GET", ts+"/emulator/messages?to="+to, srv.ServiceRoleKey(), nil, &msgs)
	if len(msgs) == 0 {
		t.Fatalf("no message to %s", to)
	}
	return msgs[len(msgs)-1]
}

func TestConfirmEmail(t *testing.T) {
	srv, ts := newTestServer(t, func(c *Config) { c.ConfirmEmail = true })
	var settings struct {
		MailerAutoconfirm bool `json:"mailer_autoconfirm"`
	}
	call(t, "GET", ts.URL+"/settings", "", nil, &settings)
	if settings.MailerAutoconfirm {
		t.Error("/settings says mailer_autoconfirm with ConfirmEmail")
	}
	body := map[string]string{"email": "wait@example.com", "password": "correct-horse-9"}
	var u map[string]any
	call(t, "POST", ts.URL+"/signup", "", body, &u)
	if u["id"] == nil || u["access_token"] != nil || u["confirmation_sent_at"] == nil || u["email_confirmed_at"] != nil {
		t.Fatalf("sign-up answered %v, want an unconfirmed user and no session", u)
	}
	var e apiErr
	resp := call(t, "POST", ts.URL+"/token?grant_type=password", "", body, &e)
	wantErr(t, "sign-in before confirming", resp, e, 400, "email_not_confirmed", "Email not confirmed")

	var again map[string]any
	call(t, "POST", ts.URL+"/signup", "", body, &again)
	if again["id"] != u["id"] {
		t.Errorf("signing up again while pending answered %v, want the same user", again)
	}
	m := lastMessage(t, srv, ts.URL, "wait@example.com")
	var s testSession
	if resp := call(t, "POST", ts.URL+"/verify", "", map[string]string{"type": "signup", "email": "wait@example.com", "token": m.OTP}, &s); resp.StatusCode != 200 || s.AccessToken == "" {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
	resp = call(t, "POST", ts.URL+"/signup", "", body, &e)
	wantErr(t, "sign-up of a confirmed user (SMS autoconfirm on)", resp, e, 422, "user_already_exists", "User already registered")
}

func TestConfirmBothHidesExistingUsers(t *testing.T) {
	srv, ts := newTestServer(t, func(c *Config) { c.ConfirmEmail, c.ConfirmPhone = true, true })
	call(t, "POST", ts.URL+"/admin/users", srv.ServiceRoleKey(), map[string]any{"email": "known@example.com", "password": "correct-horse-9", "email_confirm": true}, nil)
	var u map[string]any
	resp := call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "known@example.com", "password": "correct-horse-9"}, &u)
	if resp.StatusCode != 200 || u["role"] != "" || u["access_token"] != nil || u["id"] == srv.st.userByEmail("known@example.com").ID {
		t.Errorf("sign-up of an existing user: %d %v, want a made-up user", resp.StatusCode, u)
	}
}

func TestConfirmPhoneAndFailingSMS(t *testing.T) {
	srv, ts := newTestServer(t, func(c *Config) { c.ConfirmPhone, c.FailSMS = true, true })
	var e apiErr
	resp := call(t, "POST", ts.URL+"/signup", "", map[string]string{"phone": "15550001234", "password": "correct-horse-9"}, &e)
	wantErr(t, "phone sign-up, provider failing", resp, e, 422, "sms_send_failed", "")
	if !strings.HasPrefix(e.Msg, "Error sending confirmation OTP to provider: ") {
		t.Errorf("message %q", e.Msg)
	}
	if srv.st.userByPhone("15550001234") != nil {
		t.Error("a failed sign-up left a user behind")
	}
	// Test numbers never reach the provider.
	var u map[string]any
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"phone": "15555550100", "password": "correct-horse-9"}, &u)
	if u["access_token"] != nil || u["phone_confirmed_at"] != nil {
		t.Fatalf("phone sign-up answered %v, want a user waiting for the code", u)
	}
	resp = call(t, "POST", ts.URL+"/token?grant_type=password", "", map[string]string{"phone": "15555550100", "password": "correct-horse-9"}, &e)
	wantErr(t, "sign-in before confirming", resp, e, 400, "phone_not_confirmed", "Phone not confirmed")
	var s testSession
	call(t, "POST", ts.URL+"/verify", "", map[string]string{"type": "sms", "phone": "15555550100", "token": "123456"}, &s)
	if s.AccessToken == "" {
		t.Fatal("no session after the test code")
	}
	// A phone change waits for the code, which the provider fails to send.
	resp = call(t, "PUT", ts.URL+"/user", s.AccessToken, map[string]string{"phone": "15550009999"}, &e)
	wantErr(t, "phone change, provider failing", resp, e, 422, "sms_send_failed", "")
	call(t, "PUT", ts.URL+"/user", s.AccessToken, map[string]string{"phone": "15555550101"}, &u)
	if u["phone"] != "15555550100" || u["new_phone"] != "15555550101" {
		t.Errorf("phone change with SMS confirmation: %v, want it pending", u)
	}
}

func TestManualLinkingDisabled(t *testing.T) {
	_, ts := newTestServer(t, func(c *Config) { c.DisableManualLinking = true })
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "link@example.com", "password": "correct-horse-9"}, &s)
	for _, r := range []struct{ method, path string }{
		{"GET", "/user/identities/authorize?provider=github&skip_http_redirect=true"},
		{"DELETE", "/user/identities/" + newID()},
	} {
		var e apiErr
		resp := call(t, r.method, ts.URL+r.path, s.AccessToken, nil, &e)
		wantErr(t, r.method+" "+r.path, resp, e, 404, "manual_linking_disabled", "Manual linking is disabled")
	}
}

func TestSecureEmailChange(t *testing.T) {
	srv, ts := newTestServer(t, func(c *Config) { c.SecureEmailChange = true })
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "old@example.com", "password": "correct-horse-9"}, &s)
	call(t, "PUT", ts.URL+"/user", s.AccessToken, map[string]string{"email": "new@example.com"}, nil)
	cur, next := lastMessage(t, srv, ts.URL, "old@example.com"), lastMessage(t, srv, ts.URL, "new@example.com")
	if cur.Type != "email_change_current" || next.Type != "email_change_new" {
		t.Fatalf("messages %+v %+v, want one to each address", cur, next)
	}
	var first map[string]any
	call(t, "POST", ts.URL+"/verify", "", map[string]string{"type": "email_change", "token_hash": next.TokenHash}, &first)
	if first["msg"] != confirmOtherMsg || first["access_token"] != nil {
		t.Fatalf("first confirmation: %v", first)
	}
	var v testSession
	call(t, "POST", ts.URL+"/verify", "", map[string]string{"type": "email_change", "token_hash": cur.TokenHash}, &v)
	if v.User.Email != "new@example.com" {
		t.Fatalf("after both confirmations the email is %q", v.User.Email)
	}

	var link map[string]any
	resp := call(t, "POST", ts.URL+"/admin/generate_link", srv.ServiceRoleKey(),
		map[string]string{"type": "email_change_current", "email": "new@example.com", "new_email": "newer@example.com"}, &link)
	if resp.StatusCode != 200 || link["verification_type"] != "email_change_current" || !strings.Contains(link["action_link"].(string), "type=email_change&") {
		t.Errorf("generate_link email_change_current: %d %v", resp.StatusCode, link)
	}
}

func TestRateLimits(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	srv, ts := newTestServer(t, func(c *Config) { c.RateLimits, c.Now = true, clock.Now })
	call(t, "POST", ts.URL+"/admin/users", srv.ServiceRoleKey(), map[string]any{"email": "rl@example.com", "password": "correct-horse-9", "email_confirm": true}, nil)
	var e apiErr
	if resp := call(t, "POST", ts.URL+"/recover", "", map[string]string{"email": "rl@example.com"}, nil); resp.StatusCode != 200 {
		t.Fatalf("first recovery email: %d", resp.StatusCode)
	}
	clock.advance(1500 * time.Millisecond)
	resp := call(t, "POST", ts.URL+"/recover", "", map[string]string{"email": "rl@example.com"}, &e)
	wantErr(t, "second recovery email", resp, e, 429, "over_email_send_rate_limit", "For security purposes, you can only request this after 58 seconds.")
	clock.advance(time.Minute)
	if resp := call(t, "POST", ts.URL+"/recover", "", map[string]string{"email": "rl@example.com"}, nil); resp.StatusCode != 200 {
		t.Errorf("recovery a minute later: %d", resp.StatusCode)
	}

	call(t, "POST", ts.URL+"/otp", "", map[string]string{"phone": "15555550100"}, nil)
	resp = call(t, "POST", ts.URL+"/otp", "", map[string]string{"phone": "15555550100"}, &e)
	wantErr(t, "second SMS", resp, e, 429, "over_sms_send_rate_limit", "For security purposes, you can only request this after 60 seconds.")

	// /token: a burst of 30, then 150 per 5 minutes.
	n := 0
	for ; n < 40; n++ {
		resp = call(t, "POST", ts.URL+"/token?grant_type=password", "", map[string]string{"email": "rl@example.com", "password": "wrong"}, &e)
		if resp.StatusCode == 429 {
			break
		}
	}
	if n != 30 {
		t.Errorf("%d sign-ins before the limit, want 30", n)
	}
	wantErr(t, "31st sign-in", resp, e, 429, "over_request_rate_limit", "Request rate limit reached")
	clock.advance(2 * time.Second) // one more token at 0.5 a second
	if resp := call(t, "POST", ts.URL+"/token?grant_type=password", "", map[string]string{"email": "rl@example.com", "password": "correct-horse-9"}, nil); resp.StatusCode != 200 {
		t.Errorf("sign-in after the refill: %d", resp.StatusCode)
	}
}

func TestHourlyEmailQuota(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	_, ts := newTestServer(t, func(c *Config) { c.RateLimits, c.ConfirmEmail, c.Now = true, true, clock.Now })
	var e apiErr
	var resp *http.Response
	sent := 0
	for ; sent < 60; sent++ {
		clock.advance(10 * time.Second) // keeps the per-IP limit of sign-ups out of the way
		resp = call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": newID() + "@example.com", "password": "correct-horse-9"}, &e)
		if resp.StatusCode != 200 {
			break
		}
	}
	// 30 at once, refilled at 30 an hour while the loop advances the clock.
	if sent < 30 || sent > 35 {
		t.Errorf("%d confirmation emails before the quota, want about 30", sent)
	}
	wantErr(t, "email over the hourly quota", resp, e, 429, "over_email_send_rate_limit", "email rate limit exceeded")
}

// A project under supabase start (NoRequestLimits, its own quota) keeps
// the quotas and spacing but never hits a per-IP limit.
func TestRateLimitsWithoutRequestLimits(t *testing.T) {
	_, ts := newTestServer(t, func(c *Config) {
		c.RateLimits, c.NoRequestLimits, c.ConfirmEmail, c.EmailsPerHour = true, true, true, 45
	})
	var e apiErr
	var resp *http.Response
	sent := 0
	for ; sent < 60; sent++ {
		resp = call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": newID() + "@example.com", "password": "correct-horse-9"}, &e)
		if resp.StatusCode != 200 {
			break
		}
	}
	if sent != 45 {
		t.Errorf("%d sign-ups before the quota, want 45 (no per-IP limit at 30)", sent)
	}
	wantErr(t, "email over the hourly quota", resp, e, 429, "over_email_send_rate_limit", "email rate limit exceeded")
}
