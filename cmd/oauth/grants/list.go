package grants

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// ListOptions of `authctl oauth grants list`.
type ListOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdList builds `authctl oauth grants list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "list",
		Short: "List the OAuth clients you have granted access to",
		Args:  cmdutil.NoArgs,
		RunE:  cmdutil.RunE(opts, runF, runList),
	}
}

func runList(ctx context.Context, opts *ListOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) ([]auth.OAuthGrant, error) {
		return c.OAuth().ListGrants(ctx)
	}, cmdutil.ListView[auth.OAuthGrant]{
		Empty:  "No grants.",
		Header: []string{"CLIENT ID", "NAME", "SCOPES", "GRANTED AT"},
		Whole:  []string{"client id"}, // revoke takes it
		Drop:   []string{"granted at"},
		Row: func(g auth.OAuthGrant) []string {
			return []string{g.Client.ID, g.Client.Name, strings.Join(g.Scopes, " "), g.GrantedAt}
		},
	}.View)
}
