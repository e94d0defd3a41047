package providers

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
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
	}, func(p *cmdutil.Printer, list []auth.SSOProvider) error {
		if len(list) == 0 {
			_, err := fmt.Fprintln(p.Out, "No SSO providers.")
			return err
		}
		tb := render.NewTable(p.Out, p.IsTTY, p.Width)
		tb.SetHeader("id", "domains", "entity id")
		for i := range list {
			tb.AddRow(list[i].ID, domains(&list[i]), list[i].SAML.EntityID)
		}
		return tb.Render()
	})
}
