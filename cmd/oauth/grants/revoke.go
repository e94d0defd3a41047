package grants

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// RevokeOptions of `authctl oauth grants revoke`.
type RevokeOptions struct {
	F        *cmdutil.Factory
	Client   func() (*auth.Client, error)
	ClientID string
}

// NewCmdRevoke builds `authctl oauth grants revoke`.
func NewCmdRevoke(f *cmdutil.Factory, runF func(context.Context, *RevokeOptions) error) *cobra.Command {
	opts := &RevokeOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "revoke CLIENT_ID",
		Short: "Withdraw an OAuth client's access",
		Long:  "Withdraw a client's access. The server also ends the client's sessions and refresh tokens for you.",
		Args:  cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE:  cmdutil.RunE(opts, runF, runRevoke, &opts.ClientID),
	}
}

func runRevoke(ctx context.Context, opts *RevokeOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.OAuth().RevokeGrant(ctx, opts.ClientID); err != nil {
		return err
	}
	if opts.F.WantsJSON() {
		return opts.F.PrintJSON(map[string]string{"client_id": opts.ClientID})
	}
	opts.F.Infof("Revoked the grant of client %s", opts.ClientID)
	return nil
}
