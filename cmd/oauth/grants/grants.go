// Package grants implements `authctl oauth grants list|revoke`: the OAuth
// clients the signed-in user has granted access to.
package grants

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdGrants builds `authctl oauth grants`.
func NewCmdGrants(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "grants <command>",
		Short: "The OAuth clients you have granted access to",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdRevoke(f, nil))
	return cmd
}
