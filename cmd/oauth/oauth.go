// Package oauth implements `authctl oauth`: the signed-in user's side of the
// project's OAuth 2.1 server. Its groups are packages of their own:
// authorization (consent) and grants (the clients you consented to).
package oauth

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/oauth/authorization"
	"github.com/authctl/authctl/cmd/oauth/grants"
	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdOAuth builds `authctl oauth` and its subcommands.
func NewCmdOAuth(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "oauth <command>",
		Short: "Consent to OAuth clients of the project's OAuth 2.1 server, and manage your grants",
	}
	cmd.AddCommand(authorization.NewCmdAuthorization(f), grants.NewCmdGrants(f))
	return cmd
}
