package shared

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// AddScopeFlag adds --scope, which sessions a sign-out ends (global by
// default, as the server's), with its completion; usage names the value
// `SCOPE`.
func AddScopeFlag(cmd *cobra.Command, scope *string, usage string) {
	cmd.Flags().StringVar(scope, "scope", string(auth.SignOutGlobal), usage)
	cmdutil.CompleteValues(cmd, "scope", "global", "local", "others")
}

// CheckScope refuses a --scope the server does not know, before any request.
func CheckScope(scope string) error {
	switch auth.SignOutScope(scope) {
	case auth.SignOutGlobal, auth.SignOutLocal, auth.SignOutOthers:
		return nil
	}
	return cmdutil.FlagErrorf("invalid --scope %q: want global, local or others", scope)
}
