package clients

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// GetOptions of `authctl admin oauth clients get`.
type GetOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	ClientID    string
}

// NewCmdGet builds `authctl admin oauth clients get`.
func NewCmdGet(f *cmdutil.Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	opts := &GetOptions{F: f, AdminClient: f.AdminClient}
	return &cobra.Command{
		Use:   "get CLIENT_ID",
		Short: "Show a client",
		Args:  cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE:  cmdutil.RunE(opts, runF, runGet, &opts.ClientID),
	}
}

func runGet(ctx context.Context, opts *GetOptions) error {
	return cmdutil.Show(opts.F, opts.AdminClient, func(c *auth.Client) (*auth.OAuthClient, error) {
		return c.Admin().OAuth().GetClient(ctx, opts.ClientID)
	}, printClient)
}
