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
		Long: "Sign in and store the session. On a terminal, `authctl login` asks which method to use;\n" +
			"scripts name the method: `authctl login password --email E --password-stdin`.",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runChooser(f, cmd) },
	}
	cmd.AddCommand(NewCmdPassword(f, nil), NewCmdOTP(f, nil), NewCmdOAuth(f, nil), NewCmdSSO(f, nil),
		NewCmdIDToken(f, nil), NewCmdAnonymous(f, nil), NewCmdWeb3(f, nil))
	return cmd
}
