// Package login implements `authctl login` and its sign-in methods.
package login

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl login` without a method: the chooser.
type Options struct {
	F *cmdutil.Factory
	// Login is the login command itself: its subcommands are the methods
	// the chooser offers and runs.
	Login *cobra.Command
}

// NewCmdLogin builds `authctl login`: the methods as subcommands, and the
// chooser when none is named.
func NewCmdLogin(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "login <method>",
		Short: "Sign in",
		Long: heredoc.Docf(`
			Sign in and store the session. On a terminal, %[1]sauthctl login%[1]s asks which method to use;
			scripts name the method: %[1]sauthctl login password --email E --password-stdin%[1]s.
		`, "`"),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runChooser),
	}
	cmd.AddCommand(NewCmdPassword(f, nil), NewCmdOTP(f, nil), NewCmdOAuth(f, nil), NewCmdSSO(f, nil),
		NewCmdIDToken(f, nil), NewCmdAnonymous(f, nil), NewCmdWeb3(f, nil))
	opts.Login = cmd
	return cmd
}
