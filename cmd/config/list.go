package configcmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
)

// ListOptions of `authctl config list`.
type ListOptions struct {
	F *cmdutil.Factory
}

// NewCmdList builds `authctl config list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	return &cobra.Command{
		Use:   "list",
		Short: "Print every setting of the profile",
		Args:  cmdutil.NoArgs,
		RunE:  cmdutil.RunE(opts, runF, runList),
	}
}

func runList(_ context.Context, opts *ListOptions) error {
	cfg, profile, err := withConfig(opts.F)
	if err != nil {
		return err
	}
	values := map[string]string{"profile": profile}
	keys := []string{"profile"}
	for _, k := range config.Keys {
		v, _, _ := cfg.Get(profile, k.Name)
		values[k.Name] = v
		keys = append(keys, k.Name)
	}
	return opts.F.Print(values, func(p *cmdutil.Printer) error {
		for _, k := range keys {
			if _, err := fmt.Fprintf(p.Out, "%s=%s\n", k, values[k]); err != nil {
				return err
			}
		}
		return nil
	})
}
