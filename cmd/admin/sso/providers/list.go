package providers

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// ListOptions of `authctl admin sso providers list`.
type ListOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdList builds `authctl admin sso providers list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, Client: f.AdminClient}
	return &cobra.Command{
		Use:   "list",
		Short: "List the SAML identity providers",
		Args:  cmdutil.NoArgs,
		RunE:  cmdutil.RunE(opts, runF, runList),
	}
}

func runList(ctx context.Context, opts *ListOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) ([]auth.SSOProvider, error) {
		return c.Admin().ListSSOProviders(ctx)
	}, cmdutil.ListView[auth.SSOProvider]{
		Empty:  "No SSO providers.",
		Header: []string{"id", "domains", "entity id"},
		Row:    func(sp auth.SSOProvider) []string { return []string{sp.ID, domains(&sp), sp.SAML.EntityID} },
	}.View)
}
