// Package adminmfa implements `authctl admin mfa`: list and delete any
// user's factors with the service-role key, e.g. for a lost authenticator.
package adminmfa

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdAdminMFA builds `authctl admin mfa`.
func NewCmdAdminMFA(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mfa <command>",
		Short: "List and delete users' second factors",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdDelete(f, nil))
	return cmd
}
