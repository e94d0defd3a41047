package profile

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/heredoc"
)

// UseOptions of `authctl profile use`.
type UseOptions struct {
	F    *cmdutil.Factory
	Name string
}

// NewCmdUse builds `authctl profile use`.
func NewCmdUse(f *cmdutil.Factory, runF func(context.Context, *UseOptions) error) *cobra.Command {
	opts := &UseOptions{F: f}
	return &cobra.Command{
		Use:   "use NAME",
		Short: "Make a profile the one commands use by default",
		Long: heredoc.Docf(`
			Make NAME the current profile (config.yaml's current-profile), like %[1]sgh auth switch%[1]s.
			--profile and AUTHCTL_PROFILE still win for the command they are given to.
		`, "`"),
		Args: cmdutil.ExactArgs(1, "the NAME of the profile"),
		RunE: cmdutil.RunE(opts, runF, runUse, &opts.Name),
	}
}

func runUse(ctx context.Context, opts *UseOptions) error {
	f := opts.F
	cfg, err := existing(f, opts.Name)
	if err != nil {
		return err
	}
	if err := cfg.Set("", config.CurrentProfileKey, opts.Name); err != nil {
		return err
	}
	if err := cfg.Save(); err != nil {
		return err
	}
	if env := f.IOStreams.Getenv("AUTHCTL_PROFILE"); env != "" && env != opts.Name {
		f.Warnf("AUTHCTL_PROFILE=%s is set and wins over the current profile in this shell", env)
	}
	f.Infof("Now using profile %s", opts.Name)
	return nil
}
