package login

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// PasswordOptions of `authctl login password`.
type PasswordOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	shared.Contact
	PasswordStdin bool
	StepUp        shared.StepUpOptions
}

// NewCmdPassword builds `authctl login password`.
func NewCmdPassword(f *cmdutil.Factory, runF func(context.Context, *PasswordOptions) error) *cobra.Command {
	opts := &PasswordOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "password (--email E | --phone P) [--password-stdin]",
		Short: "Sign in with an email or phone and a password",
		Example: heredoc.Doc(`
			  authctl login password --email me@example.com
			  echo "$PASSWORD" | authctl login password --email ci@example.com --password-stdin
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runPassword),
	}
	fl := cmd.Flags()
	opts.Contact.AddFlags(cmd, false)
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from stdin")
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

func runPassword(ctx context.Context, opts *PasswordOptions) error {
	f := opts.F
	if err := shared.ServerAnswers(ctx, f, opts.Client); err != nil {
		return err
	}
	if err := opts.Contact.Resolve(f); err != nil {
		return err
	}
	password, err := shared.Secret(f, opts.PasswordStdin, "--password-stdin", "Password", shared.NotEmpty("the password"))
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ar, err := c.SignInWithPassword(ctx, auth.PasswordCredentials{Email: opts.Email, Phone: opts.Phone,
		Password: password, CaptchaToken: opts.CaptchaToken})
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, f, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(f, ar, "")
}
