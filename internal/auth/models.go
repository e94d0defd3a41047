package auth

import (
	"encoding/json"
	"time"
)

// Session is the spec's Session (§4) with the server's field names. It is
// also the stored format under Options.StorageKey (§10), so a session written
// by one authctl process is read by the next.
type Session struct {
	AccessToken          string `json:"access_token"`
	TokenType            string `json:"token_type"`
	ExpiresIn            int64  `json:"expires_in"`
	ExpiresAt            int64  `json:"expires_at,omitempty"`
	RefreshToken         string `json:"refresh_token"`
	User                 User   `json:"user"`
	ProviderToken        string `json:"provider_token,omitempty"`
	ProviderRefreshToken string `json:"provider_refresh_token,omitempty"`
}

// ExpiresAtTime is ExpiresAt as a time.Time (zero when unknown).
func (s *Session) ExpiresAtTime() time.Time {
	if s == nil || s.ExpiresAt == 0 {
		return time.Time{}
	}
	return time.Unix(s.ExpiresAt, 0)
}

// ExpiresWithin reports whether the access token expires within margin of
// now (or has expired). The client uses it with ExpiryMargin; `authctl token
// --min-ttl` uses its own margin.
func (s *Session) ExpiresWithin(now time.Time, margin time.Duration) bool {
	return s.ExpiresAt*1000-now.UnixMilli() <= margin.Milliseconds()
}

// valid is the structural check of §10 "Session Recovery": a stored value
// without these fields cannot be used or refreshed.
func (s *Session) valid() bool {
	return s != nil && s.AccessToken != "" && s.RefreshToken != "" && s.ExpiresAt != 0
}

// clone returns a copy that callers and listeners may keep: metadata maps are
// shared (they are treated as read-only), the struct is not.
func (s *Session) clone() *Session {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}

// User is the spec's User (§4). Optional timestamps are kept as the server's
// ISO 8601 strings, so `--json` output shows exactly what the server sent.
type User struct {
	ID                 string         `json:"id"`
	Aud                string         `json:"aud"`
	Role               string         `json:"role,omitempty"`
	Email              string         `json:"email"`
	EmailConfirmedAt   string         `json:"email_confirmed_at,omitempty"`
	Phone              string         `json:"phone"`
	PhoneConfirmedAt   string         `json:"phone_confirmed_at,omitempty"`
	ConfirmationSentAt string         `json:"confirmation_sent_at,omitempty"`
	ConfirmedAt        string         `json:"confirmed_at,omitempty"`
	RecoverySentAt     string         `json:"recovery_sent_at,omitempty"`
	EmailChangeSentAt  string         `json:"email_change_sent_at,omitempty"`
	NewEmail           string         `json:"new_email,omitempty"`
	NewPhone           string         `json:"new_phone,omitempty"`
	InvitedAt          string         `json:"invited_at,omitempty"`
	ActionLink         string         `json:"action_link,omitempty"`
	LastSignInAt       string         `json:"last_sign_in_at,omitempty"`
	AppMetadata        AppMetadata    `json:"app_metadata"`
	UserMetadata       map[string]any `json:"user_metadata"`
	Identities         []UserIdentity `json:"identities,omitempty"`
	Factors            []Factor       `json:"factors,omitempty"`
	CreatedAt          string         `json:"created_at"`
	UpdatedAt          string         `json:"updated_at,omitempty"`
	BannedUntil        string         `json:"banned_until,omitempty"`
	DeletedAt          string         `json:"deleted_at,omitempty"`
	IsAnonymous        bool           `json:"is_anonymous"`
	IsSSOUser          bool           `json:"is_sso_user,omitempty"`
}

// AppMetadata is the application-controlled metadata (UserAppMetadata):
// "provider", "providers" and arbitrary fields set by admins.
type AppMetadata map[string]any

// Provider is the provider first used to sign up ("email", "phone", ...).
func (m AppMetadata) Provider() string {
	s, _ := m["provider"].(string)
	return s
}

// Providers lists every linked provider.
func (m AppMetadata) Providers() []string {
	raw, _ := m["providers"].([]any)
	out := make([]string, 0, len(raw))
	for _, p := range raw {
		if s, ok := p.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// UserIdentity is one linked identity (§4).
type UserIdentity struct {
	IdentityID   string         `json:"identity_id"`
	ID           string         `json:"id"`
	UserID       string         `json:"user_id"`
	IdentityData map[string]any `json:"identity_data,omitempty"`
	Provider     string         `json:"provider"`
	LastSignInAt string         `json:"last_sign_in_at,omitempty"`
	CreatedAt    string         `json:"created_at,omitempty"`
	UpdatedAt    string         `json:"updated_at,omitempty"`
	Email        string         `json:"email,omitempty"`
}

// FactorType and FactorStatus are open strings: the server may add types.
type (
	FactorType   = string
	FactorStatus = string
)

const (
	FactorTypeTOTP     FactorType   = "totp"
	FactorTypePhone    FactorType   = "phone"
	FactorTypeWebAuthn FactorType   = "webauthn"
	FactorVerified     FactorStatus = "verified"
	FactorUnverified   FactorStatus = "unverified"
)

// Factor is an MFA factor as listed in User.Factors (§4).
type Factor struct {
	ID               string       `json:"id"`
	FriendlyName     string       `json:"friendly_name,omitempty"`
	FactorType       FactorType   `json:"factor_type"`
	Status           FactorStatus `json:"status"`
	CreatedAt        string       `json:"created_at"`
	UpdatedAt        string       `json:"updated_at"`
	LastChallengedAt *string      `json:"last_challenged_at"`
	Phone            string       `json:"phone,omitempty"`
}

// AAL is an authenticator assurance level.
type AAL = string

const (
	AAL1 AAL = "aal1"
	AAL2 AAL = "aal2"
)

// AMREntry is one authentication method reference (§4).
type AMREntry struct {
	Method    string `json:"method"`
	Timestamp int64  `json:"timestamp"`
}

// UnmarshalJSON accepts both the server's object form and the RFC 8176 string
// form (["pwd"]) that other issuers use.
func (a *AMREntry) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &a.Method)
	}
	type plain AMREntry
	return json.Unmarshal(b, (*plain)(a))
}

// WeakPassword is the weak_password object of sign-in and sign-up answers:
// the password was accepted but no longer meets the policy.
type WeakPassword struct {
	Reasons []string `json:"reasons"`
	Message string   `json:"message,omitempty"`
}

// OTPType is the type of verifyOtp/resend: EmailOtpType or MobileOtpType.
type OTPType string

const (
	OTPSignup      OTPType = "signup"
	OTPInvite      OTPType = "invite"
	OTPMagicLink   OTPType = "magiclink"
	OTPRecovery    OTPType = "recovery"
	OTPEmailChange OTPType = "email_change"
	OTPEmail       OTPType = "email"
	OTPSMS         OTPType = "sms"
	OTPPhoneChange OTPType = "phone_change"
)

// SignOutScope selects which sessions SignOut ends (§4).
type SignOutScope string

const (
	// SignOutGlobal ends every session of the user (the default).
	SignOutGlobal SignOutScope = "global"
	// SignOutLocal ends only this session.
	SignOutLocal SignOutScope = "local"
	// SignOutOthers ends every other session and keeps this one.
	SignOutOthers SignOutScope = "others"
)

// AuthResponse is the data of sign-up, sign-in and verify operations: the
// user, the session when one was created (nil for sign-ups awaiting email
// confirmation and for OTP verifications that only confirm), and the weak
// password warning when the server sent one.
type AuthResponse struct {
	User         User
	Session      *Session
	WeakPassword *WeakPassword
}

// tokenResponse is the body of /token, /verify, /signup (autoconfirm) answers.
type tokenResponse struct {
	Session
	WeakPassword *WeakPassword `json:"weak_password"`
}
