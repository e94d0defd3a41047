package session

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// RefreshOptions of `authctl session refresh`.
type RefreshOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdRefresh builds `authctl session refresh`.
func NewCmdRefresh(f *cmdutil.Factory, runF func(context.Context, *RefreshOptions) error) *cobra.Command {
	opts := &RefreshOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "refresh",
		Short: "Refresh the session now, whatever its expiry",
		Long: heredoc.Doc(`
			Spend the stored refresh token for a new access token and refresh token.
			When the server says the refresh token was revoked or already used, the session is removed
			and the command exits with code 3.
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runRefresh),
	}
}

func runRefresh(ctx context.Context, opts *RefreshOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.Session, error) {
		return c.RefreshSession(ctx, nil)
	}, shared.PrintSession)
}
