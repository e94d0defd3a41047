package adminpasskeys

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// ListOptions of `authctl admin passkeys list`.
type ListOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	UserID      string
	Columns     []string
}

// NewCmdList builds `authctl admin passkeys list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "list USER_ID",
		Short: "List a user's passkeys",
		Long: heredoc.Doc(`
			List a user's passkeys, oldest first: id, name, when registered and last used. The server
			answers whether or not passkeys are enabled.
		`),
		Example: "  authctl admin passkeys list 3f9ee07b-db8d-4c5a-b606-4609c830a94d",
		Args:    cmdutil.ExactArgs(1, "the user ID"),
		RunE:    shared.UserRunE(opts, runF, runList, &opts.UserID),
	}
	cmdutil.AddColumnsFlag(cmd, &opts.Columns, passkeyColumns)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	return cmdutil.Show(opts.F, opts.AdminClient, func(c *auth.Client) ([]auth.Passkey, error) {
		return passkeys.List(ctx, c, opts.UserID)
	}, func(p *cmdutil.Printer, ks []auth.Passkey) error { return passkeyTable(p, ks, opts.Columns) })
}
