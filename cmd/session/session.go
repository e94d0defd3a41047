// Package session implements `authctl session`, `session refresh` and
// `session set`.
package session

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl session`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdSession builds `authctl session` and its subcommands.
func NewCmdSession(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "session",
		Short: "Show the current session, refreshing it when it has expired",
		Long: heredoc.Doc(`
			Show the stored session. An access token that has expired (or expires within 90 seconds)
			is refreshed first, as every SDK does. With --json the Session object is printed, tokens included.
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runSession),
	}
	cmd.AddCommand(NewCmdRefresh(f, nil), NewCmdSet(f, nil))
	return cmd
}

func runSession(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := c.GetSession(ctx)
	if err != nil {
		return err
	}
	if s == nil {
		return cmdutil.ErrNotSignedIn()
	}
	return opts.F.Print(s, func(p *cmdutil.Printer) error { return shared.PrintSession(p, s) })
}
