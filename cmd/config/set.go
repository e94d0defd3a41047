package configcmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/heredoc"
)

// SetOptions of `authctl config set`.
type SetOptions struct {
	F          *cmdutil.Factory
	Key, Value string // Value is empty for the service-role key (read from stdin)
}

// NewCmdSet builds `authctl config set`.
func NewCmdSet(f *cmdutil.Factory, runF func(context.Context, *SetOptions) error) *cobra.Command {
	opts := &SetOptions{F: f}
	return &cobra.Command{
		Use:   "set <key> <value>",
		Short: "Change a setting of the profile",
		Example: heredoc.Doc(`
			  authctl config set url https://abcd.supabase.co
			  authctl --profile staging config set flow-type pkce
			  printenv SERVICE_ROLE_KEY | authctl config set service-role-key
		`),
		Args: setArgs,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return append(keyNames(), ServiceRoleKeyName), cobra.ShellCompDirectiveNoFileComp
			}
			return allowedValues(args[0]), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: cmdutil.RunE(opts, runF, runSet, &opts.Key, &opts.Value),
	}
}

// setArgs wants a key and its value, except for the service-role key, whose
// value comes from stdin: a secret given as an argument is refused without
// being echoed.
func setArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 && args[0] == ServiceRoleKeyName {
		if len(args) > 1 {
			return cmdutil.FlagErrorf("the service-role key is read from stdin, never from an argument: printenv KEY | authctl config set %s", ServiceRoleKeyName)
		}
		return nil
	}
	return cmdutil.ExactArgs(2, "the key and its value")(cmd, args)
}

func runSet(ctx context.Context, opts *SetOptions) error {
	return withKey(opts.F, opts.Key, func() error { return setServiceRoleKey(ctx, opts.F) }, func(cfg *config.Config, profile string) error {
		if err := cfg.Set(profile, opts.Key, opts.Value); err != nil {
			return usage(err)
		}
		if err := cfg.Save(); err != nil {
			return err
		}
		opts.F.Infof("Set %s for profile %s", opts.Key, profile)
		return nil
	})
}
