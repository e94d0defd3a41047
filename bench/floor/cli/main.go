// Command cli links what any Go command-line client of an HTTP API built on
// cobra links, and exits: the start-up floor below which authctl cannot go.
// BenchmarkStartupFloor measures it beside hello-world and authctl.
package main

import (
	_ "net/http"

	_ "github.com/spf13/cobra"
)

func main() {}
