package shared

import (
	"slices"
	"strings"

	"github.com/authctl/authctl/internal/cmdutil"
)

// Providers are the OAuth providers of spec §4. Others are refused before any
// request, except custom:NAME (a custom provider configured on the project).
var Providers = []string{
	"apple", "azure", "bitbucket", "discord", "facebook", "figma",
	"github", "gitlab", "google", "kakao", "keycloak", "linkedin",
	"linkedin_oidc", "notion", "slack", "slack_oidc", "spotify",
	"twitch", "twitter", "x", "workos", "zoom", "fly",
}

// ValidateProvider accepts a provider of spec §4 or custom:NAME (usage error
// otherwise): login oauth and identities link check providers the same way.
func ValidateProvider(p string) error {
	if name, ok := strings.CutPrefix(p, "custom:"); ok {
		if name == "" || strings.ContainsAny(name, " /?#&") {
			return cmdutil.FlagErrorf("invalid custom provider %q: want custom:NAME", p)
		}
		return nil
	}
	if !slices.Contains(Providers, p) {
		return cmdutil.FlagErrorf("unknown provider %q: want one of %s, or custom:NAME", p, strings.Join(Providers, ", "))
	}
	return nil
}
