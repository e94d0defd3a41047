package clients

import (
	"context"
	"reflect"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// UpdateOptions of `authctl admin oauth clients update`.
type UpdateOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	ClientID    string
	Params      auth.OAuthClientParams
}

// NewCmdUpdate builds `authctl admin oauth clients update`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(context.Context, *UpdateOptions) error) *cobra.Command {
	opts := &UpdateOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "update CLIENT_ID [flags]",
		Short: "Change a client (flags not given keep their value)",
		Args:  cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE:  cmdutil.CheckedRunE(opts, checkUpdate, runF, runUpdate, &opts.ClientID),
	}
	paramFlags(cmd, &opts.Params)
	return cmd
}

func runUpdate(ctx context.Context, opts *UpdateOptions) error {
	return cmdutil.Show(opts.F, opts.AdminClient, func(c *auth.Client) (*auth.OAuthClient, error) {
		return c.Admin().OAuth().UpdateClient(ctx, opts.ClientID, opts.Params)
	}, printClient)
}

func checkUpdate(opts *UpdateOptions) error {
	if reflect.ValueOf(opts.Params).IsZero() {
		return cmdutil.FlagErrorf("nothing to change: give at least one flag")
	}
	return nil
}
