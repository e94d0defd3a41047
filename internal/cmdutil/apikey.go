package cmdutil

import (
	"net/url"
	"strings"

	"github.com/authctl/authctl/internal/auth"
)

// KeyInfo is what a Supabase API key says about itself, read locally and
// not verified: the role (and project ref) in a legacy JWT key's payload, or
// the role a new-style key's prefix implies. It never holds the key.
type KeyInfo struct {
	// Format is "jwt", "publishable" (sb_publishable_…), "secret"
	// (sb_secret_…), "unknown" (a typo, a truncated paste), or "" (no key).
	Format string `json:"format"`
	Role   string `json:"role,omitempty"`
	Ref    string `json:"ref,omitempty"`
}

// DescribeKey reads key without verifying it.
func DescribeKey(key string) KeyInfo {
	switch {
	case key == "":
		return KeyInfo{}
	case strings.HasPrefix(key, "sb_publishable_"):
		return KeyInfo{Format: "publishable", Role: "anon"}
	case strings.HasPrefix(key, "sb_secret_"):
		return KeyInfo{Format: "secret", Role: "service_role"}
	}
	jwt, err := auth.DecodeJWT(key)
	if err != nil {
		return KeyInfo{Format: "unknown"}
	}
	ref, _ := jwt.Claims.Raw["ref"].(string)
	return KeyInfo{Format: "jwt", Role: jwt.Claims.Role, Ref: ref}
}

// String says what the key is, for messages.
func (k KeyInfo) String() string {
	switch k.Format {
	case "":
		return "not set"
	case "publishable", "secret":
		return "a " + k.Format + " key (sb_" + k.Format + "_…)"
	case "unknown":
		return "neither a JWT nor an sb_publishable_/sb_secret_ key"
	}
	s := `a JWT with role "` + k.Role + `"`
	if k.Role == "" {
		s = "a JWT without a role claim"
	}
	if k.Ref != "" {
		s += ` for project "` + k.Ref + `"`
	}
	return s
}

// HostedRef is the project ref of a Supabase-hosted URL
// (https://abcd.supabase.co → abcd), or "" for any other host.
func HostedRef(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	for _, suffix := range []string{".supabase.co", ".supabase.in", ".supabase.red"} {
		if ref, ok := strings.CutSuffix(host, suffix); ok && ref != "" && !strings.Contains(ref, ".") {
			return ref
		}
	}
	return ""
}
