package mfa

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// AALOptions of `authctl mfa aal`.
type AALOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdAAL builds `authctl mfa aal`.
func NewCmdAAL(f *cmdutil.Factory, runF func(context.Context, *AALOptions) error) *cobra.Command {
	opts := &AALOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "aal",
		Short: "Show the session's assurance level",
		Long: heredoc.Doc(`
			Show the stored session's authenticator assurance level (current), the level its user can
			reach (next: aal2 once a factor is verified) and how the session was authenticated.
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runAAL),
	}
}

func runAAL(ctx context.Context, opts *AALOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.AALResult, error) {
		return c.MFA().GetAuthenticatorAssuranceLevel(ctx, "")
	}, func(p *cmdutil.Printer, r *auth.AALResult) error {
		methods := make([]string, len(r.CurrentAuthenticationMethods))
		for i, m := range r.CurrentAuthenticationMethods {
			methods[i] = m.Method
		}
		_, err := fmt.Fprintf(p.Out, "current: %s\nnext:    %s\nmethods: %s\n", r.CurrentLevel, r.NextLevel, strings.Join(methods, ", "))
		if err == nil && r.StepUpNeeded() {
			_, err = fmt.Fprintln(p.Out, "Raise the session with `authctl mfa challenge-and-verify FACTOR_ID --code CODE`.")
		}
		return err
	})
}
