package emulator

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/gobwas/glob"
)

// Redirect targets are judged as the server judges them: back to the site
// (same scheme and host, and port unless the host is a loopback name), to
// a loopback IP literal, or to a URL matching a pattern of the allow list
// (GOTRUE_URI_ALLOW_LIST, supabase/config.toml's additional_redirect_urls).
// Anything else falls back to the site URL.

var (
	decimalIPHost   = regexp.MustCompile(`^[0-9]+$`)
	regularHostname = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$`)
)

// redirectAllowed reports whether redirectTo is an allowed target.
func (s *Server) redirectAllowed(redirectTo string) bool {
	if redirectTo == "" {
		return false
	}
	site, err1 := url.Parse(s.cfg.SiteURL)
	ref, err2 := url.Parse(redirectTo)
	if err1 != nil || err2 != nil {
		return false
	}
	host := ref.Hostname()
	if site.Hostname() == host && site.Scheme == ref.Scheme && (site.Port() == ref.Port() || loopbackName(host)) {
		return true
	}
	scheme := strings.ToLower(ref.Scheme)
	switch ip := net.ParseIP(host); {
	case decimalIPHost.MatchString(host):
		return false // an IP in decimal form is never a target
	case ip != nil:
		return ip.IsLoopback()
	case (scheme == "http" || scheme == "https") && !regularHostname.MatchString(host):
		return false
	}
	target, _, _ := strings.Cut(redirectTo, "#")
	for _, g := range s.allowList {
		if g.Match(target) {
			return true
		}
	}
	return false
}

// loopbackName reports the host names whose port a redirect back to the
// site may change (RFC 8252 §7.3: native apps use variable ports).
func loopbackName(host string) bool {
	host = strings.ToLower(host)
	switch host {
	case "localhost", "127.0.0.1", "::1", "0.0.0.0", "::":
		return true
	}
	return strings.HasSuffix(host, ".localhost")
}

// compileAllowList compiles the allow list as the server does
// (conf.GlobalConfiguration's URIAllowListMap): gobwas/glob, the server's
// own glob library at its version, with '.' and '/' as separators, so
// "*" stops at a dot or slash, "**" does not, and [a-z], [!x] and {a,b}
// mean what they mean there. The server refuses to start on a pattern
// the library cannot compile; the emulator does too.
func compileAllowList(patterns []string) ([]glob.Glob, error) {
	var out []glob.Glob
	for _, p := range patterns {
		g, err := glob.Compile(p, '.', '/')
		if err != nil {
			return nil, fmt.Errorf("%q is not a valid redirect pattern: %v", p, err)
		}
		out = append(out, g)
	}
	return out, nil
}

// CheckAllowList reports a pattern of the allow list the server would
// refuse to start with.
func CheckAllowList(patterns []string) error {
	_, err := compileAllowList(patterns)
	return err
}
