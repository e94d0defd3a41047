package cmdutil

import (
	"net"
	"net/url"
	"strings"
)

// DefaultURL is where `authctl emulator` listens and the spec's default.
const DefaultURL = "http://localhost:9999"

// IsLoopbackHost reports whether host is "localhost" or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// OnThisMachine reports whether the target's Auth URL is a loopback one,
// where a local server such as `authctl emulator` runs.
func (t *Target) OnThisMachine() bool {
	u, err := url.Parse(t.AuthURL)
	return err == nil && IsLoopbackHost(u.Hostname())
}
