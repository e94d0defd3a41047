package emulator

import (
	"bytes"
	"encoding/json"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
)

// WebAuthn MFA factors (Config.MFAWebAuthnEnroll and MFAWebAuthnVerify), as Supabase Auth v2.196 serves
// them: a factor enrolled unverified, whose first challenge is a
// registration ("create") and whose challenges once verified are
// authentications ("request") with the security key registered then. The
// ceremonies are verified by go-webauthn, configured as the server
// configures it for MFA: the relying party alone, no authenticator
// requirements (unlike passkeys.go's discoverable credentials).

// webAuthnParams is the webauthn member of a verify request.
type webAuthnParams struct {
	Type               string          `json:"type"` // "create" or "request"
	CredentialResponse json.RawMessage `json:"credential_response"`
}

// check refuses a verify request without a ceremony answer, in the
// server's order and words.
func (p *webAuthnParams) check() error {
	switch {
	case p == nil:
		return validation("WebAuthn config required")
	case p.Type != "create" && p.Type != "request":
		return validation("WebAuthn type must be create or request")
	case p.CredentialResponse == nil:
		return validation("credential_response required")
	}
	return nil
}

// mfaRelyingParty is the relying party of WebAuthn factors (built in New).
func (s *Server) mfaRelyingParty() (*webauthn.WebAuthn, error) { return s.mfaRP, s.mfaRPErr }

// mfaRelyingParty builds the relying party of WebAuthn factors: the
// server's defaults, unlike passkeys'.
func (c Config) mfaRelyingParty() (*webauthn.WebAuthn, error) {
	return webauthn.New(&webauthn.Config{
		RPID: c.WebAuthnRPID, RPDisplayName: c.WebAuthnRPName, RPOrigins: c.WebAuthnOrigins,
	})
}

// factorKeyUser is u as the relying party of WebAuthn factors sees them:
// their credentials are the keys of their verified WebAuthn factors.
func (s *Server) factorKeyUser(u *user) *rpUser {
	r := &rpUser{u: u}
	for _, f := range s.st.factorsOf(u.ID) {
		if f.Status == "verified" && f.WebAuthn != nil {
			r.creds = append(r.creds, *f.WebAuthn)
		}
	}
	return r
}

// beginWebAuthnChallenge begins the ceremony of f's challenge c: a
// registration (excluding the user's keys) while f is unverified, an
// authentication after. It answers the webauthn member of the challenge.
func (s *Server) beginWebAuthnChallenge(u *user, f *factor, c *challenge) (obj, error) {
	rp, err := s.mfaRelyingParty()
	if err != nil {
		return nil, internal("Failed to initialize WebAuthn")
	}
	ru := s.factorKeyUser(u)
	if f.Status != "verified" {
		var exclude []protocol.CredentialDescriptor
		for _, k := range ru.creds {
			exclude = append(exclude, protocol.CredentialDescriptor{Type: protocol.PublicKeyCredentialType,
				CredentialID: k.ID, Transport: []protocol.AuthenticatorTransport{protocol.USB, protocol.NFC}})
		}
		options, session, err := rp.BeginRegistration(ru, webauthn.WithExclusions(exclude))
		if err != nil {
			return nil, internal("Failed to generate WebAuthn registration data")
		}
		c.WebAuthn = session
		return obj{{"type", "create"}, {"credential_options", options}}, nil
	}
	options, session, err := rp.BeginLogin(ru)
	if err != nil {
		return nil, internal("Failed to generate WebAuthn login data")
	}
	c.WebAuthn = session
	return obj{{"type", "request"}, {"credential_options", options}}, nil
}

// finishWebAuthnChallenge verifies the answer p to f's challenge c and, on
// a registration, keeps the new key on f.
func (s *Server) finishWebAuthnChallenge(u *user, f *factor, c *challenge, p *webAuthnParams) error {
	rp, err := s.mfaRelyingParty()
	if err != nil || c.WebAuthn == nil {
		return internal("Failed to initialize WebAuthn")
	}
	ru := s.factorKeyUser(u)
	body := bytes.NewReader(p.CredentialResponse)
	if p.Type == "create" {
		parsed, err := protocol.ParseCredentialCreationResponseBody(body)
		if err != nil {
			return validation("Invalid credential_response")
		}
		cred, err := rp.CreateCredential(ru, *c.WebAuthn, parsed)
		if err != nil {
			// The server passes go-webauthn's error on unwrapped, which its
			// error handler hides behind the generic 500 (no error_id).
			return unhandled("Unexpected failure, please check server logs for more information")
		}
		if f.Status != "verified" {
			f.WebAuthn = cred
		}
		return nil
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(body)
	if err != nil {
		return validation("Invalid credential_response")
	}
	if _, err := rp.ValidateLogin(ru, *c.WebAuthn, parsed); err != nil {
		return internal("Failed to validate WebAuthn MFA response")
	}
	return nil
}

// webAuthnAAGUID is the authenticator model of f's key, as factor lists
// show it.
func webAuthnAAGUID(f *factor) any {
	if f.WebAuthn == nil {
		return nil
	}
	id, err := uuid.FromBytes(f.WebAuthn.Authenticator.AAGUID)
	if err != nil {
		return nil
	}
	return id.String()
}
