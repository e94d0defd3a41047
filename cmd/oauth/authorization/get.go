package authorization

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// GetOptions of `authctl oauth authorization get`.
type GetOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	ID     string // the authorization_id
}

// NewCmdGet builds `authctl oauth authorization get`.
func NewCmdGet(f *cmdutil.Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	opts := &GetOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "get AUTHORIZATION_ID",
		Short: "Show what an OAuth client asks for",
		Long: heredoc.Doc(`
			Show a pending authorization: the client, the scopes and the redirect URI. AUTHORIZATION_ID is
			the authorization_id the server put on the consent page's URL. When you consented to these
			scopes before, the server answers with the client's redirect URL instead, which is printed.
		`),
		Args: cmdutil.ExactArgs(1, "the AUTHORIZATION_ID"),
		RunE: cmdutil.RunE(opts, runF, runGet, &opts.ID),
	}
}

func runGet(ctx context.Context, opts *GetOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.OAuthAuthorization, error) {
		return c.OAuth().GetAuthorizationDetails(ctx, opts.ID)
	}, func(p *cmdutil.Printer, a *auth.OAuthAuthorization) error {
		if a.AlreadyApproved() {
			_, err := fmt.Fprintln(p.Out, a.RedirectURL)
			return err
		}
		name := a.Client.Name
		if name == "" {
			name = a.Client.ID
		}
		_, err := fmt.Fprintf(p.Out, "Client:   %s (%s)\nScopes:   %s\nRedirect: %s\n", name, a.Client.ID, a.Scope, a.RedirectURI)
		return err
	})
}
