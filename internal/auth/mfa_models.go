package auth

import "strings"

// QRCodeDataURIPrefix is what the spec's clients put before the server's SVG
// (§8.1): TOTPEnrollment.QRCode is "data:image/svg+xml;utf-8," followed by the
// server's SVG document, byte for byte.
const QRCodeDataURIPrefix = "data:image/svg+xml;utf-8,"

// MFAEnrollParams are mfa.enroll's parameters (§8.1). FactorType is
// FactorTypeTOTP (Issuer optional) or FactorTypePhone (Phone required).
// WebAuthn needs a browser and is refused with ErrWebAuthnUnsupported.
type MFAEnrollParams struct {
	FactorType   FactorType
	FriendlyName string
	// Issuer names the account in the authenticator app (TOTP only).
	Issuer string
	// Phone receives the codes (phone only), in E.164 without "+" or with.
	Phone string
}

// TOTPEnrollment is the TOTP part of an enrolment answer.
type TOTPEnrollment struct {
	// QRCode is a data URI of the SVG QR code (QRCodeDataURIPrefix + SVG).
	QRCode string `json:"qr_code"`
	// Secret is the base32 shared secret, for typing into an app by hand.
	Secret string `json:"secret"`
	// URI is the otpauth:// URI the QR code encodes: a terminal can draw its
	// own QR code from it.
	URI string `json:"uri"`
}

// SVG returns the SVG document of the QR code, without the data URI prefix.
func (t *TOTPEnrollment) SVG() string {
	return strings.TrimPrefix(t.QRCode, QRCodeDataURIPrefix)
}

// MFAEnrollResponse is mfa.enroll's result: the new (unverified) factor. TOTP
// is set for TOTP factors, Phone for phone factors.
type MFAEnrollResponse struct {
	ID           string          `json:"id"`
	Type         FactorType      `json:"type"`
	FriendlyName string          `json:"friendly_name,omitempty"`
	TOTP         *TOTPEnrollment `json:"totp,omitempty"`
	Phone        string          `json:"phone,omitempty"`
}

// MFAChallengeParams are mfa.challenge's parameters (§8.2). Channel is "sms"
// (default on the server) or "whatsapp", for phone factors only.
type MFAChallengeParams struct {
	FactorID string
	Channel  string
}

// MFAChallengeResponse is a created challenge: pass ID to Verify before
// ExpiresAt (Unix seconds).
type MFAChallengeResponse struct {
	ID        string     `json:"id"`
	Type      FactorType `json:"type"`
	ExpiresAt int64      `json:"expires_at"`
}

// MFAVerifyParams are mfa.verify's parameters (§8.3).
type MFAVerifyParams struct {
	FactorID    string
	ChallengeID string
	// Code is the 6-digit TOTP or SMS code.
	Code string
}

// MFAChallengeAndVerifyParams are mfa.challengeAndVerify's parameters (§8.5).
type MFAChallengeAndVerifyParams struct {
	FactorID string
	Code     string
	// Channel is passed to the challenge (phone factors).
	Channel string
}

// MFAFactors is mfa.listFactors' result (§8.6): All holds every factor
// (unverified ones included, as supabase-js returns them); TOTP, Phone and
// WebAuthn hold only the verified factors of that type, the ones that can
// raise a session to aal2.
type MFAFactors struct {
	All      []Factor `json:"all"`
	TOTP     []Factor `json:"totp"`
	Phone    []Factor `json:"phone"`
	WebAuthn []Factor `json:"webauthn"`
}

// AALResult is mfa.getAuthenticatorAssuranceLevel's result (§8.7).
// NextLevel is AAL2 when the user has a verified factor, otherwise
// CurrentLevel: CurrentLevel aal1 with NextLevel aal2 means a second factor
// is expected.
type AALResult struct {
	CurrentLevel                 AAL        `json:"current_level"`
	NextLevel                    AAL        `json:"next_level"`
	CurrentAuthenticationMethods []AMREntry `json:"current_authentication_methods"`
}

// StepUpNeeded reports whether the session is below the level its user can
// reach (aal1 with a verified factor).
func (r *AALResult) StepUpNeeded() bool {
	return r.NextLevel == AAL2 && r.CurrentLevel != AAL2
}
