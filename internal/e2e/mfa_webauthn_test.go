package e2e

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/authctl/authctl/internal/softauthn"
)

// webAuthnChallenge is the answer of POST /factors/{id}/challenge for a
// WebAuthn factor.
type webAuthnChallenge struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	WebAuthn struct {
		Type              string `json:"type"`
		CredentialOptions struct {
			PublicKey json.RawMessage `json:"publicKey"`
		} `json:"credential_options"`
	} `json:"webauthn"`
}

// mfaSession is a token answer, read for its access token.
type mfaSession struct {
	AccessToken string `json:"access_token"`
}

// challengeWebAuthnFactor begins a ceremony of factor id and checks it is
// of the kind want ("create" or "request").
func challengeWebAuthnFactor(t *testing.T, srv *server, token, id, want string) webAuthnChallenge {
	t.Helper()
	var c webAuthnChallenge
	if code := serverCall(t, srv, "POST", "/factors/"+id+"/challenge", srv.AnonKey, token, map[string]any{}, &c); code != 200 {
		t.Fatalf("challenge: %d %+v", code, c)
	}
	if c.Type != "webauthn" || c.WebAuthn.Type != want || len(c.WebAuthn.CredentialOptions.PublicKey) == 0 {
		t.Fatalf("challenge %+v, want a %s ceremony with credential_options.publicKey", c, want)
	}
	return c
}

// verifyWebAuthnFactor answers challenge c of factor id with the
// authenticator's response and checks the session is now aal2 by
// mfa/webauthn; it returns the new access token.
func verifyWebAuthnFactor(t *testing.T, srv *server, token, id string, c webAuthnChallenge, response []byte) string {
	t.Helper()
	body := map[string]any{"challenge_id": c.ID, "webauthn": map[string]any{"type": c.WebAuthn.Type, "credential_response": json.RawMessage(response)}}
	var s mfaSession
	if code := serverCall(t, srv, "POST", "/factors/"+id+"/verify", srv.AnonKey, token, body, &s); code != 200 || s.AccessToken == "" {
		t.Fatalf("verify %s: %d", c.WebAuthn.Type, code)
	}
	cl := claims(t, s.AccessToken)
	amr, _ := cl["amr"].([]any)
	if cl["aal"] != "aal2" || !slices.ContainsFunc(amr, func(m any) bool { return m.(map[string]any)["method"] == "mfa/webauthn" }) {
		t.Errorf("after verify %s: aal %v amr %v, want aal2 by mfa/webauthn", c.WebAuthn.Type, cl["aal"], cl["amr"])
	}
	return s.AccessToken
}

// A user enrols a security key as a WebAuthn factor (a registration
// ceremony verifies it), signs in again at aal1 and steps up to aal2 with
// it; verify requests without a ceremony answer are refused.
func TestMFAWebAuthn(t *testing.T) {
	srv := serverWith(t, "PASSKEY_ON")
	a := softauthn.New(passkeyOrigin)
	email := uniqueEmail(t)
	var s mfaSession
	creds := map[string]any{"email": email, "password": password}
	if code := serverCall(t, srv, "POST", "/signup", srv.AnonKey, "", creds, &s); code != 200 || s.AccessToken == "" {
		t.Fatalf("signup: %d", code)
	}

	var f struct {
		ID           string          `json:"id"`
		Type         string          `json:"type"`
		FriendlyName string          `json:"friendly_name"`
		TOTP         json.RawMessage `json:"totp"`
	}
	enrol := map[string]any{"factor_type": "webauthn", "friendly_name": "Security key"}
	if code := serverCall(t, srv, "POST", "/factors", srv.AnonKey, s.AccessToken, enrol, &f); code != 200 || f.ID == "" || f.Type != "webauthn" || f.FriendlyName != "Security key" || f.TOTP != nil {
		t.Fatalf("enrol: %d %+v", code, f)
	}

	c := challengeWebAuthnFactor(t, srv, s.AccessToken, f.ID, "create")
	var opts struct {
		RP struct {
			ID string `json:"id"`
		} `json:"rp"`
		AuthenticatorSelection map[string]any `json:"authenticatorSelection"`
	}
	if err := json.Unmarshal(c.WebAuthn.CredentialOptions.PublicKey, &opts); err != nil || opts.RP.ID != "localhost" || len(opts.AuthenticatorSelection) != 0 {
		t.Errorf("creation options %s, want rp localhost and no authenticator requirements", c.WebAuthn.CredentialOptions.PublicKey)
	}

	// Refused before the challenge is looked at, which stays usable.
	for _, r := range []struct {
		webauthn any
		msg      string
	}{
		{nil, "WebAuthn config required"},
		{map[string]any{"type": "sign"}, "WebAuthn type must be create or request"},
		{map[string]any{"type": "create"}, "credential_response required"},
		{map[string]any{"type": "create", "credential_response": map[string]any{"id": "x"}}, "Invalid credential_response"},
	} {
		body := map[string]any{"challenge_id": c.ID}
		if r.webauthn != nil {
			body["webauthn"] = r.webauthn
		}
		var e apiErr
		if code := serverCall(t, srv, "POST", "/factors/"+f.ID+"/verify", srv.AnonKey, s.AccessToken, body, &e); code != 400 || e.ErrorCode != "validation_failed" || e.Msg != r.msg {
			t.Errorf("verify with webauthn %v: %d %+v, want 400 %q", r.webauthn, code, e, r.msg)
		}
	}

	created, err := a.Create(c.WebAuthn.CredentialOptions.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	verifyWebAuthnFactor(t, srv, s.AccessToken, f.ID, c, created)

	u := factorsOf(t, srv, s.AccessToken)
	if len(u.Factors) != 1 || u.Factors[0].Status != "verified" || u.Factors[0].FactorType != "webauthn" || u.Factors[0].WebAuthnAAGUID != "00000000-0000-0000-0000-000000000000" {
		t.Errorf("factors %+v, want the verified key with softauthn's zero AAGUID", u.Factors)
	}

	// A fresh sign-in is aal1; the key's ceremony is now an authentication.
	var again mfaSession
	if code := serverCall(t, srv, "POST", "/token?grant_type=password", srv.AnonKey, "", creds, &again); code != 200 || claims(t, again.AccessToken)["aal"] != "aal1" {
		t.Fatalf("sign-in: %d", code)
	}
	c = challengeWebAuthnFactor(t, srv, again.AccessToken, f.ID, "request")
	asserted, err := a.Get(c.WebAuthn.CredentialOptions.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	aal2 := verifyWebAuthnFactor(t, srv, again.AccessToken, f.ID, c, asserted)

	// Each verification drops the user's unverified WebAuthn factors, not
	// the other kinds.
	for _, spare := range []map[string]any{
		{"factor_type": "webauthn", "friendly_name": "Spare key"},
		{"factor_type": "totp", "friendly_name": "Phone app"},
	} {
		if code := serverCall(t, srv, "POST", "/factors", srv.AnonKey, aal2, spare, nil); code != 200 {
			t.Fatalf("enrol %v: %d", spare, code)
		}
	}
	c = challengeWebAuthnFactor(t, srv, aal2, f.ID, "request")
	if asserted, err = a.Get(c.WebAuthn.CredentialOptions.PublicKey); err != nil {
		t.Fatal(err)
	}
	verifyWebAuthnFactor(t, srv, aal2, f.ID, c, asserted)
	var kinds []string
	for _, o := range factorsOf(t, srv, aal2).Factors {
		kinds = append(kinds, o.FactorType+" "+o.Status)
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{"totp unverified", "webauthn verified"}) {
		t.Errorf("factors after another verification: %v, want the key and the unverified TOTP factor", kinds)
	}
}

// webAuthnUser is GET /user, read for the factors.
type webAuthnUser struct {
	Factors []struct {
		ID             string `json:"id"`
		Status         string `json:"status"`
		FactorType     string `json:"factor_type"`
		WebAuthnAAGUID string `json:"web_authn_aaguid"`
	} `json:"factors"`
}

func factorsOf(t *testing.T, srv *server, token string) webAuthnUser {
	t.Helper()
	var u webAuthnUser
	if code := serverCall(t, srv, "GET", "/user", srv.AnonKey, token, nil, &u); code != 200 {
		t.Fatalf("GET /user: %d", code)
	}
	return u
}

// Off (the shared target), enrolling a WebAuthn factor is refused.
func TestMFAWebAuthnDisabled(t *testing.T) {
	_, token := passkeyUser(t, target)
	var e apiErr
	enrol := map[string]any{"factor_type": "webauthn", "friendly_name": "Security key"}
	if code := serverCall(t, target, "POST", "/factors", target.AnonKey, token, enrol, &e); code != 422 || e.ErrorCode != "mfa_webauthn_enroll_not_enabled" || e.Msg != "MFA enroll is disabled for WebAuthn" {
		t.Errorf("enrol: %d %+v, want 422 mfa_webauthn_enroll_not_enabled", code, e)
	}
}
