// Package oauth implements `authctl admin oauth clients …`: the registry of
// the project's OAuth 2.1 server clients.
package oauth

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// NewCmdOAuth builds `authctl admin oauth`.
func NewCmdOAuth(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "oauth <command>",
		Short: "Manage the clients of the project's OAuth 2.1 server",
	}
	clients := &cobra.Command{
		Use:   "clients <command>",
		Short: "List, register, change and remove OAuth clients",
		Long: "The client secret of a confidential client is shown once, in the answer of create and\n" +
			"regenerate-secret: store it then (e.g. `--jq .client_secret`).",
	}
	clients.AddCommand(newCmdList(f), newCmdCreate(f), newCmdUpdate(f),
		newCmdByID(f, "get", "Show a client", get),
		newCmdByID(f, "delete", "Remove a client", remove),
		newCmdByID(f, "regenerate-secret", "Issue a new client secret (the old one stops working)", regenerate),
	)
	cmd.AddCommand(clients)
	return cmd
}

// admin returns the registry namespace of the factory's admin client.
func admin(f *cmdutil.Factory) (*auth.AdminOAuthAPI, error) {
	c, err := f.AdminClient()
	if err != nil {
		return nil, err
	}
	return c.Admin().OAuth(), nil
}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	var page, perPage int
	cmd := &cobra.Command{
		Use:   "list [--page N --per-page N]",
		Short: "List registered clients",
		Long:  "List the registered clients. --json prints the server's {\"clients\":[…]} object (clients is [] when empty).",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if page < 0 || perPage < 0 {
				return cmdutil.FlagErrorf("--page and --per-page must not be negative")
			}
			o, err := admin(f)
			if err != nil {
				return err
			}
			list, err := o.ListClients(cmd.Context(), auth.PageParams{Page: page, PerPage: perPage})
			if err != nil {
				return err
			}
			return f.Print(list, func(p *cmdutil.Printer) error {
				if len(list.Clients) == 0 {
					fmt.Fprintln(f.IOStreams.ErrOut, "no OAuth clients")
					return nil
				}
				t := render.NewTable(p.Out, p.IsTTY, p.Width)
				t.SetHeader("client id", "name", "type", "redirect uris", "created")
				for _, c := range list.Clients {
					t.AddRow(c.ClientID, c.ClientName, c.ClientType, strings.Join(c.RedirectURIs, " "), c.CreatedAt)
				}
				return t.Render()
			})
		},
	}
	cmd.Flags().IntVar(&page, "page", 0, "page to show (1-based; default the server's first)")
	cmd.Flags().IntVar(&perPage, "per-page", 0, "clients per page (default the server's)")
	return cmd
}

// byIDFunc is the work of a command that takes only a client id.
type byIDFunc func(ctx context.Context, o *auth.AdminOAuthAPI, id string) (any, error)

func get(ctx context.Context, o *auth.AdminOAuthAPI, id string) (any, error) {
	return o.GetClient(ctx, id)
}

func regenerate(ctx context.Context, o *auth.AdminOAuthAPI, id string) (any, error) {
	return o.RegenerateClientSecret(ctx, id)
}

func remove(ctx context.Context, o *auth.AdminOAuthAPI, id string) (any, error) {
	if err := o.DeleteClient(ctx, id); err != nil {
		return nil, err
	}
	return map[string]any{"client_id": id, "deleted": true}, nil
}

// newCmdByID builds get, delete and regenerate-secret, which differ only in
// the call they make.
func newCmdByID(f *cmdutil.Factory, name, short string, do byIDFunc) *cobra.Command {
	return &cobra.Command{
		Use:   name + " CLIENT_ID",
		Short: short,
		Args:  cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := admin(f)
			if err != nil {
				return err
			}
			res, err := do(cmd.Context(), o, args[0])
			if err != nil {
				return err
			}
			return f.Print(res, func(p *cmdutil.Printer) error { return printResult(p, res) })
		},
	}
}

func printResult(p *cmdutil.Printer, res any) error {
	c, ok := res.(*auth.OAuthClient)
	if !ok {
		_, err := fmt.Fprintln(p.Out, "Deleted")
		return err
	}
	return printClient(p, c)
}

// printClient writes the human view; the secret only when the server just
// issued it.
func printClient(p *cmdutil.Printer, c *auth.OAuthClient) error {
	rows := [][2]string{
		{"client id", c.ClientID}, {"client secret", c.ClientSecret}, {"name", c.ClientName},
		{"type", c.ClientType}, {"auth method", c.TokenEndpointAuthMethod},
		{"redirect uris", strings.Join(c.RedirectURIs, " ")}, {"grant types", strings.Join(c.GrantTypes, " ")},
		{"scope", c.Scope}, {"created", c.CreatedAt},
	}
	for _, r := range rows {
		if r[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(p.Out, "%-14s %s\n", r[0]+":", r[1]); err != nil {
			return err
		}
	}
	if c.ClientSecret != "" {
		fmt.Fprintln(p.Out, "\nThe secret is shown once: store it now.")
	}
	return nil
}
