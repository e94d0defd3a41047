package emulator

import "testing"

// A WebAuthn factor left in the state of an emulator that no longer
// accepts them (a data file reused without --mfa-webauthn) can be neither
// challenged nor verified; verify answers with the server's enroll code.
// With only enrolment off, it still can.
func TestWebAuthnFactorSwitchedOff(t *testing.T) {
	s, ts := newTestServer(t, func(c *Config) { c.MFAWebAuthnEnroll, c.MFAWebAuthnVerify = true, true })
	var sess testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "key@example.com", "password": "correct-horse-9"}, &sess)
	var f struct{ ID string }
	if resp := call(t, "POST", ts.URL+"/factors", sess.AccessToken, map[string]string{"factor_type": "webauthn"}, &f); resp.StatusCode != 200 {
		t.Fatalf("enroll: %d", resp.StatusCode)
	}
	// Enrolment off, verification on: the factor enrolled before still
	// gets its challenge; a new one is refused.
	s.mu.Lock()
	s.cfg.MFAWebAuthnEnroll = false
	s.mu.Unlock()
	var e struct {
		ErrorCode string `json:"error_code"`
	}
	if resp := call(t, "POST", ts.URL+"/factors", sess.AccessToken, map[string]string{"factor_type": "webauthn"}, &e); resp.StatusCode != 422 || e.ErrorCode != "mfa_webauthn_enroll_not_enabled" {
		t.Errorf("enroll with enrolment off: %d %+v", resp.StatusCode, e)
	}
	if resp := call(t, "POST", ts.URL+"/factors/"+f.ID+"/challenge", sess.AccessToken, map[string]any{}, nil); resp.StatusCode != 200 {
		t.Errorf("challenge with only verification on: %d, want 200", resp.StatusCode)
	}
	s.mu.Lock()
	s.cfg.MFAWebAuthnVerify = false
	s.mu.Unlock()
	for _, r := range []struct{ step, code string }{
		{"challenge", "mfa_webauthn_verify_not_enabled"},
		{"verify", "mfa_webauthn_enroll_not_enabled"},
	} {
		var e struct {
			ErrorCode string `json:"error_code"`
			Msg       string `json:"msg"`
		}
		resp := call(t, "POST", ts.URL+"/factors/"+f.ID+"/"+r.step, sess.AccessToken, map[string]any{}, &e)
		if resp.StatusCode != 422 || e.ErrorCode != r.code || e.Msg != "MFA verification is disabled for WebAuthn" {
			t.Errorf("%s: %d %+v, want 422 %s", r.step, resp.StatusCode, e, r.code)
		}
	}
}
