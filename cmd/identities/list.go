package identities

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// ListOptions of `authctl identities list`.
type ListOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdList builds `authctl identities list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "list",
		Short: "List the identities linked to the signed-in user",
		Args:  cmdutil.NoArgs,
		RunE:  cmdutil.RunE(opts, runF, runList),
	}
}

func runList(ctx context.Context, opts *ListOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) ([]auth.UserIdentity, error) {
		return c.GetUserIdentities(ctx)
	}, func(p *cmdutil.Printer, ids []auth.UserIdentity) error {
		return cmdutil.ListView[auth.UserIdentity]{
			Empty:  "No identities.",
			Header: []string{"provider", "identity id", "email"},
			Whole:  []string{"identity id"}, // unlink takes it
			Row: func(id auth.UserIdentity) []string {
				return []string{id.Provider, id.IdentityID, id.Email}
			},
		}.View(p, ids)
	})
}
