package auth

import (
	"context"
	"net/url"
	"strings"
)

// MFAAPI is the spec's mfa namespace (§8): the signed-in user's own factors.
// Get it with Client.MFA(). Every method needs a session (none →
// *SessionMissingError) and uses its access token, refreshed first when it is
// about to expire.
type MFAAPI struct{ c *Client }

// MFA returns the MFA namespace of c.
func (c *Client) MFA() *MFAAPI { return &MFAAPI{c: c} }

// ErrWebAuthnUnsupported is returned when a WebAuthn (passkey) factor would
// have to be enrolled or verified: that needs a browser's authenticator API,
// which a terminal does not have. WebAuthn factors are still listed. Test with
// errors.Is.
var ErrWebAuthnUnsupported = &AuthError{
	Name:    NameAuthError,
	Message: "WebAuthn factors need a browser: enroll and verify them from a web app; a terminal can list and unenroll them",
}

func factorsPath(id string) string { return "/factors/" + url.PathEscape(id) }

// Enroll creates an unverified factor (§8.1): POST /factors. For TOTP the
// answer carries the secret, the otpauth:// URI and the QR code as a data URI
// (QRCodeDataURIPrefix + the server's SVG). The factor counts only once a
// challenge on it is verified.
func (m *MFAAPI) Enroll(ctx context.Context, p MFAEnrollParams) (*MFAEnrollResponse, error) {
	body := map[string]any{"factor_type": p.FactorType}
	switch p.FactorType {
	case FactorTypeWebAuthn:
		return nil, ErrWebAuthnUnsupported
	case FactorTypeTOTP:
		if p.Issuer != "" {
			body["issuer"] = p.Issuer
		}
	case FactorTypePhone:
		if p.Phone == "" {
			return nil, errInvalidCredentials("You must provide a phone number for a phone factor")
		}
		body["phone"] = p.Phone
	case "":
		return nil, errInvalidCredentials("You must provide a factor type (totp or phone)")
	}
	if p.FriendlyName != "" {
		body["friendly_name"] = p.FriendlyName
	}
	var out MFAEnrollResponse
	err := m.c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := m.c.Do(ctx, Request{Method: "POST", Path: "/factors", Body: body, Token: token}, &out)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out.TOTP != nil && out.TOTP.QRCode != "" && !strings.HasPrefix(out.TOTP.QRCode, "data:") {
		out.TOTP.QRCode = QRCodeDataURIPrefix + out.TOTP.QRCode
	}
	return &out, nil
}

// Challenge creates a challenge for a factor (§8.2): POST
// /factors/{id}/challenge. For a phone factor the server sends the code by
// SMS (or WhatsApp). A WebAuthn challenge is refused with
// ErrWebAuthnUnsupported.
func (m *MFAAPI) Challenge(ctx context.Context, p MFAChallengeParams) (*MFAChallengeResponse, error) {
	if p.FactorID == "" {
		return nil, errInvalidCredentials("You must provide a factor id")
	}
	body := map[string]any{}
	switch p.Channel {
	case "":
	case "sms", "whatsapp":
		body["channel"] = p.Channel
	default:
		return nil, errInvalidCredentials(`Channel must be "sms" or "whatsapp"`)
	}
	var out MFAChallengeResponse
	err := m.c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := m.c.Do(ctx, Request{Method: "POST", Path: factorsPath(p.FactorID) + "/challenge", Body: body, Token: token}, &out)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out.Type == FactorTypeWebAuthn {
		return nil, ErrWebAuthnUnsupported
	}
	return &out, nil
}

// Verify answers a challenge with a code (§8.3): POST /factors/{id}/verify.
// On success the server returns a new session (aal2); it is saved in place
// of the current one and MFA_CHALLENGE_VERIFIED emitted. A wrong code fails
// with code mfa_verification_failed and leaves the session as it was.
func (m *MFAAPI) Verify(ctx context.Context, p MFAVerifyParams) (*Session, error) {
	switch {
	case p.FactorID == "":
		return nil, errInvalidCredentials("You must provide a factor id")
	case p.ChallengeID == "":
		return nil, errInvalidCredentials("You must provide a challenge id")
	case p.Code == "":
		return nil, errInvalidCredentials("You must provide the code")
	}
	c := m.c
	var out *Session
	err := c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		s, err := c.currentSession(ctx)
		if err != nil {
			return err
		}
		if s == nil {
			return errSessionMissing()
		}
		var tr tokenResponse
		_, err = c.Do(ctx, Request{
			Method: "POST",
			Path:   factorsPath(p.FactorID) + "/verify",
			Body:   map[string]string{"challenge_id": p.ChallengeID, "code": p.Code},
			Token:  s.AccessToken,
		}, &tr)
		if err != nil {
			c.forgetIfRevoked(ctx, s.AccessToken, err)
			return err
		}
		ns, err := c.sessionFromTokenResponse(&tr)
		if err != nil {
			return err
		}
		if err := c.saveSession(ctx, ns); err != nil {
			return err
		}
		c.events.emit(EventMFAChallengeVerified, ns)
		out = ns
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChallengeAndVerify is Challenge followed by Verify with its id (§8.5): the
// usual way to complete a TOTP enrolment or step up to aal2.
func (m *MFAAPI) ChallengeAndVerify(ctx context.Context, p MFAChallengeAndVerifyParams) (*Session, error) {
	if p.Code == "" {
		return nil, errInvalidCredentials("You must provide the code")
	}
	ch, err := m.Challenge(ctx, MFAChallengeParams{FactorID: p.FactorID, Channel: p.Channel})
	if err != nil {
		return nil, err
	}
	return m.Verify(ctx, MFAVerifyParams{FactorID: p.FactorID, ChallengeID: ch.ID, Code: p.Code})
}

// Unenroll removes a factor (§8.4): DELETE /factors/{id}, returning its id.
// Removing a verified factor needs an aal2 session (insufficient_aal
// otherwise). The current session keeps its level until it is refreshed.
func (m *MFAAPI) Unenroll(ctx context.Context, factorID string) (string, error) {
	if factorID == "" {
		return "", errInvalidCredentials("You must provide a factor id")
	}
	var out struct {
		ID string `json:"id"`
	}
	err := m.c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := m.c.Do(ctx, Request{Method: "DELETE", Path: factorsPath(factorID), Token: token}, &out)
		return err
	})
	if err != nil {
		return "", err
	}
	if out.ID == "" {
		out.ID = factorID
	}
	return out.ID, nil
}

// ListFactors returns the user's factors fresh from the server (§8.6, GET
// /user): All of them, and the verified ones by type.
func (m *MFAAPI) ListFactors(ctx context.Context) (*MFAFactors, error) {
	u, err := m.c.GetUser(ctx, "")
	if err != nil {
		return nil, err
	}
	return categorizeFactors(u.Factors), nil
}

func categorizeFactors(fs []Factor) *MFAFactors {
	out := &MFAFactors{All: []Factor{}, TOTP: []Factor{}, Phone: []Factor{}, WebAuthn: []Factor{}}
	out.All = append(out.All, fs...)
	for _, f := range fs {
		if f.Status != FactorVerified {
			continue
		}
		switch f.FactorType {
		case FactorTypeTOTP:
			out.TOTP = append(out.TOTP, f)
		case FactorTypePhone:
			out.Phone = append(out.Phone, f)
		case FactorTypeWebAuthn:
			out.WebAuthn = append(out.WebAuthn, f)
		}
	}
	return out
}

// GetAuthenticatorAssuranceLevel reads the session's level from its access
// token (§8.7): CurrentLevel is the aal claim, CurrentAuthenticationMethods
// the amr claim, NextLevel aal2 when the user has a verified factor.
//
// With jwt == "" it uses the stored session (refreshed if about to expire;
// none → *SessionMissingError) and the factors stored with its user, without
// a request otherwise. With a jwt it decodes that token and asks the server
// for its user's factors (GET /user).
func (m *MFAAPI) GetAuthenticatorAssuranceLevel(ctx context.Context, jwt string) (*AALResult, error) {
	var factors []Factor
	if jwt == "" {
		s, err := m.c.GetSession(ctx)
		if err != nil {
			return nil, err
		}
		if s == nil {
			return nil, errSessionMissing()
		}
		jwt, factors = s.AccessToken, s.User.Factors
	} else {
		if _, err := DecodeJWT(jwt); err != nil {
			return nil, err
		}
		u, err := m.c.GetUser(ctx, jwt)
		if err != nil {
			return nil, err
		}
		factors = u.Factors
	}
	d, err := DecodeJWT(jwt)
	if err != nil {
		return nil, err
	}
	res := &AALResult{
		CurrentLevel:                 d.Claims.AAL,
		NextLevel:                    d.Claims.AAL,
		CurrentAuthenticationMethods: d.Claims.AMR,
	}
	if res.CurrentAuthenticationMethods == nil {
		res.CurrentAuthenticationMethods = []AMREntry{}
	}
	for _, f := range factors {
		if f.Status == FactorVerified {
			res.NextLevel = AAL2
			break
		}
	}
	return res, nil
}
