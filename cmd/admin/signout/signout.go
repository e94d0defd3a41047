// Package signout implements `authctl admin signout`.
package signout

import (
	"cmp"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl admin signout`.
type Options struct {
	F     *cmdutil.Factory
	JWT   string
	Scope string
	Yes   bool
}

// NewCmdSignout builds `authctl admin signout`.
func NewCmdSignout(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "signout (JWT | -) [--scope global|local|others] [--yes]",
		Short: "End a user's sessions, given one of their access tokens",
		Long: heredoc.Doc(`
			End the sessions of the user whose access token JWT is: all of them (global, the
			default), only that token's session (local), or every other one (others). Pass - to
			read the token from stdin, which keeps it out of the process list and shell history.
			Access tokens already issued stay valid until they expire; their refresh tokens do not.

			A global sign-out asks first on a terminal, naming the user; --yes skips the question, and
			without a terminal (which includes a token piped to -) --yes is required (exit code 2 otherwise).
		`),
		Example: heredoc.Doc(`
			  authctl admin users session "$ID" | authctl admin signout - --yes
			  authctl admin signout - --scope others < token.txt
		`),
		Args: cmdutil.ExactArgs(1, "the user's access token (JWT), or - to read it from stdin"),
		RunE: cmdutil.CheckedRunE(opts, checkScope, runF, run, &opts.JWT),
	}
	shared.AddScopeFlag(cmd, &opts.Scope, "`SCOPE`: global, local or others")
	cmdutil.AddYesFlag(cmd, &opts.Yes)
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	f := opts.F
	if opts.JWT == "-" {
		lines, err := shared.ReadSecretLines(f.IOStreams.In, 1, "the access token")
		if err != nil {
			return err
		}
		opts.JWT = lines[0]
	}
	d, err := auth.DecodeJWT(opts.JWT)
	if err != nil {
		// Never quote the value: it is a credential.
		return cmdutil.FlagErrorf("the access token is not a JWT")
	}
	c, err := f.AdminClient()
	if err != nil {
		return err
	}
	if auth.SignOutScope(opts.Scope) == auth.SignOutGlobal {
		err := cmdutil.ConfirmDestructive(f, opts.Yes, func() (string, error) {
			who := cmp.Or(d.Claims.Email, d.Claims.Phone, "user "+d.Claims.Sub)
			return "Sign " + who + " out of all their sessions?", nil
		})
		if err != nil {
			return err
		}
	}
	if err := c.Admin().SignOut(ctx, opts.JWT, auth.SignOutScope(opts.Scope)); err != nil {
		return err
	}
	return f.Print(map[string]string{"scope": opts.Scope}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "Signed the user out (scope %s)\n", opts.Scope)
		return err
	})
}

func checkScope(opts *Options) error { return shared.CheckScope(opts.Scope) }
