package emulator

import (
	"net"
	"net/url"
	"regexp"
	"strings"
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
		if g.MatchString(target) {
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

// compileRedirectGlob turns an allow-list pattern into a regexp with the
// server's glob rules, '.' and '/' being separators: ** matches anything,
// * a run of characters without a separator, ? one such character.
// Character classes and {a,b} alternatives are taken literally.
func compileRedirectGlob(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch {
		case strings.HasPrefix(pattern[i:], "**"):
			b.WriteString(".*")
			i++
		case pattern[i] == '*':
			b.WriteString(`[^./]*`)
		case pattern[i] == '?':
			b.WriteString(`[^./]`)
		default:
			b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
