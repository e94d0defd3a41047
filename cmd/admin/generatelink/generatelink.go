// Package generatelink implements `authctl admin generate-link`.
package generatelink

import (
	"context"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl admin generate-link`.
type Options struct {
	F             *cmdutil.Factory
	Type          string
	Email         string
	NewEmail      string
	PasswordStdin bool
	Data          string
	RedirectTo    string
}

var types = []auth.GenerateLinkType{auth.LinkSignup, auth.LinkInvite, auth.LinkMagicLink, auth.LinkRecovery,
	auth.LinkEmailChangeCurrent, auth.LinkEmailChangeNew}

// NewCmdGenerateLink builds `authctl admin generate-link`.
func NewCmdGenerateLink(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "generate-link --type T --email E [--new-email E] [--password-stdin] [--data JSON] [--redirect-to URL]",
		Short: "Create an email action link without sending mail",
		Long: heredoc.Docf(`
			Create the link (and its OTP and token hash) that an email would carry, without sending
			one. Types: signup (needs --password-stdin), invite, magiclink, recovery,
			email_change_current and email_change_new (need --new-email). Complete the flow with
			%[1]sauthctl verify --type T --token-hash H%[1]s, or open the action link.

			--json prints {"properties":{action_link, email_otp, hashed_token, redirect_to,
			verification_type}, "user":{…}}.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl admin generate-link --type magiclink --email ci@example.com --jq .properties.hashed_token
			  echo "$PASSWORD" | authctl admin generate-link --type signup --email new@example.com --password-stdin
			  authctl admin generate-link --type email_change_new --email old@example.com --new-email new@example.com
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, validate, runF, run),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Type, "type", "", "link `TYPE`: signup, invite, magiclink, recovery, email_change_current or email_change_new")
	typeNames := make([]string, len(types))
	for i, t := range types {
		typeNames[i] = string(t)
	}
	cmdutil.CompleteValues(cmd, "type", typeNames...)
	fl.StringVar(&opts.Email, "email", "", "the user's `EMAIL` address")
	fl.StringVar(&opts.NewEmail, "new-email", "", "the new `EMAIL` address (email_change_* types)")
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the new user's password from stdin (signup)")
	fl.StringVar(&opts.Data, "data", "", "user_metadata as a `JSON` object, or @file (signup, invite, magiclink)")
	fl.StringVar(&opts.RedirectTo, "redirect-to", "", "`URL` the link leads to after verification")
	return cmd
}

func validate(opts *Options) error {
	t := auth.GenerateLinkType(opts.Type)
	switch {
	case opts.Type == "":
		return cmdutil.FlagErrorf("--type is required: one of %v", types)
	case !slices.Contains(types, t):
		return cmdutil.FlagErrorf("invalid --type %q: want one of %v", opts.Type, types)
	case opts.Email == "":
		return cmdutil.FlagErrorf("--email is required")
	case t == auth.LinkSignup && !opts.PasswordStdin:
		return cmdutil.FlagErrorf("--type signup needs the new user's password: --password-stdin")
	case (t == auth.LinkEmailChangeCurrent || t == auth.LinkEmailChangeNew) && opts.NewEmail == "":
		return cmdutil.FlagErrorf("--type %s needs --new-email", t)
	}
	if opts.NewEmail != "" {
		if err := shared.ValidateEmail(opts.NewEmail); err != nil {
			return err
		}
	}
	return shared.ValidateEmail(opts.Email)
}

func run(ctx context.Context, opts *Options) error {
	f := opts.F
	p := auth.GenerateLinkParams{Type: auth.GenerateLinkType(opts.Type), Email: opts.Email, NewEmail: opts.NewEmail,
		RedirectTo: opts.RedirectTo}
	var err error
	if p.Data, err = shared.JSONObject("--data", opts.Data); err != nil {
		return err
	}
	if opts.PasswordStdin {
		if p.Password, err = shared.Secret(f, true, "--password-stdin", "Password", shared.NotEmpty("the password")); err != nil {
			return err
		}
	}
	c, err := f.AdminClient()
	if err != nil {
		return err
	}
	res, err := c.Admin().GenerateLink(ctx, p)
	if err != nil {
		return err
	}
	return f.Print(res, func(pr *cmdutil.Printer) error {
		lp := res.Properties
		_, err := fmt.Fprintf(pr.Out, "%s link for %s (user %s)\n  action link:  %s\n  email OTP:    %s\n  hashed token: %s\n  redirect to:  %s\n",
			lp.VerificationType, shared.UserLabel(&res.User), res.User.ID, lp.ActionLink, lp.EmailOTP, lp.HashedToken, lp.RedirectTo)
		return err
	})
}
