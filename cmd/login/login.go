// Package login implements `authctl login` and its sign-in methods.
package login

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdLogin builds `authctl login`: the methods as subcommands.
func NewCmdLogin(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "login <method>",
		Short: "Sign in",
		Long:  "Sign in and store the session. Choose a method: password, otp, anonymous, …",
	}
	cmd.AddCommand(NewCmdPassword(f, nil))
	return cmd
}
