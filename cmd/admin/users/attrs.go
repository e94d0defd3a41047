package users

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// attrFlags are the user attributes create and update share (spec §7.1).
type attrFlags struct {
	Email, Phone  string
	PasswordStdin bool
	PasswordHash  string
	UserMetadata  string
	AppMetadata   string
	EmailConfirm  bool
	PhoneConfirm  bool
	BanDuration   string
	Role          string

	emailConfirmSet, phoneConfirmSet bool
}

func (a *attrFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&a.Email, "email", "", "`EMAIL` address")
	fl.StringVar(&a.Phone, "phone", "", "`PHONE` number, international format")
	fl.BoolVar(&a.PasswordStdin, "password-stdin", false, "read the password from stdin")
	fl.StringVar(&a.PasswordHash, "password-hash", "", "an existing bcrypt/argon2 `HASH` (or @file): the user keeps the original password")
	fl.StringVar(&a.UserMetadata, "user-metadata", "", "user_metadata as a `JSON` object, or @file")
	fl.StringVar(&a.AppMetadata, "app-metadata", "", "app_metadata as a `JSON` object, or @file")
	fl.BoolVar(&a.EmailConfirm, "email-confirm", false, "mark the email as confirmed (--email-confirm=false: unconfirmed)")
	fl.BoolVar(&a.PhoneConfirm, "phone-confirm", false, "mark the phone as confirmed")
	fl.StringVar(&a.BanDuration, "ban-duration", "", "ban for a `DURATION` (\"24h\", \"876000h\"); \"none\" lifts a ban")
	fl.StringVar(&a.Role, "role", "", "the user's `ROLE` claim (default authenticated)")
}

// note records which booleans were given: false is a value too.
func (a *attrFlags) note(cmd *cobra.Command) {
	a.emailConfirmSet = cmd.Flags().Changed("email-confirm")
	a.phoneConfirmSet = cmd.Flags().Changed("phone-confirm")
}

// build validates the flags and turns them into the SDK's attributes. The
// password comes from stdin only, never from argv.
func (a *attrFlags) build(f *cmdutil.Factory) (auth.AdminUserAttributes, error) {
	var out auth.AdminUserAttributes
	if a.Email != "" {
		if err := shared.ValidateEmail(a.Email); err != nil {
			return out, err
		}
	}
	if a.Phone != "" {
		if err := shared.ValidatePhone(a.Phone); err != nil {
			return out, err
		}
	}
	if a.PasswordStdin && a.PasswordHash != "" {
		return out, cmdutil.FlagErrorf("give either --password-stdin or --password-hash, not both")
	}
	if a.BanDuration != "" && strings.TrimSpace(a.BanDuration) == "" {
		return out, cmdutil.FlagErrorf("--ban-duration must not be blank")
	}
	var err error
	if out.UserMetadata, err = shared.JSONObject("--user-metadata", a.UserMetadata); err != nil {
		return out, err
	}
	if out.AppMetadata, err = shared.JSONObject("--app-metadata", a.AppMetadata); err != nil {
		return out, err
	}
	if out.PasswordHash, err = fileOrValue("--password-hash", a.PasswordHash); err != nil {
		return out, err
	}
	if a.PasswordStdin {
		if out.Password, err = shared.Secret(f, true, "--password-stdin", "Password", shared.NotEmpty("the password")); err != nil {
			return out, err
		}
	}
	out.Email, out.Phone, out.BanDuration, out.Role = a.Email, a.Phone, a.BanDuration, a.Role
	if a.emailConfirmSet {
		out.EmailConfirm = auth.Bool(a.EmailConfirm)
	}
	if a.phoneConfirmSet {
		out.PhoneConfirm = auth.Bool(a.PhoneConfirm)
	}
	return out, nil
}
