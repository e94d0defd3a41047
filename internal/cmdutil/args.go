package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// ExactArgs is cobra.ExactArgs with a usage error that names what is missing.
func ExactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < n:
			return FlagErrorf("missing %s", what)
		case len(args) > n:
			return FlagErrorf("too many arguments: %s takes %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// NoArgs refuses positional arguments with a usage error.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("unexpected argument %q: %s takes no arguments", args[0], cmd.CommandPath())
	}
	return nil
}

// MaximumNArgs is cobra.MaximumNArgs with a usage error.
func MaximumNArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return FlagErrorf("too many arguments: %s takes at most %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// UnknownCommandArgs is the positional-argument rule of a command that has
// subcommands: any argument is a subcommand cobra did not find, most likely a
// misspelt one, so it is a usage error with cobra's did-you-mean
// suggestions, never help and exit 0 (a misspelt destructive command in CI
// must not "pass").
func UnknownCommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's own default, applied only by its unexported path
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 && !cmd.DisableSuggestions {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return FlagErrorf("%s", msg)
}

// GuardCommandGroups applies UnknownCommandArgs to every command of the tree
// under root that has subcommands (root included), so a group command takes
// no positional argument of its own. A group without a Run of its own gets
// one that prints its help: cobra would otherwise print help for it before
// checking arguments, and exit 0. Call it once the tree is complete.
func GuardCommandGroups(root *cobra.Command) {
	if !root.HasSubCommands() {
		return
	}
	root.Args = UnknownCommandArgs
	if !root.Runnable() {
		root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
	// `mfa enrol --type totp`: the group parses the flags of the subcommand
	// it did not find and fails on them first; the misspelt name before
	// them is the error worth reporting.
	flagErr := root.FlagErrorFunc()
	// Leaves inherit this function: only a group's arguments are names.
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		if cmd.HasSubCommands() {
			if unknown := UnknownCommandArgs(cmd, cmd.Flags().Args()); unknown != nil {
				return unknown
			}
		}
		return flagErr(cmd, err)
	})
	for _, c := range root.Commands() {
		GuardCommandGroups(c)
	}
}
