// Command reachable links all of authctl's code as the real binary does,
// and exits before main's work: unlike floor-linked (package init only, the
// linker drops the rest), it pays for the binary's size at start (page
// faults, itab and module tables), which no change to main's work removes.
// BenchmarkStartupFloor measures it.
package main

import (
	"os"

	"github.com/authctl/authctl/cmd"
)

func main() {
	// Never true in the benchmark; the call keeps every command linked.
	if os.Getenv("AUTHCTL_FLOOR_RUN") == "1" {
		cmd.Execute()
	}
}
