package providers

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// GetOptions of `authctl admin sso providers get`.
type GetOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	ID     string
}

// NewCmdGet builds `authctl admin sso providers get`.
func NewCmdGet(f *cmdutil.Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	opts := &GetOptions{F: f, Client: f.AdminClient}
	return &cobra.Command{
		Use:   "get ID",
		Short: "Show a SAML identity provider (--json includes its metadata XML)",
		Args:  cmdutil.ExactArgs(1, "the provider ID"),
		RunE:  cmdutil.RunE(opts, runF, runGet, &opts.ID),
	}
}

func runGet(ctx context.Context, opts *GetOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.SSOProvider, error) {
		return c.Admin().GetSSOProvider(ctx, opts.ID)
	}, printProvider)
}
