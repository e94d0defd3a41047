// Package admin implements `authctl admin`: user management and the other
// admin surfaces of the Auth server, all with the service-role key.
package admin

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/admin/audit"
	"github.com/authctl/authctl/cmd/admin/generatelink"
	adminmfa "github.com/authctl/authctl/cmd/admin/mfa"
	"github.com/authctl/authctl/cmd/admin/oauth"
	adminpasskeys "github.com/authctl/authctl/cmd/admin/passkeys"
	"github.com/authctl/authctl/cmd/admin/signout"
	"github.com/authctl/authctl/cmd/admin/sso"
	"github.com/authctl/authctl/cmd/admin/users"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// NewCmdAdmin builds `authctl admin`.
func NewCmdAdmin(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "admin <command>",
		Short: "Manage users and the project with the service-role key",
		Long: heredoc.Docf(`
			Admin commands act with the project's service-role key, which bypasses every policy:
			keep it out of shells people share. It is read from SUPABASE_SERVICE_ROLE_KEY (or
			SUPABASE_SECRET_KEY), else from the profile's keyring entry written by
			%[1]sauthctl config set service-role-key%[1]s (which reads it from stdin). It is never taken
			from a flag. Without it admin commands exit with code 2.
		`, "`"),
		Example: heredoc.Doc(`
			  export SUPABASE_SERVICE_ROLE_KEY=…   # or: authctl config set service-role-key < key.txt
			  authctl admin users list --all --json | jq -r .email
		`),
	}
	cmd.AddCommand(
		users.NewCmdUsers(f),
		generatelink.NewCmdGenerateLink(f, nil),
		signout.NewCmdSignout(f, nil),
		oauth.NewCmdOAuth(f),
		adminmfa.NewCmdAdminMFA(f),
		adminpasskeys.NewCmdAdminPasskeys(f),
		audit.NewCmdAudit(f),
		sso.NewCmdSSO(f),
	)
	return cmd
}
