package projectconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/emulator"
	"github.com/authctl/authctl/internal/emulator/projectconfig/projectconfigtest"
)

// load writes body as a config.toml and loads it onto the emulator's
// defaults, with env as the environment.
func load(t *testing.T, body string, env map[string]string) (emulator.Config, *Report, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c := emulator.DefaultConfig()
	rep, err := Load(path, func(k string) string { return env[k] }, &c)
	return c, rep, err
}

// unsupportedLines is the report's list as the emulator prints it.
func unsupportedLines(rep *Report) []string {
	var out []string
	for _, s := range rep.Unsupported {
		out = append(out, s.String())
	}
	return out
}

func TestLoadMapsAuthSettings(t *testing.T) {
	c, rep, err := load(t, `
[auth]
site_url = "env(SITE_URL)"
additional_redirect_urls = ["https://*.acme.test/**"]
jwt_expiry = 1800
enable_anonymous_sign_ins = true
enable_manual_linking = true
minimum_password_length = 10
password_requirements = "letters_digits"
[auth.email]
enable_confirmations = true
double_confirm_changes = false
max_frequency = "2s"
[auth.sms]
enable_signup = true
[auth.sms.test_otp]
15555550123 = "env(OTP)"
[auth.sms.messagebird]
enabled = true
originator = "Acme"
access_key = "k"
[auth.mfa.totp]
enroll_enabled = true
verify_enabled = true
[auth.external.github]
enabled = true
client_id = "acme"
secret = "env(GITHUB_SECRET)"
[auth.external.google]
enabled = false
`, map[string]string{"SITE_URL": "https://acme.test", "OTP": "654321", "GITHUB_SECRET": "s"})
	if err != nil {
		t.Fatal(err)
	}
	want := emulator.DefaultConfig()
	if c.SiteURL != "https://acme.test" || !slices.Equal(c.URIAllowList, []string{"https://*.acme.test/**"}) ||
		c.JWTExp != 30*time.Minute || c.DisableAnonymous || c.DisableManualLinking || c.PasswordMinLength != 10 ||
		len(c.PasswordRequiredCharacters) != 2 || !c.ConfirmEmail || c.SecureEmailChange || c.EmailMaxFrequency != 2*time.Second ||
		c.DisablePhone || c.TestOTP["15555550123"] != "654321" || c.DisableTOTPEnroll || c.DisableTOTPVerify ||
		!c.DisablePhoneEnroll || !c.DisablePhoneVerify || !slices.Equal(c.Providers, []string{"github"}) ||
		!c.RateLimits || c.JWTSecret != want.JWTSecret {
		t.Errorf("config = %+v", c)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings = %v", rep.Warnings)
	}
}

// Left out, a setting has the CLI's default, not the emulator's: a project
// without [auth] has anonymous sign-ins, manual linking, phone sign-ups
// and MFA off, and secure email change on.
func TestLoadCLIDefaults(t *testing.T) {
	c, _, err := load(t, `project_id = "x"`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.DisableAnonymous || !c.DisableManualLinking || !c.DisablePhone || c.DisableEmail || !c.SecureEmailChange ||
		c.ConfirmEmail || !c.DisableTOTPEnroll || !c.DisablePhoneVerify || len(c.Providers) != 0 ||
		!slices.Equal(c.URIAllowList, []string{"https://127.0.0.1:3000"}) || c.SiteURL != "http://127.0.0.1:3000" ||
		c.SMSMaxFrequency != 5*time.Second || c.EmailMaxFrequency != time.Second || !c.RateLimits ||
		!c.NoRequestLimits || c.SMSPerHour != 30 || c.EmailsPerHour != 360000 {
		t.Errorf("config = %+v", c)
	}
}

// env(NAME) of an unset or empty variable stays as written, with a
// warning naming it, as the Supabase CLI does.
func TestLoadUnsetEnv(t *testing.T) {
	c, rep, err := load(t, "[auth]\nsite_url = \"env(NOPE)\"\n", map[string]string{"NOPE": ""})
	if err != nil {
		t.Fatal(err)
	}
	if c.SiteURL != "env(NOPE)" || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "auth.site_url: environment variable is unset: NOPE") {
		t.Errorf("site URL %q, warnings %v", c.SiteURL, rep.Warnings)
	}
}

// Every setting the emulator cannot honour is listed, with its line when
// it is a key the emulator does not know; a table switched off costs
// nothing, and tables outside [auth] are named as not about auth.
func TestLoadListsUnsupported(t *testing.T) {
	_, rep, err := load(t, `[api]
port = 54321

[auth]
enable_refresh_token_rotation = false
jwt_issuer = "https://acme.test"

[auth.hook.custom_access_token]
enabled = true
uri = "pg-functions://postgres/public/hook"

[auth.hook.send_sms]
enabled = false
uri = "https://hooks.acme.test/sms"

[auth.email]
otp_length = 8

[auth.mfa.phone]
max_frequency = "1m"

[auth.oauth_server]
enabled = true
authorization_url_path = "/consent"
`, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := unsupportedLines(rep)
	want := []string{
		"line 6: auth.jwt_issuer (not emulated)",
		"line 8: auth.hook.custom_access_token (not emulated)",
		"auth.enable_refresh_token_rotation = false: the emulator always rotates refresh tokens",
		"auth.email.otp_length = 8: the emulator's codes have 6 digits",
		`auth.mfa.phone.max_frequency = "1m": the emulator spaces MFA codes by auth.sms.max_frequency`,
		`auth.oauth_server.authorization_url_path = "/consent": the emulator sends authorizations to the site's /oauth/consent`,
		"auth.oauth_server.allow_dynamic_registration = false: the emulator always accepts dynamic client registration",
	}
	if !slices.Equal(got, want) {
		t.Errorf("unsupported =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Equal(rep.Ignored, []string{"api"}) {
		t.Errorf("ignored = %v", rep.Ignored)
	}
}

// A malformed file or a value of the wrong kind is an error naming the
// file, the line and the key.
func TestLoadErrors(t *testing.T) {
	for body, want := range map[string]string{
		"[auth]\njwt_expiry = \"an hour\"\n":           ":2:14: auth.jwt_expiry: ",
		"[auth]\nsite_url = \n":                        ":2:",
		"[auth]\njwt_expiry = 0\n":                     "auth.jwt_expiry: 0 is out of range",
		"[auth]\npassword_requirements = \"strong\"\n": `auth.password_requirements: "strong" is not one of`,
		"[auth.external.myspace]\nenabled = true\n":    "auth.external.myspace: unknown provider",
		"[auth.email]\nmax_frequency = \"often\"\n":    `auth.email.max_frequency: invalid duration "often"`,
		"[auth]\njwt_secret = \"short\"\n":             "auth.jwt_secret: must be at least 32 characters",
	} {
		_, _, err := load(t, body, nil)
		if err == nil || !strings.Contains(err.Error(), "config.toml") || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one with %q", body, err, want)
		}
	}
	c := emulator.DefaultConfig()
	if _, err := Load(filepath.Join(t.TempDir(), "missing.toml"), os.Getenv, &c); err == nil {
		t.Error("a missing file loaded")
	}
}

// env() values and SUPABASE_* overrides read the .env files `supabase
// start` loads, in its order: the process environment first, then
// supabase/.env.development.local, .env.local, .env.development, .env,
// then the same four in the project directory; the first to name a
// variable wins.
func TestLoadEnvFiles(t *testing.T) {
	path := projectconfigtest.Project(t, map[string]string{
		"supabase/config.toml": `[auth]
site_url = "env(SITE)"
jwt_secret = "env(SECRET)"
[auth.external.github]
secret = "env(GH)"
client_id = "acme"
enabled = true
[auth.sms.test_otp]
15555550100 = "env(OTP)"
`,
		"supabase/.env.development.local": "SITE=https://dev-local.test\n",
		"supabase/.env.local":             "SITE=https://local.test\nOTP=111111\n",
		"supabase/.env.development":       "OTP=222222\nGH=dev\n",
		// ${VAR} expands from the same file, as godotenv does.
		"supabase/.env": "GH=plain\nPART=0123456789abcdef\nSECRET=${PART}${PART}\n" +
			"SUPABASE_AUTH_MINIMUM_PASSWORD_LENGTH=12\n",
		".env.local":  "SUPABASE_AUTH_JWT_EXPIRY=900\nSUPABASE_AUTH_MINIMUM_PASSWORD_LENGTH=14\n",
		".env":        "SUPABASE_AUTH_ENABLE_SIGNUP=false\n",
		"../.env":     "SUPABASE_AUTH_ENABLE_ANONYMOUS_SIGN_INS=true\n", // above the project: not read
		"other/.env":  "SUPABASE_AUTH_SITE_URL=https://elsewhere.test\n",
		".env.test":   "SUPABASE_AUTH_EMAIL_ENABLE_CONFIRMATIONS=true\n", // another SUPABASE_ENV's
		".env.prod.1": "nothing",
	})
	process := map[string]string{"OTP": "333333"}
	c := emulator.DefaultConfig()
	rep, err := Load(path, func(k string) string { return process[k] }, &c)
	if err != nil {
		t.Fatal(err)
	}
	if c.SiteURL != "https://dev-local.test" || c.TestOTP["15555550100"] != "333333" || c.JWTSecret != strings.Repeat("0123456789abcdef", 2) ||
		c.PasswordMinLength != 12 || c.JWTExp != 15*time.Minute || !c.DisableSignup || !c.DisableAnonymous || c.ConfirmEmail {
		t.Errorf("config = %+v", c)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings = %v", rep.Warnings)
	}
	want := []string{"SUPABASE_AUTH_JWT_EXPIRY", "SUPABASE_AUTH_ENABLE_SIGNUP", "SUPABASE_AUTH_MINIMUM_PASSWORD_LENGTH"}
	if !slices.Equal(slices.Sorted(slices.Values(rep.Overrides)), slices.Sorted(slices.Values(want))) {
		t.Errorf("overrides = %v", rep.Overrides)
	}
}

// SUPABASE_ENV picks the files; "test" skips .env.local.
func TestLoadEnvFilesStage(t *testing.T) {
	path := projectconfigtest.Project(t, map[string]string{
		"supabase/config.toml":     "[auth]\nsite_url = \"env(SITE)\"\n",
		"supabase/.env.local":      "SITE=https://local.test\n",
		"supabase/.env.test":       "SITE=https://test.test\n",
		"supabase/.env.staging":    "SITE=https://staging.test\n",
		"supabase/.env.test.local": "",
	})
	for stage, want := range map[string]string{"test": "https://test.test", "staging": "https://local.test"} {
		c := emulator.DefaultConfig()
		if _, err := Load(path, func(k string) string { return map[string]string{"SUPABASE_ENV": stage}[k] }, &c); err != nil {
			t.Fatal(err)
		}
		if c.SiteURL != want {
			t.Errorf("SUPABASE_ENV=%s: site URL %q, want %q", stage, c.SiteURL, want)
		}
	}
}

// A SUPABASE_* variable replaces any setting the CLI knows: every key of
// its config struct, and in provider, test OTP and optional tables only
// the keys the file (or the CLI's template, for Apple) writes. Values are
// converted as viper's weak typing does; env() in a value still resolves.
func TestLoadEnvOverrides(t *testing.T) {
	env := map[string]string{
		"SUPABASE_AUTH_SITE_URL":                     "env(SITE)",
		"SITE":                                       "https://acme.test",
		"SUPABASE_AUTH_ADDITIONAL_REDIRECT_URLS":     "https://*.acme.test/**,myapp://cb",
		"SUPABASE_AUTH_EMAIL_MAX_FREQUENCY":          "3s",
		"SUPABASE_AUTH_MFA_TOTP_ENROLL_ENABLED":      "1",
		"SUPABASE_AUTH_MFA_TOTP_VERIFY_ENABLED":      "true",
		"SUPABASE_AUTH_MFA_PHONE_VERIFY_ENABLED":     "true", // embedded factor keys
		"SUPABASE_AUTH_EXTERNAL_APPLE_ENABLED":       "true", // the template writes Apple
		"SUPABASE_AUTH_EXTERNAL_APPLE_CLIENT_ID":     "acme",
		"SUPABASE_AUTH_EXTERNAL_GITHUB_ENABLED":      "true", // not in the file: unknown to the CLI
		"SUPABASE_AUTH_EXTERNAL_GOOGLE_ENABLED":      "true",
		"SUPABASE_AUTH_SMS_TEST_OTP_15555550100":     "424242",
		"SUPABASE_AUTH_SESSIONS_TIMEBOX":             "24h",
		"SUPABASE_AUTH_HOOK_SEND_SMS_ENABLED":        "true",
		"SUPABASE_AUTH_HOOK_CUSTOM_ACCESS_TOKEN_URI": "pg-functions://x",
	}
	c, rep, err := load(t, `[auth.external.google]
enabled = false
client_id = "acme"
[auth.sms.test_otp]
15555550100 = "123456"
[auth.hook.send_sms]
enabled = false
uri = "https://hooks.acme.test/sms"
`, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.SiteURL != "https://acme.test" || !slices.Equal(c.URIAllowList, []string{"https://*.acme.test/**", "myapp://cb"}) ||
		c.EmailMaxFrequency != 3*time.Second || c.DisableTOTPEnroll || c.DisablePhoneVerify || !c.DisablePhoneEnroll ||
		!slices.Equal(c.Providers, []string{"apple", "google"}) || c.TestOTP["15555550100"] != "424242" {
		t.Errorf("config = %+v", c)
	}
	got := unsupportedLines(rep)
	want := []string{"line 6: auth.hook.send_sms (not emulated)",
		"auth.sessions.timebox (set by SUPABASE_AUTH_SESSIONS_TIMEBOX, not emulated)",
		"auth.oauth_server.enabled = false: the emulator always serves the OAuth 2.1 server"}
	if !slices.Equal(got, want) {
		t.Errorf("unsupported =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	for name, value := range map[string]string{
		"SUPABASE_AUTH_ENABLE_SIGNUP":          "maybe",
		"SUPABASE_AUTH_JWT_EXPIRY":             "-5",
		"SUPABASE_AUTH_EXTERNAL_APPLE_ENABLED": "yes",
	} {
		_, _, err := load(t, "", map[string]string{name: value})
		if err == nil || !strings.Contains(err.Error(), "(from "+name+")") || !strings.Contains(err.Error(), value) {
			t.Errorf("%s=%s: error %v", name, value, err)
		}
	}
}

// A .env file that cannot be parsed is named, its text is not shown.
func TestLoadBadEnvFile(t *testing.T) {
	path := projectconfigtest.Project(t, map[string]string{
		"supabase/config.toml": "",
		"supabase/.env":        "GOOD=1\nBAD-NAME=hunter2\n",
	})
	c := emulator.DefaultConfig()
	_, err := Load(path, func(string) string { return "" }, &c)
	if err == nil || !strings.Contains(err.Error(), filepath.Join("supabase", ".env")) || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v", err)
	}
}

// additional_redirect_urls reach the server joined with commas and split
// again, so {a,b} is two patterns there; one the server's glob library
// cannot compile stops the emulator as it stops the server.
func TestLoadRedirectPatterns(t *testing.T) {
	c, _, err := load(t, "[auth]\nadditional_redirect_urls = [\"https://{a,b}.acme.test/*\"]\n", nil)
	if err != nil || !slices.Equal(c.URIAllowList, []string{"https://{a", "b}.acme.test/*"}) {
		t.Errorf("allow list %q, error %v", c.URIAllowList, err)
	}
	_, _, err = load(t, "[auth]\nadditional_redirect_urls = [\"https://[a-.acme.test\"]\n", nil)
	if err == nil || !strings.Contains(err.Error(), `auth.additional_redirect_urls: "https://[a-.acme.test" is not a valid redirect pattern`) {
		t.Errorf("error %v", err)
	}
}

// [auth.passkey], [auth.webauthn] and [auth.mfa.web_authn] map onto the
// emulator's passkeys, relying party and WebAuthn factors, with the CLI's
// checks; what the server would start without is listed.
func TestLoadWebAuthn(t *testing.T) {
	c, rep, err := load(t, `[auth.passkey]
enabled = true
[auth.webauthn]
rp_display_name = "Acme"
rp_id = "env(RP_ID)"
rp_origins = ["https://app.acme.test", "https://admin.acme.test,https://m.acme.test"]
[auth.mfa.web_authn]
enroll_enabled = true
verify_enabled = true
`, map[string]string{"RP_ID": "acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Passkeys || !c.MFAWebAuthnEnroll || !c.MFAWebAuthnVerify || c.WebAuthnRPID != "acme.test" || c.WebAuthnRPName != "Acme" ||
		!slices.Equal(c.WebAuthnOrigins, []string{"https://app.acme.test", "https://admin.acme.test", "https://m.acme.test"}) {
		t.Errorf("config = %+v", c)
	}
	if len(rep.Unsupported) != 1 { // oauth_server's default
		t.Errorf("unsupported = %v", rep.Unsupported)
	}

	c, rep, err = load(t, "[auth.mfa.web_authn]\nenroll_enabled = true\nverify_enabled = true\n[auth.webauthn]\nrp_id = \"acme.test\"\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := unsupportedLines(rep)
	want := []string{
		`auth.webauthn.rp_display_name = "": the server then has none (it warns at start-up); the emulator keeps "authctl emulator"`,
		`auth.webauthn.rp_origins = "": the server then has none (it warns at start-up); the emulator keeps "http://localhost:3000"`,
	}
	if c.Passkeys || !c.MFAWebAuthnEnroll || !c.MFAWebAuthnVerify || c.WebAuthnRPID != "acme.test" || !slices.Equal(got[:2], want) {
		t.Errorf("passkeys %v, factors %v %v, RP %q, unsupported =\n%s", c.Passkeys, c.MFAWebAuthnEnroll, c.MFAWebAuthnVerify, c.WebAuthnRPID, strings.Join(got, "\n"))
	}

	for body, wantErr := range map[string]string{
		"[auth.passkey]\nenabled = true\n":                                         "auth.webauthn: missing, but required when auth.passkey.enabled is true",
		"[auth.passkey]\nenabled = true\n[auth.webauthn]\nrp_origins = [\"x\"]\n":  "auth.webauthn.rp_id: missing",
		"[auth.passkey]\nenabled = true\n[auth.webauthn]\nrp_id = \"acme.test\"\n": "auth.webauthn.rp_origins: missing",
	} {
		if _, _, err := load(t, body, nil); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: error %v, want %q", body, err, wantErr)
		}
	}
	// Verification without enrolment (a project that stopped new ones).
	c, rep, _ = load(t, "[auth.mfa.web_authn]\nverify_enabled = true\n[auth.webauthn]\nrp_id = \"acme.test\"\nrp_display_name = \"Acme\"\nrp_origins = [\"https://acme.test\"]\n", nil)
	if c.MFAWebAuthnEnroll || !c.MFAWebAuthnVerify || strings.Contains(fmt.Sprint(rep.Unsupported), "web_authn") {
		t.Errorf("verify only: enroll %v, verify %v, unsupported %v", c.MFAWebAuthnEnroll, c.MFAWebAuthnVerify, rep.Unsupported)
	}
	// Left out, passkeys and WebAuthn factors are off.
	if c, _, _ := load(t, "", nil); c.Passkeys || c.MFAWebAuthnEnroll || c.MFAWebAuthnVerify {
		t.Errorf("defaults: passkeys %v, factors %+v", c.Passkeys, c)
	}
}

// With a project's own SMTP server, `supabase start` hands the server
// rate_limit.email_sent as the hourly email quota (360000 without); the
// CLI turns an [auth.email.smtp] table without enabled on.
func TestLoadEmailQuota(t *testing.T) {
	for body, want := range map[string]int{
		"[auth.rate_limit]\nemail_sent = 5\n":                                               360000,
		"[auth.rate_limit]\nemail_sent = 5\n[auth.email.smtp]\nhost = \"smtp.acme.test\"\n": 5,
		"[auth.rate_limit]\nemail_sent = 5\n[auth.email.smtp]\nenabled = false\n":           360000,
	} {
		c, rep, err := load(t, body, nil)
		if err != nil || c.EmailsPerHour != want {
			t.Errorf("%q: %d emails an hour (%v), want %d", body, c.EmailsPerHour, err, want)
		}
		if listed := strings.Contains(fmt.Sprint(rep.Unsupported), "auth.email.smtp"); listed != (want == 5) {
			t.Errorf("%q: unsupported = %v", body, rep.Unsupported)
		}
	}
	c, _, _ := load(t, "[auth.email.smtp]\nenabled = false\n", map[string]string{"SUPABASE_AUTH_EMAIL_SMTP_ENABLED": "true"})
	if c.EmailsPerHour != 2 {
		t.Errorf("SMTP switched on from the environment: %d emails an hour, want the default email_sent 2", c.EmailsPerHour)
	}
}

// Without an SMS provider the CLI turns phone sign-ins off, with a
// warning. Phone MFA it leaves on, where the real server answers 500
// "Unable to get SMS provider" (seen on v2.196 for /otp) unless a Send SMS
// hook texts the codes: listed, as the emulator keeps every code.
func TestLoadNoSMSProvider(t *testing.T) {
	c, rep, err := load(t, "[auth.sms]\nenable_signup = true\n", nil)
	if err != nil || !c.DisablePhone || !slices.Equal(rep.Warnings, []string{"no SMS provider is enabled. Disabling phone login"}) {
		t.Errorf("phone sign-ins without a provider: disabled %v, warnings %v (%v)", c.DisablePhone, rep.Warnings, err)
	}
	vonage := "[auth.sms]\nenable_signup = true\n[auth.sms.vonage]\nenabled = true\nfrom = \"Acme\"\napi_key = \"k\"\napi_secret = \"s\"\n"
	if c, _, _ := load(t, vonage, nil); c.DisablePhone {
		t.Error("phone sign-ins off with a provider")
	}
	const factors = "[auth.mfa.phone]\nenroll_enabled = true\nverify_enabled = true\n"
	for body, listed := range map[string]bool{
		factors: true,
		factors + "[auth.hook.send_sms]\nenabled = true\nuri = \"x\"\n": false,
		"[auth.mfa.phone]\nenroll_enabled = false\n":                    false,
	} {
		_, rep, err := load(t, body, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(fmt.Sprint(rep.Unsupported), "auth.sms = (no provider enabled)"); got != listed {
			t.Errorf("%q: unsupported = %v", body, rep.Unsupported)
		}
	}
}

// What the CLI refuses to start with is an error here too.
func TestLoadCLIChecks(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"[auth.mfa.totp]\nenroll_enabled = true\n", "auth.mfa.totp.enroll_enabled: requires verify_enabled"},
		{"[auth.mfa.web_authn]\nenroll_enabled = true\n", "auth.mfa.web_authn.enroll_enabled: requires verify_enabled"},
		{"[auth.external.github]\nenabled = true\nsecret = \"s\"\n", "auth.external.github.client_id: missing"},
		{"[auth.external.github]\nenabled = true\nclient_id = \"c\"\n", "auth.external.github.secret: missing"},
		{"[auth.sms.twilio]\nenabled = true\naccount_sid = \"AC\"\n", "auth.sms.twilio.message_service_sid: missing"},
		{"[auth.sms.textlocal]\nenabled = true\nsender = \"x\"\n", "auth.sms.textlocal.api_key: missing"},
	} {
		if _, _, err := load(t, c.body, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.body, err, c.want)
		}
	}
	// Apple and Google need no secret; LinkedIn and Slack are dropped.
	c, rep, err := load(t, "[auth.external.google]\nenabled = true\nclient_id = \"c\"\n[auth.external.slack]\nenabled = true\n", nil)
	if err != nil || !slices.Equal(c.Providers, []string{"google"}) || len(rep.Warnings) != 1 ||
		rep.Warnings[0] != `disabling deprecated "slack" provider. Please use [auth.external.slack_oidc] instead` {
		t.Errorf("providers %v, warnings %v (%v)", c.Providers, rep.Warnings, err)
	}
}
