// Command linked links every authctl package, runs their initialization and
// exits without building a command: the difference from `authctl token` is
// what authctl's own code costs at start. BenchmarkStartupFloor measures it.
package main

import _ "github.com/authctl/authctl/cmd"

func main() {}
