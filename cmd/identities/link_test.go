package identities

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// TestLinkUsageErrors: wrong combinations fail as usage errors before any
// request or browser.
func TestLinkUsageErrors(t *testing.T) {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
	})
	for name, o := range map[string]LinkOptions{
		"nothing":          {},
		"unknown provider": {Provider: "myspace"},
		"bad custom":       {Provider: "custom:"},
		"both forms":       {Provider: "github", ProviderFlag: "google", IDTokenStdin: true},
		"no stdin flag":    {ProviderFlag: "google"},
		"no provider":      {IDTokenStdin: true},
		"scopes":           {ProviderFlag: "google", IDTokenStdin: true, Scopes: "email"},
	} {
		o.F, o.Client, o.PKCEClient = h.F, h.F.Client, h.F.Client
		if err := runLink(context.Background(), &o); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPrintLinked(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	ar := &auth.AuthResponse{User: auth.User{Identities: []auth.UserIdentity{
		{IdentityID: "id-email", Provider: "email", Email: "user@example.com"}, {IdentityID: "id-gh", Provider: "github"}}}}
	if err := printLinked(h.F, "github", ar); err != nil {
		t.Fatal(err)
	}
	out := h.Stdout.String()
	if !strings.HasPrefix(out, "Linked your github identity.") || !strings.Contains(out, "id-gh") {
		t.Fatalf("stdout %q", out)
	}
}
