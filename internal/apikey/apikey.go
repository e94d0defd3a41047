// Package apikey reads what a Supabase API key says about itself, without
// verifying it: the role (and project ref) in a legacy JWT key's payload, or
// the kind a new-style key's prefix names. It exists to tell a user which key
// is wrong; authorisation stays the server's decision.
package apikey

import (
	"fmt"
	"strings"

	"github.com/authctl/authctl/internal/auth"
)

// Roles a key can carry.
const (
	RoleAnon        = "anon"
	RoleServiceRole = "service_role"
)

// Info is what a key says about itself. It never holds the key.
type Info struct {
	// Format is "jwt" (a legacy anon/service_role key), "publishable"
	// (sb_publishable_…), "secret" (sb_secret_…) or "unknown" (neither: a
	// typo, a truncated paste, a key of another product).
	Format string
	Role   string // the JWT's role claim, or the role a new-style prefix implies
	Ref    string // the JWT's project ref claim, when present
}

// Describe reads key. An empty key describes as the zero Info.
func Describe(key string) Info {
	switch {
	case key == "":
		return Info{}
	case strings.HasPrefix(key, "sb_publishable_"):
		return Info{Format: "publishable", Role: RoleAnon}
	case strings.HasPrefix(key, "sb_secret_"):
		return Info{Format: "secret", Role: RoleServiceRole}
	}
	jwt, err := auth.DecodeJWT(key)
	if err != nil {
		return Info{Format: "unknown"}
	}
	ref, _ := jwt.Claims.Raw["ref"].(string)
	return Info{Format: "jwt", Role: jwt.Claims.Role, Ref: ref}
}

// String says what the key is, for messages: `a JWT with role "anon"`.
func (i Info) String() string {
	switch i.Format {
	case "":
		return "not set"
	case "publishable", "secret":
		return "a " + i.Format + " key (sb_" + i.Format + "_…)"
	case "unknown":
		return "not a JWT and not an sb_publishable_/sb_secret_ key"
	}
	s := fmt.Sprintf("a JWT with role %q", i.Role)
	if i.Role == "" {
		s = "a JWT without a role claim"
	}
	if i.Ref != "" {
		s += fmt.Sprintf(" for project %q", i.Ref)
	}
	return s
}
