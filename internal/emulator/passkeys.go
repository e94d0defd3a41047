package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
)

// Passkeys (Config.Passkeys), as Supabase Auth v2.196 serves them: sign-in
// with a discoverable WebAuthn credential, registered by a signed-in user.
// The ceremonies are verified by go-webauthn, configured as the server
// configures it (no attestation, resident key required, user verification
// preferred); challenges are single-use and expire after five minutes.
const (
	maxPasskeysPerUser    = 10 // GOTRUE_PASSKEY_MAX_PASSKEYS_PER_USER's default
	passkeyChallengeTTL   = 5 * time.Minute
	maxPasskeyNameLength  = 120
	passkeyDefaultName    = "Passkey" // the server's name for an authenticator it does not know (zero AAGUID)
	challengeRegistration = "registration"
	challengeLogin        = "authentication"
)

// passkey is a registered WebAuthn credential of a user.
type passkey struct {
	ID           string              `json:"id"`
	UserID       string              `json:"user_id"`
	FriendlyName string              `json:"friendly_name,omitempty"`
	Credential   webauthn.Credential `json:"credential"`
	CreatedAt    time.Time           `json:"created_at"`
	LastUsedAt   *time.Time          `json:"last_used_at,omitempty"`
}

// passkeyChallenge is a ceremony begun by an options request; UserID is
// empty for sign-ins, whose user is known only from the assertion.
type passkeyChallenge struct {
	ID        string               `json:"id"`
	Type      string               `json:"type"`
	UserID    string               `json:"user_id,omitempty"`
	Session   webauthn.SessionData `json:"session"`
	ExpiresAt time.Time            `json:"expires_at"`
}

// passkeysOf lists a user's passkeys, oldest first like the server.
func (s *store) passkeysOf(userID string) []*passkey {
	var list []*passkey
	for _, p := range s.Passkeys {
		if p.UserID == userID {
			list = append(list, p)
		}
	}
	slices.SortFunc(list, func(a, b *passkey) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return list
}

// rpUser is a user as go-webauthn sees it: the user handle is the user's
// id (as text, like the server's), the name their email or phone.
type rpUser struct {
	u     *user
	creds []webauthn.Credential
}

func newRPUser(u *user, keys []*passkey) *rpUser {
	r := &rpUser{u: u}
	for _, k := range keys {
		r.creds = append(r.creds, k.Credential)
	}
	return r
}

func (r *rpUser) WebAuthnID() []byte { return []byte(r.u.ID) }

func (r *rpUser) WebAuthnName() string {
	if r.u.Email != "" {
		return r.u.Email
	}
	return r.u.Phone
}

func (r *rpUser) WebAuthnDisplayName() string {
	if name, _ := r.u.UserMetadata["name"].(string); name != "" {
		return name
	}
	return r.WebAuthnName()
}

func (r *rpUser) WebAuthnCredentials() []webauthn.Credential { return r.creds }

// relyingParty is the WebAuthn relying party of passkeys (built in New).
func (s *Server) relyingParty() (*webauthn.WebAuthn, error) { return s.passkeyRP, s.passkeyRPErr }

// relyingParty builds the relying party of passkeys from Config.WebAuthn*.
func (c Config) relyingParty() (*webauthn.WebAuthn, error) {
	return webauthn.New(&webauthn.Config{
		RPID: c.WebAuthnRPID, RPDisplayName: c.WebAuthnRPName, RPOrigins: c.WebAuthnOrigins,
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:      protocol.ResidentKeyRequirementRequired,
			UserVerification: protocol.VerificationPreferred,
		},
	})
}

// CheckWebAuthn reports a relying party that passkeys or WebAuthn factors,
// when either is on, could not use, naming what it was given: go-webauthn's
// own message names only its field.
func (c Config) CheckWebAuthn() error {
	if !c.Passkeys && !c.MFAWebAuthnEnroll && !c.MFAWebAuthnVerify {
		return nil
	}
	if _, err := c.relyingParty(); err != nil {
		return fmt.Errorf("the WebAuthn relying party (ID %q, origins %q) is not valid: %w",
			c.WebAuthnRPID, strings.Join(c.WebAuthnOrigins, ","), err)
	}
	return nil
}

// passkeysOn guards the /passkeys routes: off, they answer 404 before
// anything else, as the server's middleware does.
func (s *Server) passkeysOn(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !s.cfg.Passkeys {
			return notFound("passkey_disabled", "Passkeys are disabled")
		}
		return h(w, r)
	}
}

// passkeyManager authenticates a user who may register passkeys: not
// anonymous, not an SSO user, and at aal2 when they have a verified factor.
func (s *Server) passkeyManager(r *http.Request) (*principal, error) {
	p, err := s.requireUser(r)
	if err != nil {
		return nil, err
	}
	if p.user.IsAnonymous {
		return nil, forbidden("no_authorization", "Anonymous user not allowed to perform these actions")
	}
	if provider, _ := p.user.AppMetadata["provider"].(string); strings.HasPrefix(provider, "sso:") {
		return nil, unprocessable("validation_failed", "SSO users cannot register passkeys")
	}
	return p, s.requirePasskeyAAL(p)
}

// requirePasskeyAAL refuses to manage passkeys below aal2 for a user with a
// verified factor (a missing session counts as aal1).
func (s *Server) requirePasskeyAAL(p *principal) error {
	if s.hasVerifiedFactor(p.user.ID) && (p.session == nil || p.session.AAL != "aal2") {
		return forbidden("insufficient_aal", "AAL2 session is required to manage passkeys when MFA is enabled")
	}
	return nil
}

// passkeyOptions answers the options of a ceremony and keeps its challenge.
func (s *Server) passkeyOptions(w http.ResponseWriter, typ, userID string, session *webauthn.SessionData, options any) {
	c := &passkeyChallenge{ID: newID(), Type: typ, UserID: userID, Session: *session,
		ExpiresAt: s.now().Add(passkeyChallengeTTL)}
	s.st.PasskeyChallenges[c.ID] = c
	writeJSON(w, http.StatusOK, obj{{"challenge_id", c.ID}, {"options", options}, {"expires_at", c.ExpiresAt.Unix()}})
}

func (s *Server) handlePasskeyRegistrationOptions(w http.ResponseWriter, r *http.Request) error {
	p, err := s.passkeyManager(r)
	if err != nil {
		return err
	}
	keys := s.st.passkeysOf(p.user.ID)
	if len(keys) >= maxPasskeysPerUser {
		return unprocessable("too_many_passkeys", "Maximum number of passkeys reached")
	}
	rp, err := s.relyingParty()
	if err != nil {
		return internal("Failed to initialize WebAuthn")
	}
	exclude := make([]protocol.CredentialDescriptor, len(keys))
	for i, k := range keys {
		exclude[i] = protocol.CredentialDescriptor{Type: protocol.PublicKeyCredentialType, CredentialID: k.Credential.ID}
	}
	creation, session, err := rp.BeginRegistration(newRPUser(p.user, keys), webauthn.WithExclusions(exclude))
	if err != nil {
		return internal("Failed to generate WebAuthn registration options")
	}
	s.passkeyOptions(w, challengeRegistration, p.user.ID, session, creation.Response)
	return nil
}

// passkeyVerifyParams is the body of both verify endpoints.
type passkeyVerifyParams struct {
	ChallengeID string          `json:"challenge_id"`
	Credential  json.RawMessage `json:"credential"`
}

// consumeChallenge reads a verify body and takes its challenge out of the
// store (a challenge serves once, whatever the outcome).
func (s *Server) consumeChallenge(r *http.Request, typ, userID string) (*passkeyChallenge, json.RawMessage, error) {
	var params passkeyVerifyParams
	if err := decode(r, &params); err != nil {
		return nil, nil, err
	}
	if params.ChallengeID == "" {
		return nil, nil, validation("challenge_id is required")
	}
	if params.Credential == nil {
		return nil, nil, validation("credential is required")
	}
	if _, err := uuid.Parse(params.ChallengeID); err != nil {
		return nil, nil, validation("challenge_id must be a valid UUID")
	}
	c := s.st.PasskeyChallenges[params.ChallengeID]
	if c == nil || c.Type != typ || c.UserID != userID {
		return nil, nil, badRequest("webauthn_challenge_not_found", "Challenge not found or already used")
	}
	delete(s.st.PasskeyChallenges, c.ID)
	if !s.now().Before(c.ExpiresAt) {
		return nil, nil, badRequest("webauthn_challenge_expired", "Challenge has expired")
	}
	return c, params.Credential, nil
}

func invalidCredential() *apiError {
	return badRequest("webauthn_verification_failed", "Invalid credential response")
}

func failedVerification() *apiError {
	return badRequest("webauthn_verification_failed", "Credential verification failed")
}

func (s *Server) handlePasskeyRegistrationVerify(w http.ResponseWriter, r *http.Request) error {
	p, err := s.passkeyManager(r)
	if err != nil {
		return err
	}
	c, raw, err := s.consumeChallenge(r, challengeRegistration, p.user.ID)
	if err != nil {
		return err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(bytes.NewReader(raw))
	if err != nil {
		return invalidCredential()
	}
	rp, err := s.relyingParty()
	if err != nil {
		return internal("Failed to initialize WebAuthn")
	}
	keys := s.st.passkeysOf(p.user.ID)
	cred, err := rp.CreateCredential(newRPUser(p.user, keys), c.Session, parsed)
	if err != nil {
		return failedVerification()
	}
	if len(keys) >= maxPasskeysPerUser {
		return unprocessable("too_many_passkeys", "Maximum number of passkeys reached")
	}
	for _, k := range s.st.Passkeys {
		if string(k.Credential.ID) == string(cred.ID) {
			return unprocessable("webauthn_credential_exists", "This credential is already registered")
		}
	}
	k := &passkey{ID: newID(), UserID: p.user.ID, FriendlyName: passkeyDefaultName, Credential: *cred, CreatedAt: s.now()}
	s.st.Passkeys[k.ID] = k
	s.audit(p.user, "passkey_created", map[string]any{"passkey_id": k.ID})
	writeJSON(w, http.StatusOK, obj{{"id", k.ID}, {"friendly_name", k.FriendlyName}, {"created_at", fmtTime(k.CreatedAt)}})
	return nil
}

func (s *Server) handlePasskeyAuthenticationOptions(w http.ResponseWriter, r *http.Request) error {
	_, _ = io.Copy(io.Discard, r.Body) // the server takes no parameters
	rp, err := s.relyingParty()
	if err != nil {
		return internal("Failed to initialize WebAuthn")
	}
	assertion, session, err := rp.BeginDiscoverableLogin()
	if err != nil {
		return internal("Failed to generate WebAuthn authentication options")
	}
	s.passkeyOptions(w, challengeLogin, "", session, assertion.Response)
	return nil
}

func (s *Server) handlePasskeyAuthenticationVerify(w http.ResponseWriter, r *http.Request) error {
	c, raw, err := s.consumeChallenge(r, challengeLogin, "")
	if err != nil {
		return err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(bytes.NewReader(raw))
	if err != nil {
		return invalidCredential()
	}
	rp, err := s.relyingParty()
	if err != nil {
		return internal("Failed to initialize WebAuthn")
	}
	// The user is the one the credential's user handle names, if it still
	// has passkeys (go-webauthn then checks the credential is one of them).
	var u *user
	handler := func(_, userHandle []byte) (webauthn.User, error) {
		u = s.st.loadUser(string(userHandle))
		if u == nil {
			return nil, errNoPasskeyUser
		}
		keys := s.st.passkeysOf(u.ID)
		if len(keys) == 0 {
			return nil, errNoPasskeyUser
		}
		return newRPUser(u, keys), nil
	}
	_, cred, err := rp.ValidatePasskeyLogin(handler, c.Session, parsed)
	if err != nil {
		return failedVerification()
	}
	switch {
	case u.Email != "" && u.EmailConfirmedAt == nil:
		return forbidden("email_not_confirmed", "Email not confirmed")
	case u.Phone != "" && u.PhoneConfirmedAt == nil:
		return forbidden("phone_not_confirmed", "Phone not confirmed")
	case u.banned(s.now()):
		return forbidden("user_banned", "User is banned")
	}
	var k *passkey
	for _, cand := range s.st.passkeysOf(u.ID) {
		if string(cand.Credential.ID) == string(cred.ID) {
			k = cand
		}
	}
	now := s.now()
	k.Credential.Authenticator.SignCount = cred.Authenticator.SignCount
	k.LastUsedAt = &now
	s.audit(u, "login", map[string]any{"passkey_id": k.ID})
	resp, err := s.startSession(u, "passkey")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// errNoPasskeyUser fails a sign-in whose user handle names no user with
// passkeys (answered as a failed verification).
var errNoPasskeyUser = errors.New("no user with passkeys")

// passkeyJSON is a passkey as the list and the rename answer it.
func passkeyJSON(k *passkey) obj {
	o := obj{{"id", k.ID}}.addStr("friendly_name", k.FriendlyName).add("created_at", fmtTime(k.CreatedAt))
	return o.addTime("last_used_at", k.LastUsedAt)
}

func passkeyList(keys []*passkey) []obj {
	list := make([]obj, len(keys))
	for i, k := range keys {
		list[i] = passkeyJSON(k)
	}
	return list
}

func (s *Server) handlePasskeyList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, passkeyList(s.st.passkeysOf(p.user.ID)))
	return nil
}

// ownPasskey finds userID's passkey named by the {passkey_id} path segment.
func (s *Server) ownPasskey(r *http.Request, userID string) (*passkey, error) {
	k := s.st.Passkeys[r.PathValue("passkey_id")]
	if k == nil || k.UserID != userID {
		return nil, notFound("validation_failed", "Passkey not found")
	}
	return k, nil
}

func (s *Server) handlePasskeyUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	if _, err := uuid.Parse(r.PathValue("passkey_id")); err != nil {
		return notFound("validation_failed", "Passkey not found")
	}
	var params struct {
		FriendlyName string `json:"friendly_name"`
	}
	if err := decode(r, &params); err != nil {
		return err
	}
	switch {
	case params.FriendlyName == "":
		return validation("friendly_name is required")
	case len(params.FriendlyName) > maxPasskeyNameLength:
		return validation("friendly_name must be %d characters or less", maxPasskeyNameLength)
	}
	k, err := s.ownPasskey(r, p.user.ID)
	if err != nil {
		return err
	}
	k.FriendlyName = params.FriendlyName
	s.audit(p.user, "passkey_updated", map[string]any{"passkey_id": k.ID})
	writeJSON(w, http.StatusOK, passkeyJSON(k))
	return nil
}

func (s *Server) handlePasskeyDelete(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	if err := s.requirePasskeyAAL(p); err != nil {
		return err
	}
	k, err := s.ownPasskey(r, p.user.ID)
	if err != nil {
		return err
	}
	delete(s.st.Passkeys, k.ID)
	s.audit(p.user, "passkey_deleted", map[string]any{"passkey_id": k.ID})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleAdminPasskeyList(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, passkeyList(s.st.passkeysOf(u.ID)))
	return nil
}

func (s *Server) handleAdminPasskeyDelete(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	k, err := s.ownPasskey(r, u.ID)
	if err != nil {
		return err
	}
	delete(s.st.Passkeys, k.ID)
	s.audit(nil, "passkey_deleted", map[string]any{"user_id": u.ID, "passkey_id": k.ID})
	w.WriteHeader(http.StatusNoContent)
	return nil
}
