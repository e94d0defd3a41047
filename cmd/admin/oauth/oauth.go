// Package oauth implements `authctl admin oauth`, whose one group, clients,
// is a package of its own.
package oauth

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/admin/oauth/clients"
	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdOAuth builds `authctl admin oauth`.
func NewCmdOAuth(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "oauth <command>",
		Short: "Manage the clients of the project's OAuth 2.1 server",
	}
	cmd.AddCommand(clients.NewCmdClients(f))
	return cmd
}
