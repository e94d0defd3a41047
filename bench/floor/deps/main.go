// Command deps links the third-party libraries authctl is built on (those
// the product card chose and those added since) and exits: their package
// initialization is paid by every authctl start. BenchmarkStartupFloor
// measures it.
package main

import (
	_ "net/http"

	_ "github.com/charmbracelet/huh"
	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/gofrs/flock"
	_ "github.com/itchyny/gojq"
	_ "github.com/mdp/qrterminal/v3"
	_ "github.com/pkg/browser"
	_ "github.com/spf13/cobra"
	_ "github.com/zalando/go-keyring"
	_ "go.yaml.in/yaml/v3"
)

func main() {}
