package clients

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// RegenerateSecretOptions of `authctl admin oauth clients regenerate-secret`.
type RegenerateSecretOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	ClientID    string
}

// NewCmdRegenerateSecret builds `authctl admin oauth clients regenerate-secret`.
func NewCmdRegenerateSecret(f *cmdutil.Factory, runF func(context.Context, *RegenerateSecretOptions) error) *cobra.Command {
	opts := &RegenerateSecretOptions{F: f, AdminClient: f.AdminClient}
	return &cobra.Command{
		Use:   "regenerate-secret CLIENT_ID",
		Short: "Issue a new client secret (the old one stops working)",
		Args:  cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE:  cmdutil.RunE(opts, runF, runRegenerateSecret, &opts.ClientID),
	}
}

func runRegenerateSecret(ctx context.Context, opts *RegenerateSecretOptions) error {
	return cmdutil.Show(opts.F, opts.AdminClient, func(c *auth.Client) (*auth.OAuthClient, error) {
		return c.Admin().OAuth().RegenerateClientSecret(ctx, opts.ClientID)
	}, printClient)
}
