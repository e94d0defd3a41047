package cmd

import (
	"os"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Flag descriptions wrap at the terminal's width, aligned under their own
// column: pflag's FlagUsages leaves long lines to the terminal, which breaks
// them mid-word at the left margin (80 columns is a common default). The
// function is registered once, at init, since cobra keeps one global set.
func init() {
	cobra.AddTemplateFunc("wrappedFlagUsages", wrappedFlagUsages)
	cobra.AddTemplateFunc("wrappedText", wrappedText)
	cobra.AddTemplateFunc("wrappedShort", wrappedShort)
	cobra.AddTemplateFunc("wrappedUseLine", wrappedUseLine)
}

// setWrappedUsage makes root's usage (inherited by every command) use
// wrappedFlagUsages for both flag lists, and its help wrappedText for the
// command's description.
func setWrappedUsage(root *cobra.Command) {
	t := root.UsageTemplate()
	for _, set := range []string{"LocalFlags", "InheritedFlags"} {
		t = strings.ReplaceAll(t, "."+set+".FlagUsages", "wrappedFlagUsages ."+set)
	}
	t = strings.ReplaceAll(t, "{{rpad .Name .NamePadding }} {{.Short}}", "{{rpad .Name .NamePadding }} {{wrappedShort .Short .NamePadding}}")
	t = strings.Replace(t, "{{.UseLine}}", "{{wrappedUseLine .UseLine}}", 1)
	t = strings.Replace(t, "for more information about a command.", "for more about a command.", 1)
	root.SetUsageTemplate(t)
	root.SetHelpTemplate(strings.Replace(root.HelpTemplate(), "{{. | trimTrailingWhitespaces}}",
		"{{wrappedText . | trimTrailingWhitespaces}}", 1))
}

func wrappedText(s string) string { return reflow(s, helpWidth()-1) }

// wrappedShort wraps a command's summary in a command list under its own
// column (two spaces, the padded name, one space).
func wrappedShort(short string, namePadding int) string {
	return hang(strings.Fields(short), namePadding+3, helpWidth()-1)
}

// wrappedUseLine breaks a long synopsis between its groups ("(--email E |
// --phone P)" stays whole), continuing four columns in, as man pages do.
func wrappedUseLine(use string) string {
	var groups []string
	depth, start := 0, 0
	for i, r := range use {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ' ':
			if depth == 0 {
				groups = append(groups, use[start:i])
				start = i + 1
			}
		}
	}
	groups = append(groups, use[start:])
	lines := wrapWords(groups, helpWidth()-1-2)
	return strings.Join(lines, "\n      ")
}

// hang wraps words into lines of at most width columns, the first starting
// at column indent (already written) and the others indented to it.
func hang(words []string, indent, width int) string {
	return strings.Join(wrapWords(words, max(width-indent, 20)), "\n"+strings.Repeat(" ", indent))
}

// reflow rewraps, within width, each paragraph of a help text that has a
// line wider than that: the texts are written for about 90 columns and a
// terminal breaks a longer line mid-word. A paragraph is a run of lines that
// start at the margin; indented lines (examples, lists) are kept as written,
// and a paragraph that fits keeps its own line breaks.
func reflow(s string, width int) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); {
		j, fits := i, true
		for j < len(lines) && atMargin(lines[j]) {
			fits = fits && runewidth.StringWidth(lines[j]) <= width
			j++
		}
		switch {
		case j == i:
			out = append(out, wrapIndented(lines[i], width))
			j++
		case fits:
			out = append(out, lines[i:j]...)
		default:
			out = append(out, wrapWords(strings.Fields(strings.Join(lines[i:j], " ")), width)...)
		}
		i = j
	}
	return strings.Join(out, "\n")
}

// wrapIndented wraps an indented line (a list entry, an example's
// explanation) that is too wide, continuing under its text: under the second
// column of a "  name    text" entry, else at the line's own indentation.
func wrapIndented(line string, width int) string {
	if runewidth.StringWidth(line) <= width {
		return line
	}
	body := strings.TrimLeft(line, " \t")
	indent := len(line) - len(body)
	if gap := strings.Index(body, "  "); gap > 0 {
		text := strings.TrimLeft(body[gap:], " ")
		indent += len(body) - len(text)
		body = text
	}
	return line[:indent] + hang(strings.Fields(body), indent, width)
}

func atMargin(line string) bool { return line != "" && line[0] != ' ' && line[0] != '\t' }

// wrapWords fills lines of at most width columns (a longer word stands alone).
func wrapWords(words []string, width int) []string {
	var lines []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case runewidth.StringWidth(line)+1+runewidth.StringWidth(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
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
