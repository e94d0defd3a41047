package cmdutil

import (
	"context"
	"time"

	"github.com/spf13/cobra"
)

// CompleteValues offers values when the shell completes --flag's value, and
// no file names (none of these flags takes a file).
func CompleteValues(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// CompleteProfiles offers the configured profile names for --profile. It
// reads the config file only: completion must be quick and never prompt.
func CompleteProfiles(root *cobra.Command, f *Factory) {
	_ = root.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		cfg, err := f.Config()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return cfg.Profiles(), cobra.ShellCompDirectiveNoFileComp
	})
}

// CompletionTimeout bounds what one completion may spend reading storage or
// asking the server: the shell's prompt is frozen meanwhile, and offering
// nothing is better than a hang.
const CompletionTimeout = 2 * time.Second

// CompleteArg completes the positional argument at index pos with what list
// returns for the arguments before it. list gets at most CompletionTimeout,
// requests included (the Factory's request timeout is lowered to it), unless
// the command line being completed sets --http-timeout: then that is the
// bound, as its writer asked (a slow link). When list fails or takes longer,
// the shell is offered nothing and nothing is printed: completion is a
// convenience, and an error there has no one to read it.
func CompleteArg(f *Factory, pos int, list func(ctx context.Context, args []string) ([]string, error)) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) != pos {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		budget := CompletionTimeout
		if fl := cmd.Flag("http-timeout"); fl != nil && fl.Changed && f.Flags.HTTPTimeout > 0 {
			budget = f.Flags.HTTPTimeout
		}
		f.Flags.HTTPTimeout = budget
		parent := cmd.Context()
		if parent == nil {
			parent = context.Background()
		}
		ctx, cancel := context.WithTimeout(parent, budget)
		defer cancel()
		got := make(chan []string, 1)
		// A keyring call is bounded by its own, longer timeout: the
		// process exits after answering, abandoning it.
		go func() {
			vals, err := list(ctx, args)
			if err != nil {
				vals = nil
			}
			got <- vals
		}()
		select {
		case vals := <-got:
			return vals, cobra.ShellCompDirectiveNoFileComp
		case <-ctx.Done():
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
	}
}
