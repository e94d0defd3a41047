package cmd

import (
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Flag descriptions wrap at the terminal's width, aligned under their own
// column: pflag's FlagUsages leaves long lines to the terminal, which breaks
// them mid-word at the left margin (80 columns is a common default). The
// function is registered once, at init, since cobra keeps one global set.
func init() { cobra.AddTemplateFunc("wrappedFlagUsages", wrappedFlagUsages) }

// setWrappedUsage makes root's usage (inherited by every command) use
// wrappedFlagUsages for both flag lists.
func setWrappedUsage(root *cobra.Command) {
	t := root.UsageTemplate()
	for _, set := range []string{"LocalFlags", "InheritedFlags"} {
		t = strings.ReplaceAll(t, "."+set+".FlagUsages", "wrappedFlagUsages ."+set)
	}
	root.SetUsageTemplate(t)
}

func wrappedFlagUsages(fs *pflag.FlagSet) string { return fs.FlagUsagesWrapped(helpWidth() - 1) }

// helpWidth is the width help is printed for: COLUMNS when set, else the
// terminal on stdout (where help goes), else 80. One column is kept free: a
// line that fills the last one makes some terminals add an empty line.
func helpWidth() int {
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 0 {
		return c
	}
	if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
		return w
	}
	return 80
}
