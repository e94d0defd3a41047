// Command docgen regenerates docs/reference, docs/man and completions/ from
// the command tree: `go run ./internal/docgen/cmd` (or `make docs`).
package main

import (
	"fmt"
	"os"

	"github.com/authctl/authctl/cmd"
	"github.com/authctl/authctl/internal/docgen"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := docgen.Generate(cmd.NewCmdRootForDocs(), dir); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}
