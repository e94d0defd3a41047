package auth

import (
	"net/url"
	"strings"
)

// StorageKeyFor returns the spec's storage key for a project URL (§17):
// "sb-{project_ref}-auth-token", where project_ref is the first label of the
// URL's host name ("https://abcd.supabase.co" → "sb-abcd-auth-token"). The
// rule is the reference client's, applied as is to local URLs
// ("http://127.0.0.1:54321" → "sb-127-auth-token"), so sessions stored by
// other Supabase tools for the same project use the same key. A URL that does
// not parse gives DefaultStorageKey.
func StorageKeyFor(projectURL string) string {
	u, err := url.Parse(projectURL)
	if err != nil || u.Hostname() == "" {
		return DefaultStorageKey
	}
	ref, _, _ := strings.Cut(u.Hostname(), ".")
	return "sb-" + ref + "-auth-token"
}
