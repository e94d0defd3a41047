package softauthn

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

type user struct {
	id    []byte
	creds []webauthn.Credential
}

func (u *user) WebAuthnID() []byte                         { return u.id }
func (u *user) WebAuthnName() string                       { return "ada@example.com" }
func (u *user) WebAuthnDisplayName() string                { return "Ada" }
func (u *user) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// A relying party built on go-webauthn registers the authenticator's
// credential and signs its user in with it (discoverable flow), twice, and
// an assertion for another origin is refused.
func TestCeremoniesVerifyWithGoWebAuthn(t *testing.T) {
	rp, err := webauthn.New(&webauthn.Config{
		RPID: "localhost", RPDisplayName: "test", RPOrigins: []string{"http://localhost:3000"},
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, UserVerification: protocol.VerificationRequired,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := New("http://localhost:3000")
	u := &user{id: []byte("2b0c1f2e-8a51-4b7e-9a50-2f4c1a9d0e11")}
	creation, session, err := rp.BeginRegistration(u)
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := json.Marshal(creation.Response)
	resp, err := a.Create(opts)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(resp)
	if err != nil {
		t.Fatalf("parse registration: %v\n%s", err, resp)
	}
	cred, err := rp.CreateCredential(u, *session, parsed)
	if err != nil {
		t.Fatalf("registration: %v", err)
	}
	u.creds = append(u.creds, *cred)

	// The credential is excluded from a second registration.
	creation, _, err = rp.BeginRegistration(u, webauthn.WithExclusions(webauthn.Credentials(u.creds).CredentialDescriptors()))
	if err != nil {
		t.Fatal(err)
	}
	opts, _ = json.Marshal(creation.Response)
	if _, err := a.Create(opts); err == nil {
		t.Error("Create made a credential excludeCredentials names")
	}

	for range 2 {
		assertion, session, err := rp.BeginDiscoverableLogin()
		if err != nil {
			t.Fatal(err)
		}
		opts, _ := json.Marshal(assertion.Response)
		resp, err := a.Get(opts)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes(resp)
		if err != nil {
			t.Fatalf("parse assertion: %v\n%s", err, resp)
		}
		handler := func(_, userHandle []byte) (webauthn.User, error) {
			if !bytes.Equal(userHandle, u.id) {
				t.Fatalf("user handle %q", userHandle)
			}
			return u, nil
		}
		_, got, err := rp.ValidatePasskeyLogin(handler, *session, parsed)
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		u.creds[0].Authenticator.UpdateCounter(got.Authenticator.SignCount)
	}

	a.Origin = "http://evil.test"
	assertion, session, _ := rp.BeginDiscoverableLogin()
	opts, _ = json.Marshal(assertion.Response)
	resp, _ = a.Get(opts)
	forged, err := protocol.ParseCredentialRequestResponseBytes(resp)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := rp.ValidatePasskeyLogin(func(_, _ []byte) (webauthn.User, error) { return u, nil }, *session, forged); err == nil {
		t.Error("an assertion from another origin was accepted")
	}
}
