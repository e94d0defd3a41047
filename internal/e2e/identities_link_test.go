package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type identityJSON struct {
	IdentityID string `json:"identity_id"`
	Provider   string `json:"provider"`
	Email      string `json:"email"`
}

func providersOf(ids []identityJSON) []string {
	var ps []string
	for _, id := range ids {
		ps = append(ps, id.Provider)
	}
	slices.Sort(ps)
	return ps
}

// TestIdentitiesLinkOAuthThroughMockProvider: `identities link keycloak`
// with $BROWSER pointed at the fake browser, which follows the server's
// /user/identities/authorize to the identity provider (see
// TestLoginOAuthThroughMockProvider), signs in there and lands on authctl's
// loopback receiver; the user then has email + keycloak.
func TestIdentitiesLinkOAuthThroughMockProvider(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	browserLog := filepath.Join(e.dir, "browser.log")
	e.vars["BROWSER"] = fakeBrowser(t)
	e.vars["AUTHCTL_E2E_BROWSER_LOG"] = browserLog

	var linked []identityJSON
	e.jsonOut(&linked, "", "identities", "link", testProvider, "--timeout", "30s")
	if got := providersOf(linked); !slices.Equal(got, []string{"email", testProvider}) {
		t.Fatalf("identities link printed %+v", linked)
	}
	if log, err := os.ReadFile(browserLog); err != nil || !strings.Contains(string(log), "url-host: 127.0.0.1:") {
		t.Fatalf("the browser did not reach the loopback receiver (%v):\n%s", err, log)
	}
	var ids []identityJSON
	e.jsonOut(&ids, "", "identities", "list")
	if got := providersOf(ids); !slices.Equal(got, []string{"email", testProvider}) {
		t.Fatalf("identities list: %+v", ids)
	}

	// Not signed in: refused before any browser opens.
	e2 := newEnv(t)
	e2.vars["BROWSER"] = "false"
	if r := e2.run("", "identities", "link", testProvider); r.Code == 0 || strings.Contains(r.Stderr, "Opening the browser") {
		t.Fatalf("signed out: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestIdentitiesLinkIDToken: `identities link --provider keycloak
// --id-token-stdin` with an ID token of the target's identity provider
// (POST /token?grant_type=id_token with link_identity and the user's token).
func TestIdentitiesLinkIDToken(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	before := signUp(t, e, email)
	tok := providerIDToken(t, "idp-"+email)

	var linked []identityJSON
	e.jsonOut(&linked, tok+"\n", "identities", "link", "--provider", testProvider, "--id-token-stdin")
	if got := providersOf(linked); !slices.Equal(got, []string{"email", testProvider}) {
		t.Fatalf("identities link printed %+v", linked)
	}
	var ids []identityJSON
	e.jsonOut(&ids, "", "identities", "list")
	if got := providersOf(ids); !slices.Equal(got, []string{"email", testProvider}) {
		t.Fatalf("identities list: %+v", ids)
	}
	// Linked to the same user, whose session was renewed and stored.
	var s sessionJSON
	e.jsonOut(&s, "", "session")
	if s.User.ID != before.User.ID || s.User.Email != email {
		t.Fatalf("session after the link: %+v (user before: %s)", s.User, before.User.ID)
	}

	// The token is already linked: a second user cannot take it.
	e2 := newEnv(t)
	signUp(t, e2, uniqueEmail(t))
	r := e2.mustRun(1, tok+"\n", "identities", "link", "--provider", testProvider, "--id-token-stdin")
	if !strings.Contains(r.Stderr, "already") || strings.Contains(r.Stderr, tok) {
		t.Fatalf("second user: %s", r.Stderr)
	}
	// Usage errors: both forms at once; --provider without the token.
	e2.mustRun(2, "", "identities", "link", "github", "--provider", testProvider, "--id-token-stdin")
	e2.mustRun(2, "", "identities", "link", "--provider", testProvider)
}
