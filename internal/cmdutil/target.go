package cmdutil

import (
	"net/url"

	"github.com/authctl/authctl/internal/loopbackhost"
)

// DefaultURL is where `authctl emulator` listens and the spec's default.
const DefaultURL = "http://localhost:9999"

// OnThisMachine reports whether the target's Auth URL is a loopback one,
// where a local server such as `authctl emulator` runs.
func (t *Target) OnThisMachine() bool {
	u, err := url.Parse(t.AuthURL)
	return err == nil && loopbackhost.Is(u.Hostname())
}
