package shared

import (
	"errors"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// EmailOTPTypes and PhoneOTPTypes are the spec's EmailOtpType and
// MobileOtpType (§4): the types `verify` accepts.
var (
	EmailOTPTypes = []string{"signup", "invite", "magiclink", "recovery", "email_change", "email"}
	PhoneOTPTypes = []string{"sms", "phone_change"}
)

// OTPTypes lists every OTP type, email ones first.
func OTPTypes() []string { return slices.Concat(EmailOTPTypes, PhoneOTPTypes) }

// ValidateOTPType checks t against the types allowed for the identifier
// given (email, phone or token hash), so a typo fails before any request.
func ValidateOTPType(t string, phone bool) error {
	allowed := EmailOTPTypes
	if phone {
		allowed = PhoneOTPTypes
	}
	if !slices.Contains(allowed, t) {
		what := "with --email or --token-hash"
		if phone {
			what = "with --phone"
		}
		return cmdutil.FlagErrorf("invalid --type %q %s: want one of %s", t, what, strings.Join(allowed, ", "))
	}
	return nil
}

// Flow is the --flow flag of the commands whose request carries a PKCE code
// challenge in PKCE flow (sign-up, OTP, recovery).
type Flow struct{ Value string }

// AddFlag registers --flow.
func (fl *Flow) AddFlag(fs *pflag.FlagSet) {
	fs.StringVar(&fl.Value, "flow", "", "`FLOW` pkce: send a code challenge whatever the profile's flow-type says (finish with authctl exchange-code)")
}

// Pick returns the client for the flag: pkce for --flow pkce, else the
// profile's client (the factory already applied its flow-type).
func (fl Flow) Pick(client, pkce func() (*auth.Client, error)) (func() (*auth.Client, error), error) {
	switch fl.Value {
	case "":
		return client, nil
	case string(auth.FlowPKCE):
		if pkce == nil {
			return nil, errors.New("internal error: no PKCE client is configured")
		}
		return pkce, nil
	}
	return nil, cmdutil.FlagErrorf("invalid --flow %q: want pkce (the default flow comes from the profile's flow-type)", fl.Value)
}
