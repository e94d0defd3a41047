package mfa

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// ListOptions of `authctl mfa list`.
type ListOptions struct {
	F       *cmdutil.Factory
	Client  func() (*auth.Client, error)
	Columns []string
}

// NewCmdList builds `authctl mfa list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List your factors and their status",
		Long: heredoc.Doc(`
			List the user's factors, fresh from the server, verified or not. --json gives
			{all, totp, phone, webauthn}: all of them, then the verified ones by type.
		`),
		Example: heredoc.Doc(`
			  authctl mfa list
			  authctl mfa list --jq '.totp[0].id'
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runList),
	}
	cmdutil.AddColumnsFlag(cmd, &opts.Columns, shared.FactorColumns)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.MFAFactors, error) {
		return c.MFA().ListFactors(ctx)
	}, func(p *cmdutil.Printer, fs *auth.MFAFactors) error {
		return shared.FactorTable(p, fs.All, opts.Columns)
	})
}
