package user

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// UpdateOptions of `authctl user update`.
type UpdateOptions struct {
	F             *cmdutil.Factory
	Client        func() (*auth.Client, error)
	Email, Phone  string
	PasswordStdin bool
	Data          string
	Nonce         string
	RedirectTo    string
}

// NewCmdUpdate builds `authctl user update`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(context.Context, *UpdateOptions) error) *cobra.Command {
	opts := &UpdateOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "update [--email E] [--phone P] [--password-stdin] [--data JSON] [--nonce N]",
		Short: "Change the signed-in user's email, phone, password or metadata",
		Long: heredoc.Docf(`
			Update the signed-in user. A new email or phone stays pending until confirmed with the
			code sent to it (%[1]sauthctl verify --type email_change|phone_change%[1]s). The new password
			is read from stdin with --password-stdin; --nonce is the code %[1]sauthctl reauthenticate%[1]s
			sent, when the project requires it. --data is merged into user_metadata.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl user update --data '{"name":"Ada"}'
			  echo "$NEW_PASSWORD" | authctl user update --password-stdin
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runUpdate),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Email, "email", "", "new `EMAIL` address")
	fl.StringVar(&opts.Phone, "phone", "", "new `PHONE` number, international format")
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the new password from stdin")
	fl.StringVar(&opts.Data, "data", "", "metadata to merge, as a `JSON` object or @file")
	fl.StringVar(&opts.Nonce, "nonce", "", "reauthentication `CODE` from authctl reauthenticate")
	fl.StringVar(&opts.RedirectTo, "redirect-to", "", "`URL` the email change confirmation link leads to")
	return cmd
}

func runUpdate(ctx context.Context, opts *UpdateOptions) error {
	f := opts.F
	if opts.Email == "" && opts.Phone == "" && !opts.PasswordStdin && opts.Data == "" {
		return cmdutil.FlagErrorf("nothing to update: give --email, --phone, --password-stdin or --data")
	}
	if opts.Email != "" {
		if err := shared.ValidateEmail(opts.Email); err != nil {
			return err
		}
	}
	if opts.Phone != "" {
		if err := shared.ValidatePhone(opts.Phone); err != nil {
			return err
		}
	}
	data, err := shared.JSONObject("--data", opts.Data)
	if err != nil {
		return err
	}
	var password string
	if opts.PasswordStdin {
		if password, err = shared.Secret(f, true, "--password-stdin", "New password", shared.NotEmpty("the password")); err != nil {
			return err
		}
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	u, err := c.UpdateUser(ctx, auth.UserAttributes{Email: opts.Email, Phone: opts.Phone, Password: password,
		Nonce: opts.Nonce, Data: data}, opts.RedirectTo)
	if err != nil {
		return err
	}
	return f.Print(u, func(p *cmdutil.Printer) error { return shared.PrintUser(p, u) })
}
