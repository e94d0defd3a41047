package clients

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// ListOptions of `authctl admin oauth clients list`.
type ListOptions struct {
	F             *cmdutil.Factory
	AdminClient   func() (*auth.Client, error)
	Page, PerPage int
}

// NewCmdList builds `authctl admin oauth clients list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "list [--page N --per-page N]",
		Short: "List registered clients",
		Long:  "List the registered clients. --json prints the server's {\"clients\":[…]} object (clients is [] when empty).",
		Args:  cmdutil.NoArgs,
		RunE:  cmdutil.CheckedRunE(opts, checkList, runF, runList),
	}
	cmd.Flags().IntVar(&opts.Page, "page", 0, "`N`th page to show (1-based; default the server's first)")
	cmd.Flags().IntVar(&opts.PerPage, "per-page", 0, "`N` clients per page (default the server's)")
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	return cmdutil.Show(opts.F, opts.AdminClient, func(c *auth.Client) (*auth.OAuthClientList, error) {
		return c.Admin().OAuth().ListClients(ctx, auth.PageParams{Page: opts.Page, PerPage: opts.PerPage})
	}, func(p *cmdutil.Printer, list *auth.OAuthClientList) error {
		return cmdutil.ListView[auth.OAuthClient]{
			Empty:  "No OAuth clients.",
			Header: []string{"client id", "name", "type", "redirect uris", "created"},
			Whole:  []string{"client id"}, // get, update and delete take it
			Drop:   []string{"created", "type"},
			Row: func(c auth.OAuthClient) []string {
				return []string{c.ClientID, c.ClientName, c.ClientType, strings.Join(c.RedirectURIs, " "), c.CreatedAt}
			},
		}.View(p, list.Clients)
	})
}

func checkList(opts *ListOptions) error {
	if opts.Page < 0 || opts.PerPage < 0 {
		return cmdutil.FlagErrorf("--page and --per-page must not be negative")
	}
	return nil
}
