package projectconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/emulator"
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
[auth.mfa.totp]
enroll_enabled = true
verify_enabled = true
[auth.external.github]
enabled = true
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
`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range rep.Unsupported {
		got = append(got, s.String())
	}
	want := []string{
		"line 6: auth.jwt_issuer (not emulated)",
		"line 8: auth.hook.custom_access_token (not emulated)",
		"auth.enable_refresh_token_rotation = false: the emulator always rotates refresh tokens",
		"auth.email.otp_length = 8: the emulator's codes have 6 digits",
		`auth.mfa.phone.max_frequency = "1m": the emulator spaces MFA codes by auth.sms.max_frequency`,
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
