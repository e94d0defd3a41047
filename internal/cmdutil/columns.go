package cmdutil

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// AddColumnsFlag adds --columns to a command that prints a table whose
// columns are named by valid (lower case, hyphens: render.Table.Columns).
// Names are checked as the flag is parsed, so a typo is a usage error before
// any request, and completion offers the names left, after a comma too.
func AddColumnsFlag(cmd *cobra.Command, target *[]string, valid []string) {
	cmd.Flags().Var(&columnsValue{target: target, valid: valid}, "columns",
		"table columns to show, in order, comma-separated: "+strings.Join(valid, ","))
	_ = cmd.RegisterFlagCompletionFunc("columns", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		i := strings.LastIndexByte(toComplete, ',')
		prefix, taken := toComplete[:i+1], strings.Split(toComplete[:max(i, 0)], ",")
		var out []string
		for _, c := range valid {
			if !slices.Contains(taken, c) {
				out = append(out, prefix+c)
			}
		}
		return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	})
}

type columnsValue struct {
	target *[]string
	valid  []string
}

func (v *columnsValue) Set(s string) error {
	var names []string
	for _, n := range strings.Split(s, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if !slices.Contains(v.valid, n) {
			return fmt.Errorf("unknown column %q: choose from %s", n, strings.Join(v.valid, ","))
		}
		names = append(names, n)
	}
	*v.target = names
	return nil
}

func (v *columnsValue) String() string { return strings.Join(*v.target, ",") }
func (v *columnsValue) Type() string   { return "COLUMNS" }
