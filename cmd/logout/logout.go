// Package logout implements `authctl logout`.
package logout

import (
	"context"
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/keyring"
)

// Options of `authctl logout`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	Scope  string
}

// NewCmdLogout builds `authctl logout`.
func NewCmdLogout(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "logout [--scope global|local|others]",
		Short: "Sign out",
		Long: heredoc.Doc(`
			Sign out on the server and remove the stored session.

			  global  end every session of the user, on every device (default)
			  local   end only this session
			  others  end every other session and keep this one

			With global or local the local session is removed even when the server cannot be reached.
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, checkScope, runF, runLogout),
	}
	shared.AddScopeFlag(cmd, &opts.Scope, "which sessions to end (`SCOPE`): global, local or others")
	return cmd
}

func runLogout(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.SignOut(ctx, auth.SignOutScope(opts.Scope)); err != nil {
		corrupt, ok := errors.AsType[*keyring.CorruptError](err)
		if !ok {
			return err
		}
		// Nothing in the file can be read or revoked: removing it is what
		// signing out can still do, and what unblocks the next sign-in.
		if err := os.Remove(corrupt.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		opts.F.Warnf("removed the corrupt session file %s; its session, if any, was not revoked on the server", corrupt.Path)
	}
	if opts.F.WantsJSON() {
		return opts.F.PrintJSON(map[string]string{"scope": opts.Scope})
	}
	if opts.Scope == string(auth.SignOutOthers) {
		opts.F.Infof("Signed out of every other session")
	} else {
		opts.F.Infof("Signed out (%s)", opts.Scope)
	}
	return nil
}

func checkScope(opts *Options) error { return shared.CheckScope(opts.Scope) }
