// Package signup implements `authctl signup`.
package signup

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl signup`.
type Options struct {
	F          *cmdutil.Factory
	Client     func() (*auth.Client, error)
	PKCEClient func() (*auth.Client, error)
	Flow       shared.Flow
	shared.Contact
	PasswordStdin bool
	Data          string
	RedirectTo    string
}

// NewCmdSignup builds `authctl signup`.
func NewCmdSignup(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client, PKCEClient: f.PKCEClient}
	cmd := &cobra.Command{
		Use:   "signup (--email E | --phone P) [--password-stdin]",
		Short: "Create an account with a password",
		Long: heredoc.Docf(`
			Create a user with an email or phone number and a password. When the project confirms
			sign-ups automatically the new session is stored; otherwise confirm with %[1]sauthctl verify%[1]s.
			The password is asked for (masked) or read from stdin with --password-stdin.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl signup --email me@example.com
			  echo "$PASSWORD" | authctl signup --email ci@example.com --password-stdin --data '{"team":"qa"}'
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runSignup),
	}
	fl := cmd.Flags()
	opts.Contact.AddFlags(cmd, true)
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from stdin")
	fl.StringVar(&opts.Data, "data", "", "user metadata as a `JSON` object, or @file")
	fl.StringVar(&opts.RedirectTo, "redirect-to", "", "`URL` the confirmation link leads to")
	opts.Flow.AddFlag(fl)
	return cmd
}

func runSignup(ctx context.Context, opts *Options) error {
	f := opts.F
	if err := shared.ServerAnswers(ctx, f, opts.Client); err != nil {
		return err
	}
	if err := opts.Contact.Resolve(f); err != nil {
		return err
	}
	data, err := shared.JSONObject("--data", opts.Data)
	if err != nil {
		return err
	}
	password, err := shared.NewSecret(f, opts.PasswordStdin, "--password-stdin", "Password", shared.NotEmpty("the password"))
	if err != nil {
		return err
	}
	clientFn, err := opts.Flow.Pick(opts.Client, opts.PKCEClient)
	if err != nil {
		return err
	}
	c, err := clientFn()
	if err != nil {
		return err
	}
	ar, err := c.SignUp(ctx, auth.SignUpCredentials{Email: opts.Email, Phone: opts.Phone, Password: password,
		Data: data, EmailRedirectTo: opts.RedirectTo, CaptchaToken: opts.CaptchaToken, Channel: opts.Channel.Value})
	if err != nil {
		return err
	}
	return shared.PrintAuthResult(f, ar, "is signed up: confirm the account with the code or link that was sent (authctl verify)")
}
