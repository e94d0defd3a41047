// Package identities implements `authctl identities list|unlink|link`.
package identities

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdIdentities builds `authctl identities` and its subcommands.
func NewCmdIdentities(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "identities <command>",
		Short: "The sign-in identities (email, phone, providers) linked to your account",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdUnlink(f, nil), NewCmdLink(f, nil))
	return cmd
}
