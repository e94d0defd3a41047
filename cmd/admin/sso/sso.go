// Package sso implements `authctl admin sso`: the project's enterprise
// (SAML) single sign-on.
package sso

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/admin/sso/providers"
	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdSSO builds `authctl admin sso`.
func NewCmdSSO(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sso <command>",
		Short: "Manage SAML single sign-on",
		Args:  cmdutil.NoArgs,
	}
	cmd.AddCommand(providers.NewCmdProviders(f))
	return cmd
}
