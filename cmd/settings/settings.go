// Package settings implements `authctl settings` and `settings diff`: the
// server's public auth settings, and how two profiles' servers differ.
package settings

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// Options of `authctl settings`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdSettings builds `authctl settings` and its subcommands.
func NewCmdSettings(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.PublicClient}
	cmd := &cobra.Command{
		Use:   "settings",
		Short: "Show the server's public auth settings",
		Long: heredoc.Docf(`
			Show what the Auth server publishes at GET /settings: sign-ups, anonymous sign-ins, email and
			phone sign-in and whether they need confirmation, SAML SSO, passkeys, and the OAuth providers
			that are on. No key or session is needed beyond the anon key.

			The server does not publish its MFA settings: whether TOTP or phone factors can be enrolled
			shows only when someone tries (%[1]sauthctl mfa enroll%[1]s).
		`, "`"),
		Example: heredoc.Doc(`
			  authctl settings
			  authctl settings --jq '.external.github'
			  authctl settings diff staging production
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runSettings),
	}
	cmd.AddCommand(NewCmdDiff(f, nil))
	return cmd
}

func runSettings(ctx context.Context, opts *Options) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.Settings, error) {
		return c.GetSettings(ctx)
	}, func(p *cmdutil.Printer, s *auth.Settings) error {
		return render.Fields(p.Out, p.Width, "", Describe(s))
	})
}

// Describe renders settings as label/value lines for people, the sign-in
// methods first.
func Describe(s *auth.Settings) [][2]string {
	confirm := func(on, auto bool) string {
		switch {
		case !on:
			return "off"
		case auto:
			return "on, no confirmation needed (autoconfirm)"
		}
		return "on, new addresses must be confirmed"
	}
	phone := confirm(s.External["phone"], s.PhoneAutoconfirm)
	if s.External["phone"] && s.SMSProvider != "" {
		phone += ", sms via " + s.SMSProvider
	}
	return [][2]string{
		{"sign-ups", onOff(!s.DisableSignup)},
		{"email", confirm(s.External["email"], s.MailerAutoconfirm)},
		{"phone", phone},
		{"anonymous", onOff(s.External["anonymous_users"])},
		{"saml sso", onOff(s.SAMLEnabled)},
		{"passkeys", onOff(s.PasskeysEnabled)},
		{"oauth providers", strings.Join(OAuthProviders(s), ", ")},
	}
}

// OAuthProviders lists the OAuth providers that are on, sorted; "none" when
// there are none.
func OAuthProviders(s *auth.Settings) []string {
	var out []string
	for p, on := range s.External {
		switch p {
		case "email", "phone", "anonymous_users":
			continue
		}
		if on {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	slices.Sort(out)
	return out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
