// Package user implements `authctl user`: the signed-in user, fresh from the
// server.
package user

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// Options of `authctl user`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdUser builds `authctl user`.
func NewCmdUser(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Show the signed-in user (always asks the server)",
		Args:  cmdutil.NoArgs,
		RunE:  cmdutil.RunE(opts, runF, runUser),
	}
	cmd.AddCommand(NewCmdUpdate(f, nil))
	return cmd
}

func runUser(ctx context.Context, opts *Options) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.User, error) {
		return c.GetUser(ctx, "")
	}, shared.PrintUser)
}
