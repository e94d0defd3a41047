package clients

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// CreateOptions of `authctl admin oauth clients create`.
type CreateOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	Params      auth.OAuthClientParams
}

// NewCmdCreate builds `authctl admin oauth clients create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(context.Context, *CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "create --redirect-uri URI [--name N] [flags]",
		Short: "Register a client",
		Long:  "Register a client. A confidential client's secret is in the answer, once.",
		Example: heredoc.Doc(`
			  authctl admin oauth clients create --name 'My app' --redirect-uri https://app.example.com/callback
			  authctl admin oauth clients create --name CLI --redirect-uri http://127.0.0.1/cb --token-endpoint-auth-method none
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, checkCreate, runF, runCreate),
	}
	paramFlags(cmd, &opts.Params)
	return cmd
}

func runCreate(ctx context.Context, opts *CreateOptions) error {
	return cmdutil.Show(opts.F, opts.AdminClient, func(c *auth.Client) (*auth.OAuthClient, error) {
		return c.Admin().OAuth().CreateClient(ctx, opts.Params)
	}, printClient)
}

func checkCreate(opts *CreateOptions) error {
	if len(opts.Params.RedirectURIs) == 0 {
		return cmdutil.FlagErrorf("--redirect-uri is required")
	}
	return nil
}
