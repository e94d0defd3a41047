package cmdutil

import (
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
