package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// hostedSuffixes are the domains of Supabase-hosted projects, whose first
// host label is the project ref.
var hostedSuffixes = []string{".supabase.co", ".supabase.in", ".supabase.red"}

// HostedProjectRef returns the project ref of a Supabase-hosted URL
// ("https://abcd.supabase.co/…" → "abcd"), or "" for any other host.
func HostedProjectRef(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	for _, suffix := range hostedSuffixes {
		if ref, ok := strings.CutSuffix(host, suffix); ok && ref != "" && !strings.Contains(ref, ".") {
			return ref
		}
	}
	return ""
}

// StorageKeyFor is the one rule that names where a session is stored (spec
// §17: "sb-{project_ref}-auth-token"). A session belongs to the Auth URL that
// issued it, so the key is derived from that URL and never shared with
// another server:
//
//   - a hosted project's Auth URL (https://REF.supabase.co/auth/v1) gives
//     "sb-REF-auth-token", the key every Supabase client uses for it;
//   - any other Auth URL carries no ref, so the profile and a short hash of
//     the normalised Auth URL (scheme, host, port and path) stand in for it:
//     "sb-{profile}-{hash8}-auth-token". Two profiles on one server keep
//     separate sessions, and one profile used with --url elsewhere finds none.
//
// The PKCE verifier ("{key}-code-verifier") and the lock ("lock:{key}")
// follow from the key, so they are per Auth URL as well.
func StorageKeyFor(authURL, profile string) string {
	if ref := hostedAuthRef(authURL); ref != "" {
		return "sb-" + ref + "-auth-token"
	}
	sum := sha256.Sum256([]byte(NormalizeAuthURL(authURL)))
	return "sb-" + safeLabel(profile) + "-" + hex.EncodeToString(sum[:4]) + "-auth-token"
}

// LegacyStorageKey is where releases before per-URL keys stored the session
// of a profile on a server that is not Supabase-hosted ("sb-{profile}-auth-token":
// the URL took no part in it); "" for a hosted project, whose key has not
// changed. Options.LegacyStorageKey reads it under the rule described there.
func LegacyStorageKey(authURL, profile string) string {
	if hostedAuthRef(authURL) != "" {
		return ""
	}
	return "sb-" + safeLabel(profile) + "-auth-token"
}

// hostedAuthRef is the project ref of a hosted project's standard Auth URL.
func hostedAuthRef(authURL string) string {
	norm := NormalizeAuthURL(authURL)
	if !strings.HasSuffix(norm, "/auth/v1") {
		return ""
	}
	return HostedProjectRef(norm)
}

// NormalizeAuthURL is the form in which an Auth URL is compared and hashed:
// lower-case scheme and host, no default port, no trailing slash, no query.
// A string that is not an absolute URL is returned trimmed of a trailing
// slash only.
func NormalizeAuthURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimRight(raw, "/")
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "https" && p == "443") || (u.Scheme == "http" && p == "80") {
		u.Host = u.Hostname()
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String()
}

// safeLabel keeps a profile name to the characters a key label may hold.
func safeLabel(profile string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, profile)
	if safe == "" {
		return "default"
	}
	return safe
}
