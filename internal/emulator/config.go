package emulator

import "time"

// DefaultJWTSecret is the HS256 secret used when none is configured. It is
// the well-known development secret of `supabase start`: never use it for
// anything but local development and tests.
const DefaultJWTSecret = "super-secret-jwt-token-with-at-least-32-characters-long"

// AllProviders lists the OAuth providers of the SDK spec (§4), all served
// by the mock identity provider by default.
var AllProviders = []string{
	"apple", "azure", "bitbucket", "discord", "facebook", "figma", "github", "gitlab", "google",
	"kakao", "keycloak", "linkedin", "linkedin_oidc", "notion", "slack", "slack_oidc", "spotify",
	"twitch", "twitter", "x", "workos", "zoom", "fly",
}

// knownProviders are the providers the server knows (enabled or not).
var knownProviders = append([]string{"snapchat"}, AllProviders...)

// Config configures a Server.
type Config struct {
	Host       string
	Port       int
	DataFile   string        // persist state here (JSON) when set
	JWTSecret  string        // HS256 secret (also signs the API keys)
	JWTExp     time.Duration // access token lifetime
	Asymmetric bool          // sign user tokens with a generated ES256 key published in the JWKS
	// TestOTP maps phone numbers (digits only, no +) to a fixed SMS code.
	TestOTP          map[string]string
	Providers        []string // OAuth providers enabled in the mock identity provider
	DisableSignup    bool
	DisableAnonymous bool
	PasswordCost     int    // bcrypt cost
	SiteURL          string // default redirect target
	Now              func() time.Time
	Logf             func(string, ...any)
	// Web3 enables POST /token?grant_type=web3 (Sign-In with Ethereum and
	// Solana, web3.go). Off by default, like the recorded server, which
	// answers web3_provider_disabled.
	Web3 bool
	// SSODomains are email domains whose SSO provider is the built-in SAML
	// identity provider (saml.go), so `login sso --domain` works with no
	// admin step.
	SSODomains []string

	// Settings of a Supabase project that are off in local development.

	// ConfirmEmail turns email autoconfirm off: sign-ups get no session
	// until the emailed link or code is verified (email_not_confirmed).
	ConfirmEmail bool
	// ConfirmPhone turns SMS autoconfirm off: phone sign-ups and phone
	// changes wait for the texted code.
	ConfirmPhone bool
	// DisableManualLinking refuses /user/identities (manual_linking_disabled).
	DisableManualLinking bool
	// SecureEmailChange asks both the current and the new address to
	// confirm an email change.
	SecureEmailChange bool
	// FailSMS makes the SMS provider fail for numbers without a test OTP
	// (sms_send_failed), like a project whose provider is misconfigured.
	FailSMS bool
	// RateLimits applies the server's default rate limits (ratelimit.go).
	RateLimits bool
	// EmailMaxFrequency and SMSMaxFrequency space a user's emails and
	// texts of a kind under RateLimits (SMTP_MAX_FREQUENCY,
	// SMS_MAX_FREQUENCY; 0 means the server's default, a minute).
	EmailMaxFrequency, SMSMaxFrequency time.Duration
	// EmailsPerHour and SMSPerHour are the project's hourly quotas under
	// RateLimits (RATE_LIMIT_EMAIL_SENT, RATE_LIMIT_SMS_SENT; 0 means the
	// server's default, 30).
	EmailsPerHour, SMSPerHour int
	// NoRequestLimits leaves out the per-IP limits of RateLimits, as a
	// server that is told no client address does (supabase start sets no
	// rate-limit header), keeping the per-user spacing and the quotas.
	NoRequestLimits bool

	// Settings a project's supabase/config.toml sets (projectconfig).

	// URIAllowList are the redirect_to patterns allowed besides the site
	// URL (GOTRUE_URI_ALLOW_LIST, redirect.go).
	URIAllowList []string
	// PasswordMinLength is the shortest password accepted (at least 6,
	// the server's floor; 0 means 6).
	PasswordMinLength int
	// PasswordRequiredCharacters are character sets a password must each
	// have one of (GOTRUE_PASSWORD_REQUIRED_CHARACTERS).
	PasswordRequiredCharacters []string
	// DisableEmail and DisablePhone turn the email and phone providers
	// off (GOTRUE_EXTERNAL_EMAIL_ENABLED / _PHONE_ENABLED=false).
	DisableEmail, DisablePhone bool
	// The MFA factor kinds' enrolment and verification switches
	// (GOTRUE_MFA_TOTP_ENROLL_ENABLED=false and the like).
	DisableTOTPEnroll, DisableTOTPVerify, DisablePhoneEnroll, DisablePhoneVerify bool

	// Passkeys turns on sign-in with passkeys (/passkeys/…, passkeys.go),
	// the server's GOTRUE_PASSKEY_ENABLED; off, they answer 404
	// passkey_disabled.
	Passkeys bool
	// MFAWebAuthnEnroll and MFAWebAuthnVerify turn on WebAuthn MFA factors
	// (mfa_webauthn.go): the server's GOTRUE_MFA_WEB_AUTHN_ENROLL_ENABLED
	// and _VERIFY_ENABLED, off by default. Enrolment off answers 422
	// mfa_webauthn_enroll_not_enabled; verification off refuses challenges
	// and verifies of factors enrolled before (a project that stopped new
	// enrolments keeps verification on). Their relying party is the one of
	// WebAuthnRPID and the like.
	MFAWebAuthnEnroll, MFAWebAuthnVerify bool
	// The WebAuthn relying party of passkeys and WebAuthn factors, the server's
	// GOTRUE_WEBAUTHN_RP_ID, _RP_DISPLAY_NAME and _RP_ORIGINS: the domain
	// credentials are bound to and the origins of the pages that may use
	// them. Empty: localhost, "authctl emulator" and http://localhost:3000.
	WebAuthnRPID    string
	WebAuthnRPName  string
	WebAuthnOrigins []string
}

// DefaultConfig mirrors Supabase local development.
func DefaultConfig() Config {
	return Config{
		Host:      "127.0.0.1",
		Port:      9999,
		JWTSecret: DefaultJWTSecret,
		JWTExp:    time.Hour,
		TestOTP: map[string]string{
			"15555550100": "123456",
			"15555550101": "123456",
			"15555550102": "123456",
		},
		Providers:       append([]string(nil), AllProviders...),
		PasswordCost:    10,
		SiteURL:         "http://127.0.0.1:3000",
		Now:             time.Now,
		WebAuthnRPID:    "localhost",
		WebAuthnRPName:  "authctl emulator",
		WebAuthnOrigins: []string{"http://localhost:3000"},
	}
}

const (
	minPasswordLength   = 6 // the server's floor: a lower setting counts as 6
	refreshReuseSeconds = 10
	otpLength           = 6
	otpExpiry           = time.Hour
)
