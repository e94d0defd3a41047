// Package users implements `authctl admin users`: list, get, create, update,
// delete, invite, session, and the bulk import/export.
package users

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdUsers builds `authctl admin users`.
func NewCmdUsers(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users <command>",
		Short: "List, create, change and delete users",
	}
	cmd.AddCommand(
		NewCmdList(f, nil),
		NewCmdGet(f, nil),
		NewCmdCreate(f, nil),
		NewCmdUpdate(f, nil),
		NewCmdDelete(f, nil),
		NewCmdInvite(f, nil),
		NewCmdSession(f, nil),
	)
	cmd.AddCommand(NewCmdImport(f, nil), NewCmdExport(f, nil))
	return cmd
}
