package adminmfa

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// ListOptions of `authctl admin mfa list`.
type ListOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	UserID      string
	Columns     []string
}

// NewCmdList builds `authctl admin mfa list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:     "list USER_ID",
		Short:   "List a user's factors, verified or not",
		Example: "  authctl admin mfa list 3f9ee07b-db8d-4c5a-b606-4609c830a94d",
		Args:    cmdutil.ExactArgs(1, "the user ID"),
		RunE:    shared.UserRunE(opts, runF, runList, &opts.UserID),
	}
	cmdutil.AddColumnsFlag(cmd, &opts.Columns, shared.FactorColumns)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	return cmdutil.Show(opts.F, opts.AdminClient, func(c *auth.Client) ([]auth.Factor, error) {
		return factors.List(ctx, c, opts.UserID)
	}, func(p *cmdutil.Printer, fs []auth.Factor) error { return shared.FactorTable(p, fs, opts.Columns) })
}
