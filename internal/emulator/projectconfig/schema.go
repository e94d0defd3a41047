package projectconfig

// The part of supabase/config.toml the emulator reads: the keys of
// [auth] and its tables that map onto emulator.Config, named as the
// Supabase CLI names them (pkg/config/auth.go). Keys not declared here are
// reported as not supported (Load's strict decoding finds them), so adding
// a key here is what supporting it means.
type file struct {
	Auth auth `toml:"auth"`
}

type auth struct {
	Enabled                    bool      `toml:"enabled"`
	SiteURL                    string    `toml:"site_url"`
	AdditionalRedirectURLs     []string  `toml:"additional_redirect_urls"`
	JWTExpiry                  int       `toml:"jwt_expiry"`
	JWTSecret                  string    `toml:"jwt_secret"`
	EnableRefreshTokenRotation bool      `toml:"enable_refresh_token_rotation"`
	RefreshTokenReuseInterval  int       `toml:"refresh_token_reuse_interval"`
	EnableSignup               bool      `toml:"enable_signup"`
	EnableAnonymousSignIns     bool      `toml:"enable_anonymous_sign_ins"`
	EnableManualLinking        bool      `toml:"enable_manual_linking"`
	MinimumPasswordLength      int       `toml:"minimum_password_length"`
	PasswordRequirements       string    `toml:"password_requirements"`
	RateLimit                  rateLimit `toml:"rate_limit"`
	Email                      email     `toml:"email"`
	SMS                        sms       `toml:"sms"`
	MFA                        mfa       `toml:"mfa"`
	// External maps a provider's name to its table; only enabled is
	// used: the emulator's mock identity provider stands in for every
	// provider, so client IDs, secrets and URLs have nothing to reach.
	External map[string]provider `toml:"external"`
	Web3     struct {
		Solana   toggle `toml:"solana"`
		Ethereum toggle `toml:"ethereum"`
	} `toml:"web3"`
	// Passkey and WebAuthn are optional tables: `supabase start` hands
	// them to the server only when the file has them.
	Passkey  *toggle     `toml:"passkey"`
	WebAuthn *webAuthnRP `toml:"webauthn"`
	// smtp is whether [auth.email.smtp], which the emulator does not
	// declare (it sends nothing), is on: it decides the email quota.
	// sendSMSHook is whether [auth.hook.send_sms] is: it texts the codes
	// when no SMS provider does.
	smtp, sendSMSHook bool
	OAuthServer       struct {
		Enabled                  bool   `toml:"enabled"`
		AuthorizationURLPath     string `toml:"authorization_url_path"`
		AllowDynamicRegistration bool   `toml:"allow_dynamic_registration"`
	} `toml:"oauth_server"`
}

// rateLimit is [auth.rate_limit]: `supabase start` always hands these to
// the server (the CLI's defaults when absent); applyRateLimit says which
// of them take effect there, and so in the emulator.
type rateLimit struct {
	EmailSent          int `toml:"email_sent"`
	SMSSent            int `toml:"sms_sent"`
	AnonymousUsers     int `toml:"anonymous_users"`
	TokenRefresh       int `toml:"token_refresh"`
	SignInSignUps      int `toml:"sign_in_sign_ups"`
	TokenVerifications int `toml:"token_verifications"`
	Web3               int `toml:"web3"`
}

type email struct {
	EnableSignup         bool   `toml:"enable_signup"`
	DoubleConfirmChanges bool   `toml:"double_confirm_changes"`
	EnableConfirmations  bool   `toml:"enable_confirmations"`
	SecurePasswordChange bool   `toml:"secure_password_change"`
	MaxFrequency         string `toml:"max_frequency"`
	OTPLength            int    `toml:"otp_length"`
	OTPExpiry            int    `toml:"otp_expiry"`
}

type sms struct {
	EnableSignup        bool              `toml:"enable_signup"`
	EnableConfirmations bool              `toml:"enable_confirmations"`
	Template            string            `toml:"template"`
	MaxFrequency        string            `toml:"max_frequency"`
	TestOTP             map[string]string `toml:"test_otp"`
	// The SMS providers: the emulator is the provider (codes are kept,
	// not texted), so only whether one is enabled matters.
	Twilio       provider `toml:"twilio"`
	TwilioVerify provider `toml:"twilio_verify"`
	Messagebird  provider `toml:"messagebird"`
	Textlocal    provider `toml:"textlocal"`
	Vonage       provider `toml:"vonage"`
}

// providerEnabled reports whether an SMS provider is on: `supabase start`
// sets GOTRUE_SMS_PROVIDER to the first enabled one.
func (s *sms) providerEnabled() bool {
	return s.Twilio.Enabled || s.TwilioVerify.Enabled || s.Messagebird.Enabled || s.Textlocal.Enabled || s.Vonage.Enabled
}

type mfa struct {
	MaxEnrolledFactors int    `toml:"max_enrolled_factors"`
	TOTP               factor `toml:"totp"`
	Phone              struct {
		factor
		OTPLength    int    `toml:"otp_length"`
		Template     string `toml:"template"`
		MaxFrequency string `toml:"max_frequency"`
	} `toml:"phone"`
	WebAuthn factor `toml:"web_authn"`
}

type factor struct {
	EnrollEnabled bool `toml:"enroll_enabled"`
	VerifyEnabled bool `toml:"verify_enabled"`
}

// webAuthnRP is [auth.webauthn]: the relying party of passkeys and
// WebAuthn MFA factors (GOTRUE_WEBAUTHN_RP_*).
type webAuthnRP struct {
	RPDisplayName string   `toml:"rp_display_name"`
	RPID          string   `toml:"rp_id"`
	RPOrigins     []string `toml:"rp_origins"`
}

type toggle struct {
	Enabled bool `toml:"enabled"`
}

// provider is an OAuth or SMS provider's table; the credentials are
// accepted and unused (see auth.External).
type provider struct {
	Enabled           bool   `toml:"enabled"`
	ClientID          string `toml:"client_id"`
	Secret            string `toml:"secret"`
	RedirectURI       string `toml:"redirect_uri"`
	URL               string `toml:"url"`
	SkipNonceCheck    bool   `toml:"skip_nonce_check"`
	EmailOptional     bool   `toml:"email_optional"`
	AccountSID        string `toml:"account_sid"`
	MessageServiceSID string `toml:"message_service_sid"`
	AuthToken         string `toml:"auth_token"`
	AccessKey         string `toml:"access_key"`
	Originator        string `toml:"originator"`
	APIKey            string `toml:"api_key"`
	APISecret         string `toml:"api_secret"`
	Sender            string `toml:"sender"`
	From              string `toml:"from"`
}

// defaultSMSTemplate is the text of the CLI template's SMS templates.
const defaultSMSTemplate = "Your code is {{ .Code }}"

// cliDefaults are the values `supabase start` uses for keys a project's
// file leaves out: those of the CLI's config template
// (pkg/config/templates/config.toml), which differ from the emulator's
// local-development defaults (anonymous sign-ins, manual linking, phone
// sign-ups and MFA are off; secure email change is on).
func cliDefaults() file {
	var f file
	a := &f.Auth
	a.Enabled = true
	a.SiteURL = "http://127.0.0.1:3000"
	a.AdditionalRedirectURLs = []string{"https://127.0.0.1:3000"}
	a.JWTExpiry = 3600
	a.EnableRefreshTokenRotation = true
	a.RefreshTokenReuseInterval = 10
	a.EnableSignup = true
	a.MinimumPasswordLength = 6
	a.RateLimit = rateLimit{EmailSent: 2, SMSSent: 30, AnonymousUsers: 30, TokenRefresh: 150,
		SignInSignUps: 30, TokenVerifications: 30, Web3: 30}
	a.Email = email{EnableSignup: true, DoubleConfirmChanges: true, MaxFrequency: "1s", OTPLength: 6, OTPExpiry: 3600}
	a.SMS.MaxFrequency = "5s"
	a.SMS.Template = defaultSMSTemplate
	a.MFA.Phone.Template = defaultSMSTemplate
	// The template writes out Apple's table, the only provider it has.
	a.External = map[string]provider{"apple": {Secret: "env(SUPABASE_AUTH_EXTERNAL_APPLE_SECRET)"}}
	a.MFA.MaxEnrolledFactors = 10
	a.MFA.Phone.OTPLength = 6
	a.MFA.Phone.MaxFrequency = "5s"
	a.OAuthServer.AuthorizationURLPath = "/oauth/consent"
	return f
}

// cliOnlyKeys are the [auth] settings of the CLI's config struct
// (pkg/config/auth.go) that this schema does not declare and that a
// SUPABASE_* variable can set without the file having them; the file's
// own unknown keys are found by strict decoding. Optional tables (hooks,
// captcha, SMTP, email templates) are known to the CLI only when the file
// has them, so they are not here.
var cliOnlyKeys = []string{
	"auth.external_url", "auth.jwt_issuer", "auth.signing_keys_path",
	"auth.publishable_key", "auth.secret_key", "auth.anon_key", "auth.service_role_key",
	"auth.sessions.timebox", "auth.sessions.inactivity_timeout",
	"auth.third_party.firebase.enabled", "auth.third_party.firebase.project_id",
	"auth.third_party.auth0.enabled", "auth.third_party.auth0.tenant", "auth.third_party.auth0.tenant_region",
	"auth.third_party.aws_cognito.enabled", "auth.third_party.aws_cognito.user_pool_id",
	"auth.third_party.aws_cognito.user_pool_region",
	"auth.third_party.clerk.enabled", "auth.third_party.clerk.domain",
	"auth.third_party.workos.enabled", "auth.third_party.workos.issuer_url",
}
