// Package build holds what the release build stamps into the binary
// (goreleaser sets these with -ldflags -X).
package build

// Version, Commit and Date describe the build; "dev" builds come from `go build`.
var (
	Version = "dev"
	Commit  = ""
	Date    = ""
)

// ClientInfo is the X-Client-Info value every request carries (spec §15, §20).
func ClientInfo() string { return "authctl/" + Version }
