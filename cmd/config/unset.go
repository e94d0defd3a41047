package configcmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
)

// UnsetOptions of `authctl config unset`.
type UnsetOptions struct {
	F   *cmdutil.Factory
	Key string
}

// NewCmdUnset builds `authctl config unset`.
func NewCmdUnset(f *cmdutil.Factory, runF func(context.Context, *UnsetOptions) error) *cobra.Command {
	opts := &UnsetOptions{F: f}
	return &cobra.Command{
		Use:   "unset <key>",
		Short: "Remove a setting from the profile",
		Args:  cmdutil.ExactArgs(1, "the key to remove"),
		RunE:  cmdutil.RunE(opts, runF, runUnset, &opts.Key),
	}
}

func runUnset(ctx context.Context, opts *UnsetOptions) error {
	return withKey(opts.F, opts.Key, func() error { return unsetServiceRoleKey(ctx, opts.F) }, func(cfg *config.Config, profile string) error {
		if err := cfg.Unset(profile, opts.Key); err != nil {
			return usage(err)
		}
		return cfg.Save()
	})
}
