// Package resetpassword implements `authctl reset-password`.
package resetpassword

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl reset-password`.
type Options struct {
	F            *cmdutil.Factory
	Client       func() (*auth.Client, error)
	PKCEClient   func() (*auth.Client, error)
	Email        string
	RedirectTo   string
	CaptchaToken string
	Flow         shared.Flow
}

// NewCmdResetPassword builds `authctl reset-password`.
func NewCmdResetPassword(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client, PKCEClient: f.PKCEClient}
	cmd := &cobra.Command{
		Use:   "reset-password EMAIL [--redirect-to URL]",
		Short: "Send a password recovery email",
		Long: heredoc.Docf(`
			Send a password recovery email. The server answers the same whether or not the address
			has an account. Finish with %[1]sauthctl verify --type recovery%[1]s (code or token hash) or, in
			PKCE flow, %[1]sauthctl exchange-code%[1]s; then set the new password with
			%[1]sauthctl user update --password-stdin%[1]s.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl reset-password me@example.com
			  authctl reset-password me@example.com --flow pkce --redirect-to http://127.0.0.1:3000/reset
		`),
		Args: cmdutil.ExactArgs(1, "the EMAIL"),
		RunE: cmdutil.RunE(opts, runF, runResetPassword, &opts.Email),
	}
	cmd.Flags().StringVar(&opts.RedirectTo, "redirect-to", "", "`URL` the recovery link leads to")
	shared.AddCaptchaFlag(cmd.Flags(), &opts.CaptchaToken)
	opts.Flow.AddFlag(cmd.Flags())
	return cmd
}

func runResetPassword(ctx context.Context, opts *Options) error {
	if err := shared.ValidateEmail(opts.Email); err != nil {
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
	if err := c.ResetPasswordForEmail(ctx, opts.Email, auth.ResetPasswordOptions{RedirectTo: opts.RedirectTo,
		CaptchaToken: opts.CaptchaToken}); err != nil {
		return err
	}
	return opts.F.Print(struct{}{}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "Recovery email sent to %s (if it has an account).\n", opts.Email)
		return err
	})
}
