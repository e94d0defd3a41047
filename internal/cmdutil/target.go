package cmdutil

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultURL is where `authctl emulator` listens and the spec's default.
const DefaultURL = "http://localhost:9999"

// authPath is where Supabase projects (hosted and `supabase start`) serve Auth.
const authPath = "/auth/v1"

// Endpoints splits a configured URL into the Auth base URL the SDK talks to
// and the project base URL `authctl api` resolves paths against.
//
// A URL without a path is a project URL and gets /auth/v1 appended
// (https://REF.supabase.co, http://127.0.0.1:54321, and the emulator, which
// serves both at / and at /auth/v1). A URL with a path — even "/" — is taken
// as the Auth URL itself, which is how a bare GoTrue server is reached.
func Endpoints(raw string) (authURL, projectURL string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", "", fmt.Errorf("invalid URL %q: want http(s)://host[:port][/path]", raw)
	}
	if u.User != nil {
		return "", "", fmt.Errorf("invalid URL %q: credentials do not belong in the URL", u.Redacted())
	}
	u.RawQuery, u.Fragment = "", ""
	if u.Path == "" {
		project := u.String()
		return project + authPath, project, nil
	}
	auth := strings.TrimSuffix(u.String(), "/")
	project := strings.TrimSuffix(auth, authPath)
	if project == auth {
		project = u.Scheme + "://" + u.Host
	}
	return auth, project, nil
}
