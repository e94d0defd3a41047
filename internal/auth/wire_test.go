package auth

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
)

// TestRequestsMatchRecordedRequests sends each operation with the values of a
// recorded request and compares what goes on the wire with what the real
// server was sent: method, path, query, JSON body (exactly) and the protocol
// headers. The server's answers in these transcripts depend on exactly these
// shapes.
func TestRequestsMatchRecordedRequests(t *testing.T) {
	yes := true
	cases := []struct {
		file string
		idx  int
		call func(c *Client) error
	}{
		{"token_password_ok", 0, func(c *Client) error {
			_, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "rec-715f7e814d@example.com", Password: "correct-horse-9"})
			return err
		}},
		{"token_refresh_ok", 1, func(c *Client) error {
			_, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "46n6qtayn2cm"})
			return err
		}},
		{"signup_email_with_metadata", 0, func(c *Client) error {
			_, err := c.SignUp(context.Background(), SignUpCredentials{Email: "rec-6dbd6b9b4c@example.com", Password: "correct-horse-9",
				Data: map[string]any{"plan": "pro", "age": 42, "tags": []string{"a", "b"}}})
			return err
		}},
		{"signup_anonymous", 1, func(c *Client) error {
			_, err := c.SignInAnonymously(context.Background(), map[string]any{"k": "v"}, "")
			return err
		}},
		{"otp_email", 0, func(c *Client) error {
			_, err := c.SignInWithOTP(context.Background(), OTPCredentials{Email: "rec-fbb0645c25@example.com", ShouldCreateUser: &yes})
			return err
		}},
		{"otp_phone", 0, func(c *Client) error {
			_, err := c.SignInWithOTP(context.Background(), OTPCredentials{Phone: "15555550100"})
			return err
		}},
		{"verify_phone_sms", 0, func(c *Client) error {
			_, err := c.VerifyOTP(context.Background(), VerifyOTPParams{Phone: "15555550100", Token: "123456", Type: OTPSMS})
			return err
		}},
		{"verify_token_hash", 1, func(c *Client) error {
			_, err := c.VerifyOTP(context.Background(), VerifyOTPParams{TokenHash: "06a5e5807d3900f1539b484aae66e0e467dac77dac7e02ffd6a06dc1", Type: OTPMagicLink})
			return err
		}},
		{"recover", 0, func(c *Client) error {
			return c.ResetPasswordForEmail(context.Background(), "rec-125a4d1ad0@example.com", ResetPasswordOptions{})
		}},
		{"resend_sms", 0, func(c *Client) error {
			_, err := c.Resend(context.Background(), ResendParams{Type: OTPSMS, Phone: "15555550101"})
			return err
		}},
		{"resend_signup", 0, func(c *Client) error {
			_, err := c.Resend(context.Background(), ResendParams{Type: OTPSignup, Email: "rec-82707ed24c@example.com"})
			return err
		}},
		{"sso_no_provider_for_domain", 0, func(c *Client) error {
			_, err := c.SignInWithSSO(context.Background(), SSOParams{Domain: "example.org"})
			return err
		}},
		{"token_id_token_garbage", 1, func(c *Client) error {
			_, err := c.SignInWithIDToken(context.Background(), IDTokenCredentials{Provider: "nosuch", Token: "garbage"})
			return err
		}},
		{"token_pkce_bad_code", 0, func(c *Client) error {
			_ = c.saveCodeVerifier(context.Background(), "e7f874980fa45f84042ba115cf1a51a86f73efcac399fbabcee11c625cfe02ad", false)
			_, err := c.ExchangeCodeForSession(context.Background(), "aba5fc62-40be-43ad-8d94-dc9b6f6bd026")
			return err
		}},
		{"user_update_metadata", 0, func(c *Client) error {
			_, err := c.UpdateUser(context.Background(), UserAttributes{Data: map[string]any{"theme": "dark"}}, "")
			return err
		}},
		{"logout_scopes", 1, func(c *Client) error { return c.SignOut(context.Background(), SignOutOthers) }},
		{"reauthenticate", 0, func(c *Client) error { return c.Reauthenticate(context.Background()) }},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			st := loadStep(t, tc.file, tc.idx)
			srv := newFakeServer(t)
			rep, _ := stepReply(t, tc.file, tc.idx, nil)
			srv.on(st.Request.Method, st.Request.Path, rep)
			c := newTestClient(t, srv.URL, nil)
			if _, ok := st.Request.Headers["Authorization"]; ok {
				storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
			}
			_ = tc.call(c) // error answers are recorded too; only the request matters here
			calls := srv.calls(st.Request.Method, st.Request.Path)
			if len(calls) != 1 {
				t.Fatalf("%d requests to %s %s, want 1", len(calls), st.Request.Method, st.Request.Path)
			}
			got := calls[0]
			wantQuery := map[string][]string{}
			for k, v := range st.Request.Query {
				wantQuery[k] = []string{v}
			}
			if len(got.Query) != 0 || len(wantQuery) != 0 {
				if !reflect.DeepEqual(map[string][]string(got.Query), wantQuery) {
					t.Errorf("query = %v, recorded %v", got.Query, wantQuery)
				}
			}
			var want, have any
			_ = json.Unmarshal(st.Request.Body, &want)
			if len(got.Body) > 0 {
				if err := json.Unmarshal(got.Body, &have); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(have, want) {
				t.Errorf("body = %s, recorded %s", got.Body, st.Request.Body)
			}
			for _, h := range []string{"X-Supabase-Api-Version", "Content-Type"} {
				if got.Header.Get(h) != st.Request.Headers[h] {
					t.Errorf("%s = %q, recorded %q", h, got.Header.Get(h), st.Request.Headers[h])
				}
			}
			if _, ok := st.Request.Headers["Authorization"]; ok != (got.Header.Get("Authorization") != "") {
				t.Errorf("Authorization presence differs from the recording")
			}
			if got.Header.Get("apikey") != testAnonKey {
				t.Errorf("apikey = %q", got.Header.Get("apikey"))
			}
		})
	}
}
