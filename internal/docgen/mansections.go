package docgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authctl/authctl/internal/helptopic"
)

// addManSections puts ENVIRONMENT, FILES and EXIT STATUS into every man page
// under dir, before SEE ALSO where man-pages(7) orders them. cobra's
// generator has no hook for extra sections. authctl(1) carries the full
// lists; a subcommand's page keeps the exit codes and points to it for the
// rest, so one change to the variables does not rewrite a hundred pages.
func addManSections(dir, rootName string) error {
	pages, err := filepath.Glob(filepath.Join(dir, "*.1"))
	if err != nil {
		return err
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		root := filepath.Base(p) == rootName+".1"
		page := string(b)
		i := strings.Index(page, ".SH SEE ALSO")
		if i < 0 {
			i = len(page)
		}
		page = page[:i] + manSections(root, rootName) + page[i:]
		if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func manSections(root bool, rootName string) string {
	var b strings.Builder
	if root {
		b.WriteString(".SH ENVIRONMENT\n.PP\nA flag given on the command line wins over its variable, and a variable wins over the profile in the config file.\n")
		writeManList(&b, helptopic.Environment)
		b.WriteString(".SH FILES\n")
		writeManList(&b, helptopic.Files)
	} else {
		fmt.Fprintf(&b, ".SH ENVIRONMENT\n.PP\nSee \\fB%s(1)\\fP or run \\fB%s help environment\\fP.\n", rootName, rootName)
		fmt.Fprintf(&b, ".SH FILES\n.PP\nSee \\fB%s(1)\\fP.\n", rootName)
	}
	b.WriteString(".SH EXIT STATUS\n")
	writeManList(&b, helptopic.ExitStatus)
	b.WriteString("\n")
	return b.String()
}

func writeManList(b *strings.Builder, entries []helptopic.Entry) {
	for _, e := range entries {
		fmt.Fprintf(b, ".TP\n\\fB%s\\fP\n%s\n", roff(e.Name), roff(e.Text))
	}
}

// roff escapes text for a man page: backslashes, and hyphens so that flags
// and names copy as ASCII hyphen-minus.
func roff(s string) string {
	return strings.NewReplacer(`\`, `\\`, "-", `\-`).Replace(s)
}
