package profile

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// DeleteOptions of `authctl profile delete`.
type DeleteOptions struct {
	F    *cmdutil.Factory
	Name string
}

// NewCmdDelete builds `authctl profile delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{F: f}
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a profile with its stored session and service-role key",
		Long: heredoc.Docf(`
			Remove NAME from config.yaml and forget its stored session and service-role key. The session
			is only forgotten here; to end it on the server as well, run %[1]sauthctl --profile NAME logout%[1]s
			first.
		`, "`"),
		Args: cmdutil.ExactArgs(1, "the NAME of the profile"),
		RunE: cmdutil.RunE(opts, runF, runDelete, &opts.Name),
	}
}

func runDelete(ctx context.Context, opts *DeleteOptions) error {
	f := opts.F
	cfg, err := existing(f, opts.Name)
	if err != nil {
		return err
	}
	// Secrets first: their location needs the profile's settings.
	if err := forget(ctx, f.ForProfile(opts.Name), opts.Name); err != nil {
		return err
	}
	cfg.DeleteProfile(opts.Name)
	if err := cfg.Save(); err != nil {
		return err
	}
	f.Infof("Deleted profile %s", opts.Name)
	return nil
}
