// Package clients implements `authctl admin oauth clients …`: the registry
// of the project's OAuth 2.1 server clients.
package clients

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// NewCmdClients builds `authctl admin oauth clients`.
func NewCmdClients(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "clients <command>",
		Short: "List, register, change and remove OAuth clients",
		Long: heredoc.Docf(`
			The client secret of a confidential client is shown once, in the answer of create and
			regenerate-secret: store it then (e.g. %[1]s--jq .client_secret%[1]s).
		`, "`"),
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdCreate(f, nil), NewCmdUpdate(f, nil),
		NewCmdGet(f, nil), NewCmdDelete(f, nil), NewCmdRegenerateSecret(f, nil))
	return cmd
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
