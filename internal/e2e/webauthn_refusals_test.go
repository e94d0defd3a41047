package e2e

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/softauthn"
)

// What the real server (v2.196) answers for a WebAuthn response that
// go-webauthn rejects, for WebAuthn MFA factors and for passkeys, and what
// it shows of them in /settings and GET /user.

// tamperResponse flips the last byte of response.<field> (base64url) of an
// authenticator's answer.
func tamperResponse(t *testing.T, answer []byte, field string) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(answer, &m); err != nil {
		t.Fatal(err)
	}
	r := m["response"].(map[string]any)
	b, err := base64.RawURLEncoding.DecodeString(r[field].(string))
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0xff
	r[field] = base64.RawURLEncoding.EncodeToString(b)
	out, _ := json.Marshal(m)
	return out
}

// elsewhere is an authenticator whose client runs on an origin the server
// does not trust.
const elsewhere = "http://evil.test"

func TestMFAWebAuthnRejectedResponses(t *testing.T) {
	srv := serverWith(t, "PASSKEY_ON")
	_, token := passkeyUser(t, srv)
	var f struct {
		ID string `json:"id"`
	}
	if code := serverCall(t, srv, "POST", "/factors", srv.AnonKey, token, map[string]any{"factor_type": "webauthn", "friendly_name": "Key"}, &f); code != 200 {
		t.Fatalf("enrol: %d", code)
	}
	verify := func(token string, c webAuthnChallenge, typ string, response json.RawMessage) (int, apiErr, map[string]any) {
		var raw map[string]any
		body := map[string]any{"challenge_id": c.ID, "webauthn": map[string]any{"type": typ, "credential_response": response}}
		code := serverCall(t, srv, "POST", "/factors/"+f.ID+"/verify", srv.AnonKey, token, body, &raw)
		b, _ := json.Marshal(raw)
		var e apiErr
		_ = json.Unmarshal(b, &e)
		return code, e, raw
	}
	invalid := "400 validation_failed \"Invalid credential_response\""
	// go-webauthn's refusal of a registration reaches the server's error
	// handler unwrapped: the generic 500, without an error_id.
	generic := "500 unexpected_failure \"Unexpected failure, please check server logs for more information\""
	a := softauthn.New(passkeyOrigin)
	c := challengeWebAuthnFactor(t, srv, token, f.ID, "create")
	for _, r := range []struct {
		name string
		typ  string
		make func(opts json.RawMessage) json.RawMessage
		want string
	}{
		{"from another origin", "create", func(o json.RawMessage) json.RawMessage { b, _ := softauthn.New(elsewhere).Create(o); return b }, generic},
		{"with altered client data", "create", func(o json.RawMessage) json.RawMessage {
			b, _ := softauthn.New(passkeyOrigin).Create(o)
			return tamperResponse(t, b, "clientDataJSON")
		}, invalid},
		{"sent as a request", "request", func(o json.RawMessage) json.RawMessage { b, _ := softauthn.New(passkeyOrigin).Create(o); return b }, invalid},
		{"not an object", "create", func(json.RawMessage) json.RawMessage { return json.RawMessage(`"garbage"`) }, invalid},
	} {
		code, e, raw := verify(token, c, r.typ, r.make(c.WebAuthn.CredentialOptions.PublicKey))
		e.Code = code
		if got := e.String(); got != r.want || raw["error_id"] != nil {
			t.Errorf("registration %s: %s (error_id %v), want %s without error_id", r.name, got, raw["error_id"], r.want)
		}
	}
	// A refused answer leaves the challenge usable.
	created, err := a.Create(c.WebAuthn.CredentialOptions.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	aal2 := verifyWebAuthnFactor(t, srv, token, f.ID, c, created)

	// A challenge moves the factor's updated_at with last_challenged_at.
	c = challengeWebAuthnFactor(t, srv, aal2, f.ID, "request")
	var u struct {
		Factors []struct {
			UpdatedAt        time.Time `json:"updated_at"`
			LastChallengedAt time.Time `json:"last_challenged_at"`
		} `json:"factors"`
	}
	serverCall(t, srv, "GET", "/user", srv.AnonKey, aal2, nil, &u)
	if len(u.Factors) != 1 || u.Factors[0].UpdatedAt.Before(u.Factors[0].LastChallengedAt) {
		t.Errorf("factor after a challenge: %+v, want updated_at no earlier than last_challenged_at", u.Factors)
	}

	// go-webauthn's refusal of an assertion is the server's handled 500.
	failed := "500 unexpected_failure \"Failed to validate WebAuthn MFA response\""
	for _, r := range []struct {
		name string
		typ  string
		make func(opts json.RawMessage) json.RawMessage
		want string
	}{
		{"from another origin", "request", func(o json.RawMessage) json.RawMessage {
			a.Origin = elsewhere
			defer func() { a.Origin = passkeyOrigin }()
			b, _ := a.Get(o)
			return b
		}, failed},
		{"with a bad signature", "request", func(o json.RawMessage) json.RawMessage { b, _ := a.Get(o); return tamperResponse(t, b, "signature") }, failed},
		{"sent as a registration", "create", func(o json.RawMessage) json.RawMessage { b, _ := a.Get(o); return b }, invalid},
		{"incomplete", "request", func(json.RawMessage) json.RawMessage { return json.RawMessage(`{"id":"x","type":"public-key"}`) }, invalid},
	} {
		code, e, raw := verify(aal2, c, r.typ, r.make(c.WebAuthn.CredentialOptions.PublicKey))
		e.Code = code
		if got := e.String(); got != r.want || (code == 500) != (raw["error_id"] != nil) {
			t.Errorf("assertion %s: %s (error_id %v), want %s (an error_id with the 500)", r.name, got, raw["error_id"], r.want)
		}
	}
	asserted, err := a.Get(c.WebAuthn.CredentialOptions.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	verifyWebAuthnFactor(t, srv, aal2, f.ID, c, asserted)
}

func TestPasskeyRejectedResponses(t *testing.T) {
	srv := serverWith(t, "PASSKEY_ON")
	var settings map[string]any
	serverCall(t, srv, "GET", "/settings", srv.AnonKey, "", nil, &settings)
	if settings["passkeys_enabled"] != true {
		t.Errorf("settings: passkeys_enabled %v, want true", settings["passkeys_enabled"])
	}
	_, token := passkeyUser(t, srv)
	failed := "400 webauthn_verification_failed \"Credential verification failed\""
	invalid := "400 webauthn_verification_failed \"Invalid credential response\""
	gone := "400 webauthn_challenge_not_found \"Challenge not found or already used\""
	send := func(path, bearer string, make func(opts json.RawMessage) json.RawMessage) (string, string) {
		var c ceremony
		if code := serverCall(t, srv, "POST", path+"/options", srv.AnonKey, bearer, map[string]any{}, &c); code != 200 {
			t.Fatalf("%s/options: %d", path, code)
		}
		body := map[string]any{"challenge_id": c.ChallengeID, "credential": make(c.Options)}
		var e apiErr
		e.Code = serverCall(t, srv, "POST", path+"/verify", srv.AnonKey, bearer, body, &e)
		first := e.String()
		// a refused answer used the challenge up
		e = apiErr{}
		e.Code = serverCall(t, srv, "POST", path+"/verify", srv.AnonKey, bearer, body, &e)
		return first, e.String()
	}
	a := softauthn.New(passkeyOrigin)
	for _, r := range []struct {
		name string
		make func(opts json.RawMessage) json.RawMessage
		want string
	}{
		{"from another origin", func(o json.RawMessage) json.RawMessage { b, _ := softauthn.New(elsewhere).Create(o); return b }, failed},
		{"with altered client data", func(o json.RawMessage) json.RawMessage {
			b, _ := softauthn.New(passkeyOrigin).Create(o)
			return tamperResponse(t, b, "clientDataJSON")
		}, invalid},
		{"not an object", func(json.RawMessage) json.RawMessage { return json.RawMessage(`"garbage"`) }, invalid},
	} {
		if got, again := send("/passkeys/registration", token, r.make); got != r.want || again != gone {
			t.Errorf("registration %s: %s then %s, want %s then %s", r.name, got, again, r.want, gone)
		}
	}
	registerPasskey(t, srv, a, token)
	for _, r := range []struct {
		name string
		make func(opts json.RawMessage) json.RawMessage
		want string
	}{
		{"from another origin", func(o json.RawMessage) json.RawMessage {
			a.Origin = elsewhere
			defer func() { a.Origin = passkeyOrigin }()
			b, _ := a.Get(o)
			return b
		}, failed},
		{"with a bad signature", func(o json.RawMessage) json.RawMessage { b, _ := a.Get(o); return tamperResponse(t, b, "signature") }, failed},
		{"incomplete", func(json.RawMessage) json.RawMessage { return json.RawMessage(`{"id":"x"}`) }, invalid},
	} {
		if got, again := send("/passkeys/authentication", "", r.make); got != r.want || again != gone {
			t.Errorf("sign-in %s: %s then %s, want %s then %s", r.name, got, again, r.want, gone)
		}
	}
}
