// Package reauthenticate implements `authctl reauthenticate`.
package reauthenticate

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl reauthenticate`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdReauthenticate builds `authctl reauthenticate`.
func NewCmdReauthenticate(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "reauthenticate",
		Short: "Send a reauthentication code to the signed-in user",
		Long: heredoc.Docf(`
			Ask the server to send a one-time code to the signed-in user's email or phone. Projects
			with secure password change need it: %[1]sauthctl user update --password-stdin --nonce CODE%[1]s.
		`, "`"),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runReauthenticate),
	}
}

func runReauthenticate(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.Reauthenticate(ctx); err != nil {
		return err
	}
	return opts.F.Print(struct{}{}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintln(p.Out, "Reauthentication code sent: pass it to `authctl user update --nonce`.")
		return err
	})
}
