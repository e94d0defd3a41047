package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// enrolledTOTP is `mfa enroll --json`'s answer.
type enrolledTOTP struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	TOTP struct {
		QRCode string `json:"qr_code"`
		Secret string `json:"secret"`
		URI    string `json:"uri"`
	} `json:"totp"`
}

// withTOTP runs authctl with a code for the current 30-second window. When
// it fails and the window changed meanwhile (the code may have gone stale),
// it runs once more with the new window's code.
func withTOTP(t *testing.T, secret string, run func(code string) result) result {
	t.Helper()
	code := func() (string, int64) {
		now := time.Now()
		c, err := totp.GenerateCode(secret, now)
		if err != nil {
			t.Fatal(err)
		}
		return c, now.Unix() / 30
	}
	c, window := code()
	r := run(c)
	if r.Code != 0 {
		if c2, w2 := code(); w2 != window {
			r = run(c2)
		}
	}
	return r
}

// wrongCode is a code that is not the secret's current one.
func wrongCode(t *testing.T, secret string) string {
	c, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if c == "000000" {
		return "111111"
	}
	return "000000"
}

func storedAAL(t *testing.T, e *env) any {
	t.Helper()
	return claims(t, strings.TrimSpace(e.mustRun(0, "", "token").Stdout))["aal"]
}

func factorStatus(t *testing.T, e *env, id string) string {
	t.Helper()
	var fs struct {
		All []struct{ ID, Status string } `json:"all"`
	}
	e.jsonOut(&fs, "", "mfa", "list")
	for _, f := range fs.All {
		if f.ID == id {
			return f.Status
		}
	}
	return ""
}

// TestMFATOTPLifecycle: enroll, a wrong code (exit 1, still unverified), the
// right code (aal2 in the stored JWT), sign-in again at aal1 and step-up with
// --mfa-code, unenroll.
func TestMFATOTPLifecycle(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	s := signUp(t, e, email)

	var en enrolledTOTP
	e.jsonOut(&en, "", "mfa", "enroll", "--type", "totp", "--friendly-name", "e2e", "--issuer", "authctl-e2e")
	if en.ID == "" || en.TOTP.Secret == "" || !strings.HasPrefix(en.TOTP.URI, "otpauth://totp/") {
		t.Fatalf("enroll --json = %+v", en)
	}
	const prefix = "data:image/svg+xml;utf-8,"
	if svg, ok := strings.CutPrefix(en.TOTP.QRCode, prefix); !ok || !strings.Contains(svg, "<svg") || strings.HasPrefix(svg, "data:") {
		t.Errorf("qr_code = %.60q…, want %q once, then the SVG", en.TOTP.QRCode, prefix)
	}
	if !strings.Contains(en.TOTP.URI, "issuer=authctl-e2e") {
		t.Errorf("uri %q does not carry --issuer", en.TOTP.URI)
	}

	r := e.run("", "mfa", "challenge-and-verify", en.ID, "--code", wrongCode(t, en.TOTP.Secret))
	if r.Code != 1 {
		t.Fatalf("wrong code: exit %d, want 1\n%s", r.Code, r.Stderr)
	}
	if st := factorStatus(t, e, en.ID); st != "unverified" {
		t.Errorf("after a wrong code the factor is %q, want unverified", st)
	}

	r = withTOTP(t, en.TOTP.Secret, func(code string) result {
		return e.run("", "mfa", "challenge-and-verify", en.ID, "--code", code)
	})
	if r.Code != 0 {
		t.Fatalf("right code: exit %d\n%s", r.Code, r.Stderr)
	}
	if aal := storedAAL(t, e); aal != "aal2" {
		t.Errorf("stored session aal = %v after verify, want aal2", aal)
	}
	var aal struct {
		Current string `json:"current_level"`
		Next    string `json:"next_level"`
	}
	e.jsonOut(&aal, "", "mfa", "aal")
	if aal.Current != "aal2" || aal.Next != "aal2" {
		t.Errorf("mfa aal = %+v, want aal2/aal2", aal)
	}

	// Without a terminal or --mfa-code, sign-in stores aal1 and says how to finish.
	e.mustRun(0, "", "logout")
	r = e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")
	if !strings.Contains(r.Stderr, "authctl mfa challenge-and-verify "+en.ID) {
		t.Errorf("aal1 sign-in does not say how to finish:\n%s", r.Stderr)
	}
	if aal := storedAAL(t, e); aal != "aal1" {
		t.Errorf("stored session aal = %v after sign-in, want aal1", aal)
	}
	// status does not present that session as complete.
	if r := e.mustRun(0, "", "status"); !strings.Contains(r.Stdout, "aal1 — second factor pending") {
		t.Errorf("status of an aal1 session with a verified factor:\n%s", r.Stdout)
	}
	var st struct {
		MFAPending bool `json:"mfa_pending"`
	}
	if e.jsonOut(&st, "", "status"); !st.MFAPending {
		t.Errorf("status --json: mfa_pending is false for an aal1 session with a verified factor")
	}
	// A verified factor cannot be removed from an aal1 session: exit 4.
	r = e.run("", "mfa", "unenroll", en.ID)
	if r.Code != 4 || !strings.Contains(r.Stderr, "aal2") {
		t.Errorf("unenroll at aal1: exit %d, want 4 with an explanation\n%s", r.Code, r.Stderr)
	}

	// --mfa-code finishes the sign-in in one shot.
	e.mustRun(0, "", "logout")
	r = withTOTP(t, en.TOTP.Secret, func(code string) result {
		return e.run(password+"\n", "login", "password", "--email", email, "--password-stdin", "--mfa-code", code, "--json")
	})
	if r.Code != 0 {
		t.Fatalf("login --mfa-code: exit %d\n%s", r.Code, r.Stderr)
	}
	var out struct {
		Session sessionJSON `json:"session"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatal(err)
	}
	if aal := claims(t, out.Session.AccessToken)["aal"]; aal != "aal2" {
		t.Errorf("login --mfa-code printed an %v session, want aal2", aal)
	}
	if aal := storedAAL(t, e); aal != "aal2" {
		t.Errorf("stored session aal = %v after --mfa-code, want aal2", aal)
	}

	// The admin sees the factor; the user removes it at aal2.
	var adminFactors []struct{ ID, Status string }
	e.jsonOut(&adminFactors, "", "admin", "mfa", "list", s.User.ID)
	if len(adminFactors) != 1 || adminFactors[0].ID != en.ID || adminFactors[0].Status != "verified" {
		t.Errorf("admin mfa list = %+v, want the verified factor %s", adminFactors, en.ID)
	}
	e.mustRun(0, "", "mfa", "unenroll", en.ID)
	if st := factorStatus(t, e, en.ID); st != "" {
		t.Errorf("after unenroll the factor is still listed (%s)", st)
	}
}

// TestMFABadInput: --mfa-code without a factor, a wrong step-up code
// (exit 1, the aal1 session stays), WebAuthn and unknown types refused.
func TestMFABadInput(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)
	r := e.run(password+"\n", "login", "password", "--email", email, "--password-stdin", "--mfa-code", "123456")
	if r.Code != 2 || !strings.Contains(r.Stderr, "no verified TOTP or phone factor") {
		t.Errorf("--mfa-code without a factor: exit %d, want 2\n%s", r.Code, r.Stderr)
	}
	r = e.run("", "mfa", "enroll", "--type", "webauthn")
	if r.Code != 1 || !strings.Contains(r.Stderr, "browser") {
		t.Errorf("enroll webauthn: exit %d, want 1 with an explanation\n%s", r.Code, r.Stderr)
	}
	wantFail(t, e.run("", "mfa", "enroll", "--type", "sms"), 2, "--type must be totp or phone")
	wantFail(t, e.run("", "mfa", "challenge", "x", "--channel", "pigeon"), 2, "--channel")

	var en enrolledTOTP
	e.jsonOut(&en, "", "mfa", "enroll")
	if r := withTOTP(t, en.TOTP.Secret, func(code string) result {
		return e.run("", "mfa", "challenge-and-verify", en.ID, "--code", code)
	}); r.Code != 0 {
		t.Fatalf("verify: exit %d\n%s", r.Code, r.Stderr)
	}
	e.mustRun(0, "", "logout")
	r = e.run(password+"\n", "login", "password", "--email", email, "--password-stdin", "--mfa-code", wrongCode(t, en.TOTP.Secret))
	if r.Code != 1 {
		t.Errorf("wrong --mfa-code: exit %d, want 1\n%s", r.Code, r.Stderr)
	}
	if aal := storedAAL(t, e); aal != "aal1" {
		t.Errorf("after a wrong --mfa-code the stored session is %v, want aal1", aal)
	}
}

// enrollVerifiedTOTP enrolls a TOTP factor named name and verifies it.
func enrollVerifiedTOTP(t *testing.T, e *env, name string) enrolledTOTP {
	t.Helper()
	var en enrolledTOTP
	e.jsonOut(&en, "", "mfa", "enroll", "--type", "totp", "--friendly-name", name)
	if r := withTOTP(t, en.TOTP.Secret, func(code string) result {
		return e.run("", "mfa", "challenge-and-verify", en.ID, "--code", code)
	}); r.Code != 0 {
		t.Fatalf("verify %s: exit %d\n%s", name, r.Code, r.Stderr)
	}
	return en
}

// TestMFASeveralFactorsAndAdminDelete: with two verified factors a
// script's --mfa-code needs --factor (by friendly name or id); the admin
// deletes a factor.
func TestMFASeveralFactorsAndAdminDelete(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	s := signUp(t, e, email)
	enrollVerifiedTOTP(t, e, "phone-app")
	b := enrollVerifiedTOTP(t, e, "backup-app")

	e.mustRun(0, "", "logout")
	wantFail(t, e.run(password+"\n", "login", "password", "--email", email, "--password-stdin", "--mfa-code", "123456"),
		2, "--factor is required")
	e.mustRun(0, "", "logout")
	if r := withTOTP(t, b.TOTP.Secret, func(code string) result {
		return e.run(password+"\n", "login", "password", "--email", email, "--password-stdin", "--mfa-code", code, "--factor", "backup-app")
	}); r.Code != 0 {
		t.Fatalf("login --factor backup-app: exit %d\n%s", r.Code, r.Stderr)
	}
	if aal := storedAAL(t, e); aal != "aal2" {
		t.Errorf("stored session aal = %v, want aal2", aal)
	}

	var deleted struct{ ID string }
	e.jsonOut(&deleted, "", "admin", "mfa", "delete", s.User.ID, b.ID, "--yes")
	if deleted.ID != b.ID {
		t.Errorf("admin mfa delete answered %+v, want id %s", deleted, b.ID)
	}
	var left []struct {
		FriendlyName string `json:"friendly_name"`
	}
	e.jsonOut(&left, "", "admin", "mfa", "list", s.User.ID)
	if len(left) != 1 || left[0].FriendlyName != "phone-app" {
		t.Errorf("after admin mfa delete: %+v, want only phone-app", left)
	}
	wantFail(t, e.run("", "admin", "mfa", "list", "not-a-uuid"), 2, "invalid user id")
}

// TestMFAPhoneFactor enrolls a phone factor, challenges it and verifies the
// SMS code the server sent (lastSent).
func TestMFAPhoneFactor(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	phone := fmt.Sprintf("+1555%07d", time.Now().UnixNano()%10_000_000)
	var en struct {
		ID    string `json:"id"`
		Type  string `json:"type"`
		Phone string `json:"phone"`
	}
	e.jsonOut(&en, "", "mfa", "enroll", "--type", "phone", "--phone", phone)
	if en.Type != "phone" || strings.TrimPrefix(en.Phone, "+") != phone[1:] {
		t.Fatalf("enroll phone = %+v", en)
	}
	var ch struct{ ID, Type string }
	e.jsonOut(&ch, "", "mfa", "challenge", en.ID, "--channel", "sms")
	if ch.ID == "" || ch.Type != "phone" {
		t.Fatalf("challenge = %+v", ch)
	}
	sms := lastSent(t, phone)
	wantFail(t, e.run("", "mfa", "verify", en.ID, "--challenge-id", ch.ID), 2, "--code")
	e.mustRun(0, "", "mfa", "verify", en.ID, "--challenge-id", ch.ID, "--code", sms.OTP)
	if aal := storedAAL(t, e); aal != "aal2" {
		t.Errorf("stored session aal = %v, want aal2", aal)
	}
	if st := factorStatus(t, e, en.ID); st != "verified" {
		t.Errorf("phone factor is %q, want verified", st)
	}
}

// TestMFAVerifyEndsTheUsersAAL1Sessions: verifying a factor ends the user's
// other sessions below aal2, as the real server does (its verify deletes
// them), so a session on another machine must sign in again with the factor.
func TestMFAVerifyEndsTheUsersAAL1Sessions(t *testing.T) {
	a := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, a, email)
	b := newEnv(t)
	b.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")

	enrollVerifiedTOTP(t, a, "app")

	if r := b.run("", "user"); r.Code != 3 {
		t.Errorf("the other aal1 session after a verify: exit %d, want 3 (signed out)\n%s", r.Code, r.Stderr)
	}
	if aal := storedAAL(t, a); aal != "aal2" {
		t.Errorf("the verifying session is %v, want aal2", aal)
	}
	a.mustRun(0, "", "user")
}
