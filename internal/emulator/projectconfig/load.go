// Package projectconfig reads a Supabase project's supabase/config.toml,
// the file `supabase start` configures its Auth server from, into the
// emulator's settings, so `authctl emulator --config` behaves as that
// project would. Settings the emulator cannot honour are reported, never
// dropped in silence.
package projectconfig

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/authctl/authctl/internal/emulator"
)

// Report is what Load found besides the settings it applied.
type Report struct {
	// Unsupported lists the settings of the file the emulator does not
	// honour, in the order of the file.
	Unsupported []Setting
	// Warnings are env() references to unset variables, as the CLI warns.
	Warnings []string
	// Ignored lists the file's top-level tables that are not about auth
	// ([api], [db], ...): the emulator serves auth only.
	Ignored []string
	// Overrides lists the SUPABASE_* variables that replaced a setting.
	Overrides []string
}

// Setting is one setting of the file the emulator does not honour.
type Setting struct {
	Line int    // where the file has it; 0 when it is a value or a default
	Key  string // auth.hook.custom_access_token
	Why  string // the value and what the emulator does instead, if known
}

func (s Setting) String() string {
	out := s.Key
	if s.Line > 0 {
		out = fmt.Sprintf("line %d: %s", s.Line, s.Key)
	}
	if s.Why != "" {
		out += " " + s.Why
	}
	return out
}

// Load reads path onto c, starting from the CLI's defaults for every auth
// setting the file leaves out. getenv resolves env(NAME) values. An
// unreadable or malformed file, or a value of the wrong type, is an error
// naming the file, line and key.
func Load(path string, getenv func(string) string, c *emulator.Config) (*Report, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if getenv, err = projectEnvironment(path, getenv); err != nil {
		return nil, err
	}
	f := cliDefaults()
	rep := &Report{}
	dec := toml.NewDecoder(bytes.NewReader(raw)).DisallowUnknownFields()
	err = dec.Decode(&f)
	var strict *toml.StrictMissingError
	var decodeErr *toml.DecodeError
	var generic map[string]any
	if err == nil || errors.As(err, &strict) {
		if err := toml.Unmarshal(raw, &generic); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
	}
	switch {
	case errors.As(err, &strict):
		// Decoding went on past the unknown keys: they are the settings
		// this package does not declare.
		rep.unknown(strict.Errors, generic, getenv)
	case errors.As(err, &decodeErr):
		row, col := decodeErr.Position()
		key := strings.Join(decodeErr.Key(), ".")
		if key != "" {
			key += ": "
		}
		return nil, fmt.Errorf("%s:%d:%d: %s%s", path, row, col, key, strings.TrimPrefix(decodeErr.Error(), "toml: "))
	case err != nil:
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	f.Auth.smtp, f.Auth.sendSMSHook = smtpEnabled(generic), sendSMSHookEnabled(generic)
	o := overrides{getenv: getenv, written: writtenIn(generic)}
	if err := o.apply(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rep.Overrides = o.applied
	sort.Strings(rep.Overrides)
	rep.unsupportedFromEnv(getenv)
	r := resolver{getenv: getenv, report: rep}
	if err := apply(&f.Auth, &r, c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sort.SliceStable(rep.Unsupported, func(i, j int) bool {
		a, b := rep.Unsupported[i], rep.Unsupported[j]
		return a.Line > 0 && (b.Line == 0 || a.Line < b.Line)
	})
	return rep, nil
}

// unknown sorts the keys the schema does not declare: tables outside
// [auth] are not auth settings; inside, a table switched off
// (enabled = false) is off on the server too, so nothing of it is lost;
// every other key is an unsupported setting, listed with its line.
func (rep *Report) unknown(errs []toml.DecodeError, generic map[string]any, getenv func(string) string) {
	overrideSwitches(generic, "", getenv)
	ignored := map[string]bool{}
	for _, e := range errs {
		key := e.Key()
		if len(key) == 0 || key[0] != "auth" {
			if len(key) > 0 && !ignored[key[0]] {
				ignored[key[0]] = true
				rep.Ignored = append(rep.Ignored, key[0])
			}
			continue
		}
		if switchedOff(generic, key) {
			continue
		}
		row, _ := e.Position()
		rep.Unsupported = append(rep.Unsupported, Setting{Line: row, Key: strings.Join(key, "."), Why: "(not emulated)"})
	}
	sort.Strings(rep.Ignored)
}

// overrideSwitches applies the SUPABASE_* variables of the enabled keys
// the file has to t, the file's tables, so a table the environment
// switches on is listed and one it switches off is not.
func overrideSwitches(t map[string]any, prefix string, getenv func(string) string) {
	for k, v := range t {
		key := prefix + k
		if sub, ok := v.(map[string]any); ok {
			overrideSwitches(sub, key+".", getenv)
			continue
		}
		if k != "enabled" {
			continue
		}
		if b, err := strconv.ParseBool(getenv(envName(key))); err == nil {
			t[k] = b
		}
	}
}

// unsupportedFromEnv lists the settings the CLI knows without the file
// (its config struct has them) that the emulator does not, when a
// SUPABASE_* variable sets them.
func (rep *Report) unsupportedFromEnv(getenv func(string) string) {
	for _, key := range cliOnlyKeys {
		if getenv(envName(key)) != "" {
			rep.Unsupported = append(rep.Unsupported, Setting{Key: key, Why: "(set by " + envName(key) + ", not emulated)"})
		}
	}
}

// writtenIn reports whether the file's tables or the CLI's template have
// a key.
func writtenIn(generic map[string]any) func(string) bool {
	template := map[string]any{}
	if raw, err := toml.Marshal(cliDefaults()); err == nil {
		_ = toml.Unmarshal(raw, &template)
	}
	return func(key string) bool { return present(generic, key) || present(template, key) }
}

// switchedOff reports whether a table enclosing key has enabled = false.
func switchedOff(generic map[string]any, key []string) bool {
	t := generic
	for _, k := range key {
		if t["enabled"] == false {
			return true
		}
		next, ok := t[k].(map[string]any)
		if !ok {
			return false
		}
		t = next
	}
	return t["enabled"] == false
}

// envRef is the CLI's env(NAME) form of a string value.
var envRef = regexp.MustCompile(`^env\((.*)\)$`)

// resolver resolves env(NAME) values as the Supabase CLI does: the whole
// value must be env(NAME); a set, non-empty variable replaces it, else the
// text stays as written and a warning names the variable.
type resolver struct {
	getenv func(string) string
	report *Report
}

func (r *resolver) str(key, v string) string {
	m := envRef.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	if val := r.getenv(m[1]); val != "" {
		return val
	}
	r.report.Warnings = append(r.report.Warnings, fmt.Sprintf("%s: environment variable is unset: %s", key, m[1]))
	return v
}

// unsupported records a setting whose value the emulator cannot honour.
func (r *resolver) unsupported(key string, value any, why string) {
	r.report.Unsupported = append(r.report.Unsupported, Setting{Key: key, Why: fmt.Sprintf("= %v: %s", value, why)})
}

// duration reads a max_frequency-like value ("1s", "5m").
func (r *resolver) duration(key, v string) (time.Duration, error) {
	d, err := time.ParseDuration(r.str(key, v))
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s: invalid duration %q (want e.g. \"5s\")", key, v)
	}
	return d, nil
}

// requiredCharacters are the character sets of password_requirements, as
// the CLI hands them to the server (GOTRUE_PASSWORD_REQUIRED_CHARACTERS).
var requiredCharacters = map[string][]string{
	"":                                   nil,
	"letters_digits":                     {"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"},
	"lower_upper_letters_digits":         {"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"},
	"lower_upper_letters_digits_symbols": {"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~"},
}

// The server's defaults for the settings the emulator keeps fixed.
const (
	fixedOTPLength    = 6
	fixedOTPExpiry    = 3600
	fixedReuseSeconds = 10
)

// apply maps [auth] onto c as `supabase start` maps it onto GOTRUE_*
// variables (internal/start/start.go in the CLI).
func apply(a *auth, r *resolver, c *emulator.Config) error {
	if err := checkLikeCLI(a, r); err != nil {
		return err
	}
	if !a.Enabled {
		r.unsupported("auth.enabled", false, "the emulator serves auth regardless")
	}
	c.SiteURL = r.str("auth.site_url", a.SiteURL)
	// The CLI hands the list to the server joined with commas
	// (GOTRUE_URI_ALLOW_LIST), which splits it at every comma: a pattern
	// with one, such as {a,b}, arrives as two.
	c.URIAllowList = nil
	for _, u := range a.AdditionalRedirectURLs {
		c.URIAllowList = append(c.URIAllowList, strings.Split(r.str("auth.additional_redirect_urls", u), ",")...)
	}
	if err := emulator.CheckAllowList(c.URIAllowList); err != nil {
		return fmt.Errorf("auth.additional_redirect_urls: %w", err)
	}
	if a.JWTExpiry < 1 || a.JWTExpiry > 604800 {
		return fmt.Errorf("auth.jwt_expiry: %d is out of range (1 to 604800 seconds)", a.JWTExpiry)
	}
	c.JWTExp = time.Duration(a.JWTExpiry) * time.Second
	if a.JWTSecret != "" {
		secret := r.str("auth.jwt_secret", a.JWTSecret)
		if len(secret) < 32 {
			return errors.New("auth.jwt_secret: must be at least 32 characters")
		}
		c.JWTSecret = secret
	}
	if !a.EnableRefreshTokenRotation {
		r.unsupported("auth.enable_refresh_token_rotation", false, "the emulator always rotates refresh tokens")
	}
	if a.RefreshTokenReuseInterval != fixedReuseSeconds {
		r.unsupported("auth.refresh_token_reuse_interval", a.RefreshTokenReuseInterval, "the emulator's reuse interval is 10s")
	}
	c.DisableSignup = !a.EnableSignup
	c.DisableAnonymous = !a.EnableAnonymousSignIns
	c.DisableManualLinking = !a.EnableManualLinking
	c.PasswordMinLength = a.MinimumPasswordLength
	sets, ok := requiredCharacters[a.PasswordRequirements]
	if !ok {
		return fmt.Errorf("auth.password_requirements: %q is not one of letters_digits, lower_upper_letters_digits, lower_upper_letters_digits_symbols", a.PasswordRequirements)
	}
	c.PasswordRequiredCharacters = sets
	if err := applyEmail(&a.Email, r, c); err != nil {
		return err
	}
	if err := applySMS(&a.SMS, r, c); err != nil {
		return err
	}
	applyMFA(&a.MFA, r, c)
	if a.MFA.Phone.EnrollEnabled && !a.SMS.providerEnabled() && !a.sendSMSHook {
		r.unsupported("auth.sms", "(no provider enabled)", "the server then cannot text a phone factor's code "+
			"(500 Unable to get SMS provider); the emulator keeps every code")
	}
	if err := applyWebAuthn(a, r, c); err != nil {
		return err
	}
	applyRateLimit(&a.RateLimit, a.smtp, c)
	if err := applyProviders(a.External, c); err != nil {
		return err
	}
	c.Web3 = a.Web3.Solana.Enabled || a.Web3.Ethereum.Enabled
	if a.Web3.Solana.Enabled != a.Web3.Ethereum.Enabled {
		r.unsupported("auth.web3", "one chain", "the emulator accepts Ethereum and Solana together")
	}
	switch o := a.OAuthServer; {
	case !o.Enabled:
		r.unsupported("auth.oauth_server.enabled", false, "the emulator always serves the OAuth 2.1 server")
	default:
		if o.AuthorizationURLPath != cliDefaults().Auth.OAuthServer.AuthorizationURLPath {
			r.unsupported("auth.oauth_server.authorization_url_path", fmt.Sprintf("%q", o.AuthorizationURLPath),
				"the emulator sends authorizations to the site's /oauth/consent")
		}
		if !o.AllowDynamicRegistration {
			r.unsupported("auth.oauth_server.allow_dynamic_registration", false, "the emulator always accepts dynamic client registration")
		}
	}
	return nil
}

func applyEmail(e *email, r *resolver, c *emulator.Config) error {
	c.DisableEmail = !e.EnableSignup
	c.SecureEmailChange = e.DoubleConfirmChanges
	c.ConfirmEmail = e.EnableConfirmations
	if e.SecurePasswordChange {
		r.unsupported("auth.email.secure_password_change", true, "the emulator does not ask for reauthentication before a password change")
	}
	if e.OTPLength != fixedOTPLength {
		r.unsupported("auth.email.otp_length", e.OTPLength, "the emulator's codes have 6 digits")
	}
	if e.OTPExpiry != fixedOTPExpiry {
		r.unsupported("auth.email.otp_expiry", e.OTPExpiry, "the emulator's codes expire after 3600s")
	}
	var err error
	c.EmailMaxFrequency, err = r.duration("auth.email.max_frequency", e.MaxFrequency)
	return err
}

func applySMS(s *sms, r *resolver, c *emulator.Config) error {
	c.DisablePhone = !s.EnableSignup
	c.ConfirmPhone = s.EnableConfirmations
	if s.Template != defaultSMSTemplate {
		r.unsupported("auth.sms.template", fmt.Sprintf("%q", s.Template), "the emulator keeps codes, not texts")
	}
	if len(s.TestOTP) > 0 {
		c.TestOTP = map[string]string{}
		for phone, code := range s.TestOTP {
			c.TestOTP[phone] = r.str("auth.sms.test_otp."+phone, code)
		}
	}
	var err error
	c.SMSMaxFrequency, err = r.duration("auth.sms.max_frequency", s.MaxFrequency)
	return err
}

func applyMFA(m *mfa, r *resolver, c *emulator.Config) {
	c.DisableTOTPEnroll, c.DisableTOTPVerify = !m.TOTP.EnrollEnabled, !m.TOTP.VerifyEnabled
	c.DisablePhoneEnroll, c.DisablePhoneVerify = !m.Phone.EnrollEnabled, !m.Phone.VerifyEnabled
	if m.MaxEnrolledFactors != 10 {
		r.unsupported("auth.mfa.max_enrolled_factors", m.MaxEnrolledFactors, "the emulator does not limit the number of factors")
	}
	if m.Phone.OTPLength != fixedOTPLength {
		r.unsupported("auth.mfa.phone.otp_length", m.Phone.OTPLength, "the emulator's codes have 6 digits")
	}
	if m.Phone.MaxFrequency != cliDefaults().Auth.MFA.Phone.MaxFrequency {
		r.unsupported("auth.mfa.phone.max_frequency", fmt.Sprintf("%q", m.Phone.MaxFrequency), "the emulator spaces MFA codes by auth.sms.max_frequency")
	}
	if m.Phone.Template != defaultSMSTemplate {
		r.unsupported("auth.mfa.phone.template", fmt.Sprintf("%q", m.Phone.Template), "the emulator keeps codes, not texts")
	}
	c.MFAWebAuthnEnroll, c.MFAWebAuthnVerify = m.WebAuthn.EnrollEnabled, m.WebAuthn.VerifyEnabled
}

// applyWebAuthn maps [auth.passkey] and [auth.webauthn] as `supabase start`
// does (GOTRUE_PASSKEY_ENABLED, GOTRUE_WEBAUTHN_RP_*), with the CLI's
// checks: passkeys need the relying party's ID and origins.
func applyWebAuthn(a *auth, r *resolver, c *emulator.Config) error {
	c.Passkeys = a.Passkey != nil && a.Passkey.Enabled
	w := a.WebAuthn
	if c.Passkeys {
		switch {
		case w == nil:
			return errors.New("auth.webauthn: missing, but required when auth.passkey.enabled is true")
		case w.RPID == "":
			return errors.New("auth.webauthn.rp_id: missing (required when auth.passkey.enabled is true)")
		case len(w.RPOrigins) == 0:
			return errors.New("auth.webauthn.rp_origins: missing (required when auth.passkey.enabled is true)")
		}
	}
	if !c.Passkeys && !c.MFAWebAuthnEnroll && !c.MFAWebAuthnVerify {
		return nil
	}
	// Without a relying party, or a part of it, the server starts and
	// only logs a warning (conf.WebAuthnConfiguration.Validate); the
	// emulator keeps its own.
	if w == nil {
		r.unsupported("auth.webauthn", "(missing)", fmt.Sprintf("the server then has no WebAuthn relying party (it warns at start-up); the emulator's is %s, %s",
			c.WebAuthnRPID, strings.Join(c.WebAuthnOrigins, ",")))
		return nil
	}
	// Joined with commas for the server, which splits them again.
	var origins []string
	for _, o := range w.RPOrigins {
		origins = append(origins, strings.Split(r.str("auth.webauthn.rp_origins", o), ",")...)
	}
	for _, v := range []struct {
		key, value string
		set        func()
		kept       string
	}{
		{"rp_id", w.RPID, func() { c.WebAuthnRPID = r.str("auth.webauthn.rp_id", w.RPID) }, c.WebAuthnRPID},
		{"rp_display_name", w.RPDisplayName, func() { c.WebAuthnRPName = r.str("auth.webauthn.rp_display_name", w.RPDisplayName) }, c.WebAuthnRPName},
		{"rp_origins", strings.Join(w.RPOrigins, ","), func() { c.WebAuthnOrigins = origins }, strings.Join(c.WebAuthnOrigins, ",")},
	} {
		if v.value == "" {
			r.unsupported("auth.webauthn."+v.key, `""`, fmt.Sprintf("the server then has none (it warns at start-up); the emulator keeps %q", v.kept))
			continue
		}
		v.set()
	}
	return nil
}

// applyRateLimit: `supabase start` always applies rate limits, as
// GOTRUE_RATE_LIMIT_*: the per-user spacing of emails and texts
// (max_frequency, applyEmail and applySMS) and the hourly quotas, texts
// at sms_sent and emails at 360000 (email_sent counts only with
// [auth.email.smtp]). The per-IP limits (sign_in_sign_ups, token_refresh,
// ...) never trigger there, since no rate-limit header tells the server
// the client's address, so the emulator leaves them out too.
func applyRateLimit(l *rateLimit, smtp bool, c *emulator.Config) {
	c.RateLimits = true
	c.NoRequestLimits = true
	c.SMSPerHour = max(l.SMSSent, 1)
	c.EmailsPerHour = startEmailsPerHour
	if smtp {
		c.EmailsPerHour = max(l.EmailSent, 1)
	}
}

// smtpEnabled reports whether the file (after SUPABASE_* overrides of
// enabled) has an [auth.email.smtp] table that is on: the CLI turns one
// without an enabled key on.
func smtpEnabled(generic map[string]any) bool {
	smtp, ok := table(generic, "auth", "email", "smtp")
	return ok && smtp["enabled"] != false
}

// sendSMSHookEnabled reports whether the file's [auth.hook.send_sms],
// which the emulator does not declare, is on.
func sendSMSHookEnabled(generic map[string]any) bool {
	hook, _ := table(generic, "auth", "hook", "send_sms")
	return hook["enabled"] == true
}

// table finds a table of the file's tables by its path.
func table(t map[string]any, path ...string) (map[string]any, bool) {
	for _, k := range path {
		next, ok := t[k].(map[string]any)
		if !ok {
			return nil, false
		}
		t = next
	}
	return t, true
}

// startEmailsPerHour is the email quota `supabase start` sets when the
// project has no SMTP server of its own.
const startEmailsPerHour = 360000

// applyProviders enables the OAuth providers the file enables, in the
// emulator's mock identity provider.
func applyProviders(external map[string]provider, c *emulator.Config) error {
	c.Providers = []string{}
	for _, name := range slices.Sorted(maps.Keys(external)) {
		if !slices.Contains(emulator.AllProviders, name) {
			return fmt.Errorf("auth.external.%s: unknown provider (known: %s)", name, strings.Join(emulator.AllProviders, ", "))
		}
		if external[name].Enabled {
			c.Providers = append(c.Providers, name)
		}
	}
	return nil
}
