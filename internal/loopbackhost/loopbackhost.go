// Package loopbackhost tells a host name of this machine's loopback
// interface from any other: a leaf utility that knows nothing of Auth, so
// both the CLI (is the target a local server?) and the emulator (who may read
// its inbox?) decide it the same way.
package loopbackhost

import (
	"net"
	"strings"
)

// Is reports whether host (a URL's Hostname, without brackets or port) is
// "localhost" or a loopback IP literal.
func Is(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
