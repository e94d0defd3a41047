package configcmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
)

// GetOptions of `authctl config get`.
type GetOptions struct {
	F   *cmdutil.Factory
	Key string
}

// NewCmdGet builds `authctl config get`.
func NewCmdGet(f *cmdutil.Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	opts := &GetOptions{F: f}
	return &cobra.Command{
		Use:   "get <key>",
		Short: "Print a setting of the profile",
		Args:  cmdutil.ExactArgs(1, "the key to print"),
		RunE:  cmdutil.RunE(opts, runF, runGet, &opts.Key),
	}
}

func runGet(ctx context.Context, opts *GetOptions) error {
	return withKey(opts.F, opts.Key, func() error { return getServiceRoleKey(ctx, opts.F) }, func(cfg *config.Config, profile string) error {
		v, _, err := cfg.Get(profile, opts.Key)
		if err != nil {
			return usage(err)
		}
		return opts.F.Print(map[string]string{opts.Key: v}, func(p *cmdutil.Printer) error {
			_, err := fmt.Fprintln(p.Out, v)
			return err
		})
	})
}
