// Package users implements `authctl admin users`: list, get, create, update,
// delete, invite, session, and the bulk import/export.
package users

import (
	"regexp"
	"sync"

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

var uuidRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
})

// ValidateUserID refuses what the server would refuse ("user_id must be an
// UUID") before any request, as a usage error.
func ValidateUserID(id string) error {
	if !uuidRE().MatchString(id) {
		return cmdutil.FlagErrorf("invalid user id %q: want a UUID such as 3f9ee07b-db8d-4c5a-b606-4609c830a94d", id)
	}
	return nil
}
