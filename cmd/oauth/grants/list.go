package grants

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
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
	}, func(p *cmdutil.Printer, grants []auth.OAuthGrant) error {
		if len(grants) == 0 {
			_, err := fmt.Fprintln(p.Out, "No grants.")
			return err
		}
		tb := render.NewTable(p.Out, p.IsTTY, p.Width)
		tb.SetHeader("CLIENT ID", "NAME", "SCOPES", "GRANTED AT")
		tb.SetWhole("client id") // revoke takes it
		tb.SetDropOrder("granted at")
		for _, g := range grants {
			tb.AddRow(g.Client.ID, g.Client.Name, strings.Join(g.Scopes, " "), g.GrantedAt)
		}
		return tb.Render()
	})
}
