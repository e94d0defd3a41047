package projectconfig

import (
	"fmt"
	"maps"
	"slices"

	"github.com/authctl/authctl/internal/emulator"
)

// checkLikeCLI applies the checks and adjustments `supabase start` makes
// to [auth] before it starts the server (the CLI's pkg/config validate):
// what it refuses is an error here too, and what it changes with a
// warning changes here with the same warning.
func checkLikeCLI(a *auth, r *resolver) error {
	for _, f := range []struct {
		kind string
		f    factor
	}{{"totp", a.MFA.TOTP}, {"phone", a.MFA.Phone.factor}, {"web_authn", a.MFA.WebAuthn}} {
		if f.f.EnrollEnabled && !f.f.VerifyEnabled {
			return fmt.Errorf("auth.mfa.%s.enroll_enabled: requires verify_enabled (the Supabase CLI refuses it)", f.kind)
		}
	}
	if err := checkSMSProvider(&a.SMS, r); err != nil {
		return err
	}
	for _, name := range []string{"linkedin", "slack"} {
		if a.External[name].Enabled {
			r.report.Warnings = append(r.report.Warnings, fmt.Sprintf(
				"disabling deprecated %q provider. Please use [auth.external.%s_oidc] instead", name, name))
		}
		delete(a.External, name)
	}
	for _, name := range slices.Sorted(maps.Keys(a.External)) {
		p := a.External[name]
		switch {
		case !p.Enabled, !slices.Contains(emulator.AllProviders, name): // applyProviders names an unknown one
		case p.ClientID == "":
			return missing("auth.external." + name + ".client_id")
		case p.Secret == "" && name != "apple" && name != "google":
			return missing("auth.external." + name + ".secret")
		}
	}
	return nil
}

// checkSMSProvider: the first enabled SMS provider must have its
// credentials; with none, the CLI turns phone sign-ins off.
func checkSMSProvider(s *sms, r *resolver) error {
	type field struct{ key, value string }
	var name string
	var required []field
	switch {
	case s.Twilio.Enabled, s.TwilioVerify.Enabled:
		p, n := s.Twilio, "twilio"
		if !s.Twilio.Enabled {
			p, n = s.TwilioVerify, "twilio_verify"
		}
		name, required = n, []field{{"account_sid", p.AccountSID}, {"message_service_sid", p.MessageServiceSID}, {"auth_token", p.AuthToken}}
	case s.Messagebird.Enabled:
		name, required = "messagebird", []field{{"originator", s.Messagebird.Originator}, {"access_key", s.Messagebird.AccessKey}}
	case s.Textlocal.Enabled:
		name, required = "textlocal", []field{{"sender", s.Textlocal.Sender}, {"api_key", s.Textlocal.APIKey}}
	case s.Vonage.Enabled:
		name, required = "vonage", []field{{"from", s.Vonage.From}, {"api_key", s.Vonage.APIKey}, {"api_secret", s.Vonage.APISecret}}
	case s.EnableSignup:
		s.EnableSignup = false
		r.report.Warnings = append(r.report.Warnings, "no SMS provider is enabled. Disabling phone login")
	}
	for _, f := range required {
		if f.value == "" {
			return missing("auth.sms." + name + "." + f.key)
		}
	}
	return nil
}

func missing(key string) error {
	return fmt.Errorf("%s: missing, but required (the Supabase CLI refuses the file without it)", key)
}
