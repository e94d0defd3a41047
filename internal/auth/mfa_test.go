package auth

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// signedInClient is a test client on srv with a valid stored aal1 session.
func signedInClient(t *testing.T, srv *fakeServer) (*Client, *Session) {
	t.Helper()
	c := newTestClient(t, srv.URL, nil)
	s := testSession(t, "rt-1", testNow.Unix()+3600)
	storeSession(t, c, s)
	return c, s
}

func TestMFAEnrollTOTPKeepsServerSVG(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "mfa_totp_enroll_challenge_verify", 0)
	c, s := signedInClient(t, srv)
	res, err := c.MFA().Enroll(context.Background(), MFAEnrollParams{FactorType: FactorTypeTOTP, FriendlyName: "laptop", Issuer: "authctl"})
	if err != nil {
		t.Fatal(err)
	}
	got := assertSent(t, srv, st)
	if got.Header.Get("Authorization") != "Bearer "+s.AccessToken {
		t.Fatal("not the session's token")
	}
	var raw struct {
		TOTP struct {
			QRCode string `json:"qr_code"`
		} `json:"totp"`
	}
	_ = json.Unmarshal(st.Response.Body, &raw)
	if !strings.HasPrefix(raw.TOTP.QRCode, "<?xml") {
		t.Fatalf("fixture qr_code is not a bare SVG: %.20q", raw.TOTP.QRCode)
	}
	if res.ID != "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92" || res.Type != FactorTypeTOTP || res.FriendlyName != "laptop" || res.TOTP == nil {
		t.Fatalf("enroll = %+v", res)
	}
	if res.TOTP.QRCode != "data:image/svg+xml;utf-8,"+raw.TOTP.QRCode {
		t.Fatalf("qr_code = %.60q…, want the prefix + the server's SVG unchanged", res.TOTP.QRCode)
	}
	if res.TOTP.SVG() != raw.TOTP.QRCode {
		t.Fatal("SVG() does not give back the server's document")
	}
	if res.TOTP.Secret != "46ZJVBVKFLTFWJRZANYHTTV3NQZDVSPU" || !strings.HasPrefix(res.TOTP.URI, "otpauth://totp/authctl:") {
		t.Fatalf("secret/uri = %q %q", res.TOTP.Secret, res.TOTP.URI)
	}
}

func TestMFAEnrollTOTPDataURINotPrefixedTwice(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("POST", "/factors", reply{status: 200, body: []byte(`{"id":"f","type":"totp","totp":{"qr_code":"data:image/svg+xml;utf-8,<svg/>","secret":"S","uri":"otpauth://totp/x"}}`)})
	c, _ := signedInClient(t, srv)
	res, err := c.MFA().Enroll(context.Background(), MFAEnrollParams{FactorType: FactorTypeTOTP})
	if err != nil {
		t.Fatal(err)
	}
	if res.TOTP.QRCode != "data:image/svg+xml;utf-8,<svg/>" {
		t.Fatalf("qr_code = %q", res.TOTP.QRCode)
	}
	if body := srv.calls("POST", "/factors")[0].jsonBody(t); len(body) != 1 || body["factor_type"] != "totp" {
		t.Fatalf("body = %v", body)
	}
}

func TestMFAEnrollPhoneAndErrors(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "mfa_enroll_phone", 0)
	c, _ := signedInClient(t, srv)
	res, err := c.MFA().Enroll(context.Background(), MFAEnrollParams{FactorType: FactorTypePhone, FriendlyName: "phone", Phone: "15555550102"})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if res.Type != FactorTypePhone || res.Phone != "15555550102" || res.TOTP != nil {
		t.Fatalf("enroll = %+v", res)
	}

	if _, err := c.MFA().Enroll(context.Background(), MFAEnrollParams{FactorType: FactorTypePhone}); err == nil {
		t.Fatal("phone factor without a phone accepted")
	}
	if _, err := c.MFA().Enroll(context.Background(), MFAEnrollParams{FactorType: FactorTypeWebAuthn}); !errors.Is(err, ErrWebAuthnUnsupported) {
		t.Fatalf("webauthn enroll: %v", err)
	}
	if srv.total() != 1 {
		t.Fatalf("%d requests", srv.total())
	}

	srv2 := newFakeServer(t)
	serveStep(t, srv2, "mfa_enroll_bad_type", 0)
	c2, _ := signedInClient(t, srv2)
	_, err = c2.MFA().Enroll(context.Background(), MFAEnrollParams{FactorType: "sms"})
	wantAPIError(t, err, 400, "validation_failed")

	c3 := newTestClient(t, srv2.URL, nil)
	if _, err := c3.MFA().Enroll(context.Background(), MFAEnrollParams{FactorType: FactorTypeTOTP}); !IsAuthSessionMissingError(err) {
		t.Fatalf("signed out: %v", err)
	}
}

func TestMFAVerifySavesSessionAndEmits(t *testing.T) {
	const name = "mfa_totp_enroll_challenge_verify"
	srv := newFakeServer(t)
	stCh := serveStep(t, srv, name, 1)
	stV := loadStep(t, name, 2)
	rep, jwt := stepReply(t, name, 2, nil)
	srv.on(stV.Request.Method, stV.Request.Path, rep)
	c, old := signedInClient(t, srv)
	rec, sub := recordEvents(c)
	defer sub.Unsubscribe()
	if e := rec.next(t); e.Event != EventInitialSession || e.Session == nil || e.Session.AccessToken != old.AccessToken {
		t.Fatalf("first event %s", e.Event)
	}

	ch, err := c.MFA().Challenge(context.Background(), MFAChallengeParams{FactorID: "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92"})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stCh)
	if ch.ID != "6ef7f2d4-8c27-4b83-a570-469c3ce84479" || ch.Type != FactorTypeTOTP || ch.ExpiresAt != 1795386490 {
		t.Fatalf("challenge = %+v", ch)
	}

	s, err := c.MFA().Verify(context.Background(), MFAVerifyParams{FactorID: "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92", ChallengeID: ch.ID, Code: "802768"})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stV)
	if s.AccessToken != jwt || s.RefreshToken != "ouudspmt46y2" || s.ExpiresAt != 1795389790 {
		t.Fatalf("session = %+v", s)
	}
	stored := storedSession(t, c)
	if stored == nil || stored.AccessToken != jwt || stored.RefreshToken != "ouudspmt46y2" {
		t.Fatal("the aal2 session was not saved")
	}
	if len(stored.User.Factors) != 1 || stored.User.Factors[0].Status != FactorVerified {
		t.Fatalf("stored factors = %+v", stored.User.Factors)
	}
	e := rec.next(t)
	if e.Event != EventMFAChallengeVerified || e.Session == nil || e.Session.AccessToken != jwt {
		t.Fatalf("event = %s %v", e.Event, e.Session)
	}

	aal, err := c.MFA().GetAuthenticatorAssuranceLevel(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if aal.CurrentLevel != AAL2 || aal.NextLevel != AAL2 || aal.StepUpNeeded() || len(aal.CurrentAuthenticationMethods) != 2 ||
		aal.CurrentAuthenticationMethods[0].Method != "totp" {
		t.Fatalf("aal = %+v", aal)
	}
}

func TestMFAVerifyWrongCodeKeepsSession(t *testing.T) {
	const name = "mfa_verify_wrong_code"
	srv := newFakeServer(t)
	st := loadStep(t, name, 2)
	bad, _ := stepReply(t, name, 2, nil)
	good, jwt := stepReply(t, name, 3, nil)
	srv.on(st.Request.Method, st.Request.Path, bad, good)
	c, old := signedInClient(t, srv)
	rec, sub := recordEvents(c)
	defer sub.Unsubscribe()
	rec.next(t) // INITIAL_SESSION

	_, err := c.MFA().Verify(context.Background(), MFAVerifyParams{FactorID: "e78d2fbb-2687-49a5-a374-eca85b61abd8", ChallengeID: "5f320ce7-5e0e-464d-9ec5-0b20e3d06d12", Code: "000000"})
	wantAPIError(t, err, 422, CodeMFAVerificationFailed)
	if storedSession(t, c).AccessToken != old.AccessToken {
		t.Fatal("a failed verify changed the session")
	}
	rec.none(t, 50*time.Millisecond)

	s, err := c.MFA().Verify(context.Background(), MFAVerifyParams{FactorID: "e78d2fbb-2687-49a5-a374-eca85b61abd8", ChallengeID: "5f320ce7-5e0e-464d-9ec5-0b20e3d06d12", Code: "168957"})
	if err != nil {
		t.Fatal(err)
	}
	if s.AccessToken != jwt || storedSession(t, c).AccessToken != jwt {
		t.Fatal("retry with the right code did not save the session")
	}
	if e := rec.next(t); e.Event != EventMFAChallengeVerified {
		t.Fatalf("event %s", e.Event)
	}

	for _, p := range []MFAVerifyParams{{ChallengeID: "c", Code: "1"}, {FactorID: "f", Code: "1"}, {FactorID: "f", ChallengeID: "c"}} {
		if _, err := c.MFA().Verify(context.Background(), p); err == nil {
			t.Fatalf("%+v accepted", p)
		}
	}
}

func TestMFAChallengeAndVerifyStepUp(t *testing.T) {
	const name = "mfa_step_up_aal1_to_aal2"
	srv := newFakeServer(t)
	stCh := serveStep(t, srv, name, 1)
	stV := loadStep(t, name, 2)
	rep, jwt := stepReply(t, name, 2, nil)
	srv.on(stV.Request.Method, stV.Request.Path, rep)
	c, _ := signedInClient(t, srv)
	rec, sub := recordEvents(c)
	defer sub.Unsubscribe()
	rec.next(t)

	s, err := c.MFA().ChallengeAndVerify(context.Background(), MFAChallengeAndVerifyParams{FactorID: "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92", Code: "802768"})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stCh)
	sent := assertSent(t, srv, stV)
	if sent.jsonBody(t)["challenge_id"] != "66d36221-85a5-436f-9e86-e13497423d64" {
		t.Fatal("verify did not use the challenge's id")
	}
	if s.AccessToken != jwt || storedSession(t, c).AccessToken != jwt {
		t.Fatal("session not saved")
	}
	if e := rec.next(t); e.Event != EventMFAChallengeVerified {
		t.Fatalf("event %s", e.Event)
	}
	d, _ := DecodeJWT(s.AccessToken)
	if d.Claims.AAL != AAL2 {
		t.Fatalf("aal = %s", d.Claims.AAL)
	}
}

func TestMFAPhoneChallengeChannel(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "mfa_phone_challenge", 0)
	c, _ := signedInClient(t, srv)
	_, err := c.MFA().Challenge(context.Background(), MFAChallengeParams{FactorID: "d7b526a2-3382-46de-b634-470aa41e45cb", Channel: "sms"})
	assertSent(t, srv, st)
	wantAPIError(t, err, 500, "unexpected_failure")

	if _, err := c.MFA().Challenge(context.Background(), MFAChallengeParams{FactorID: "f", Channel: "pigeon"}); err == nil {
		t.Fatal("bad channel accepted")
	}
	srv.on("POST", "/factors/w/challenge", reply{status: 200, body: []byte(`{"id":"ch","type":"webauthn","webauthn":{"type":"request","credential_options":{}}}`)})
	if _, err := c.MFA().Challenge(context.Background(), MFAChallengeParams{FactorID: "w"}); !errors.Is(err, ErrWebAuthnUnsupported) {
		t.Fatalf("webauthn challenge: %v", err)
	}
	srv.on("POST", "/factors/p/challenge", reply{status: 200, body: []byte(`{"id":"ch","type":"phone","expires_at":1}`)})
	if _, err := c.MFA().Challenge(context.Background(), MFAChallengeParams{FactorID: "p", Channel: "whatsapp"}); err != nil {
		t.Fatal(err)
	}
	if b := srv.calls("POST", "/factors/p/challenge")[0].jsonBody(t); b["channel"] != "whatsapp" {
		t.Fatalf("body = %v", b)
	}
}

func TestMFAUnenroll(t *testing.T) {
	srv := newFakeServer(t)
	st := loadStep(t, "mfa_unenroll_at_aal1", 0)
	denied, _ := stepReply(t, "mfa_unenroll_at_aal1", 0, nil)
	ok, _ := stepReply(t, "mfa_unenroll_at_aal2", 0, nil)
	srv.on(st.Request.Method, st.Request.Path, denied, ok)
	c, _ := signedInClient(t, srv)
	_, err := c.MFA().Unenroll(context.Background(), "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92")
	wantAPIError(t, err, 422, CodeInsufficientAAL)
	if ErrorCode(err) != CodeInsufficientAAL {
		t.Fatal("code not surfaced")
	}
	id, err := c.MFA().Unenroll(context.Background(), "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92")
	if err != nil || id != "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92" {
		t.Fatalf("id=%q err=%v", id, err)
	}
	assertSent(t, srv, loadStep(t, "mfa_unenroll_at_aal2", 0))
}

func TestMFAListFactors(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "mfa_user_factors", 0)
	c, _ := signedInClient(t, srv)
	fs, err := c.MFA().ListFactors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.All) != 2 {
		t.Fatalf("all = %+v", fs.All)
	}
	// The phone factor is unverified: listed in All, not in Phone.
	if len(fs.Phone) != 0 || len(fs.TOTP) != 1 || fs.TOTP[0].ID != "c9eaf1ce-7fee-4017-a1dc-19ea8b357e92" || len(fs.WebAuthn) != 0 {
		t.Fatalf("factors = %+v", fs)
	}

	got := categorizeFactors([]Factor{
		{ID: "w1", FactorType: FactorTypeWebAuthn, Status: FactorVerified},
		{ID: "w2", FactorType: FactorTypeWebAuthn, Status: FactorUnverified},
		{ID: "p1", FactorType: FactorTypePhone, Status: FactorVerified},
	})
	if len(got.All) != 3 || len(got.WebAuthn) != 1 || len(got.Phone) != 1 || len(got.TOTP) != 0 {
		t.Fatalf("categorized = %+v", got)
	}
}

func TestMFAGetAuthenticatorAssuranceLevel(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.MFA().GetAuthenticatorAssuranceLevel(context.Background(), ""); !IsAuthSessionMissingError(err) {
		t.Fatalf("signed out: %v", err)
	}

	// aal1 session of a user with a verified factor: step-up needed, no request.
	s := testSession(t, "rt", testNow.Unix()+3600)
	s.AccessToken = makeJWT(t, map[string]any{"sub": "u", "exp": testNow.Unix() + 3600, "aal": "aal1",
		"amr": []map[string]any{{"method": "password", "timestamp": 1795386191}}})
	s.User.Factors = []Factor{{ID: "f", FactorType: FactorTypeTOTP, Status: FactorVerified}}
	storeSession(t, c, s)
	aal, err := c.MFA().GetAuthenticatorAssuranceLevel(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if aal.CurrentLevel != AAL1 || aal.NextLevel != AAL2 || !aal.StepUpNeeded() || len(aal.CurrentAuthenticationMethods) != 1 ||
		aal.CurrentAuthenticationMethods[0].Method != "password" {
		t.Fatalf("aal = %+v", aal)
	}
	if srv.total() != 0 {
		t.Fatal("a request was made for the stored session")
	}

	// Only unverified factors: next level stays aal1.
	s.User.Factors = []Factor{{ID: "f", FactorType: FactorTypeTOTP, Status: FactorUnverified}}
	storeSession(t, c, s)
	aal, _ = c.MFA().GetAuthenticatorAssuranceLevel(context.Background(), "")
	if aal.NextLevel != AAL1 || aal.StepUpNeeded() {
		t.Fatalf("aal = %+v", aal)
	}

	// An explicit JWT: factors come from GET /user for that token.
	serveStep(t, srv, "mfa_user_factors", 0)
	jwt := makeJWT(t, map[string]any{"sub": "u", "exp": testNow.Unix() + 3600, "aal": "aal1"})
	aal, err = c.MFA().GetAuthenticatorAssuranceLevel(context.Background(), jwt)
	if err != nil {
		t.Fatal(err)
	}
	if aal.CurrentLevel != AAL1 || aal.NextLevel != AAL2 || aal.CurrentAuthenticationMethods == nil {
		t.Fatalf("aal = %+v", aal)
	}
	if got := srv.calls("GET", "/user")[0].Header.Get("Authorization"); got != "Bearer "+jwt {
		t.Fatal("GET /user not made with the given JWT")
	}
	if _, err := c.MFA().GetAuthenticatorAssuranceLevel(context.Background(), "not-a-jwt"); err == nil {
		t.Fatal("malformed JWT accepted")
	}
}
