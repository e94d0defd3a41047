package auth

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestStorageKeyFor(t *testing.T) {
	hosted := "sb-abcdefghijklmnop-auth-token"
	for _, tc := range []struct{ url, profile, want string }{
		{"https://abcdefghijklmnop.supabase.co/auth/v1", "default", hosted},
		{"https://ABCDEFGHIJKLMNOP.supabase.co/auth/v1/", "other", "sb-abcdefghijklmnop-auth-token"},
	} {
		if got := StorageKeyFor(tc.url, tc.profile); got != tc.want {
			t.Errorf("StorageKeyFor(%q, %q) = %q, want %q", tc.url, tc.profile, got, tc.want)
		}
	}
	// Not hosted: profile plus a hash of the whole Auth URL.
	a := StorageKeyFor("http://127.0.0.1:9999", "default")
	if !strings.HasPrefix(a, "sb-default-") || !strings.HasSuffix(a, "-auth-token") || len(a) != len("sb-default-12345678-auth-token") {
		t.Fatalf("key %q: want sb-default-{8 hex}-auth-token", a)
	}
	same := []string{"http://127.0.0.1:9999/", "HTTP://127.0.0.1:9999", "http://127.0.0.1:9999?x=1"}
	for _, u := range same {
		if got := StorageKeyFor(u, "default"); got != a {
			t.Errorf("StorageKeyFor(%q) = %q, want the key of the same URL %q", u, got, a)
		}
	}
	different := []string{"http://127.0.0.1:9998", "http://127.0.0.1:9999/auth/v1", "http://localhost:9999",
		"https://127.0.0.1:9999", "https://abcdefghijklmnop.supabase.co/custom"}
	for _, u := range different {
		if got := StorageKeyFor(u, "default"); got == a || got == hosted {
			t.Errorf("StorageKeyFor(%q) = %q: shared with another Auth URL", u, got)
		}
	}
	if StorageKeyFor("http://127.0.0.1:9999", "ci") == a {
		t.Error("two profiles on one server share a key")
	}
	if got := StorageKeyFor("http://h:1", "a b/c"); !strings.HasPrefix(got, "sb-a_b_c-") {
		t.Errorf("profile not made safe: %q", got)
	}
}

func TestNormalizeAuthURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://X.supabase.co:443/auth/v1/": "https://x.supabase.co/auth/v1",
		"http://127.0.0.1:80":                "http://127.0.0.1",
		"http://127.0.0.1:9999/?a=b#c":       "http://127.0.0.1:9999",
	} {
		if got := NormalizeAuthURL(in); got != want {
			t.Errorf("NormalizeAuthURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// A session stored by a release whose key ignored the URL is used only by
// the server whose URL its token names as issuer, and then moved to the new
// key; any other server never sees it.
func TestLegacySessionHonouredOnlyForItsIssuer(t *testing.T) {
	const legacy = "sb-default-auth-token"
	store := func(c *Client, iss string) {
		s := testSession(t, "rt", testNow.Unix()+3600)
		claims := map[string]any{"sub": "user-1", "exp": s.ExpiresAt}
		if iss != "" {
			claims["iss"] = iss
		}
		s.AccessToken = makeJWT(t, claims)
		b, _ := json.Marshal(s)
		if err := c.storage.SetItem(context.Background(), legacy, string(b)); err != nil {
			t.Fatal(err)
		}
	}
	newClient := func(url string) *Client {
		return newTestClient(t, url, func(o *Options) {
			o.StorageKey = StorageKeyFor(url, "default")
			o.LegacyStorageKey = legacy
		})
	}

	here := newClient("http://127.0.0.1:54321/auth/v1")
	store(here, "http://127.0.0.1:54321/auth/v1/")
	s, err := here.GetSession(context.Background())
	if err != nil || s == nil {
		t.Fatalf("session issued here: %v, %v", s, err)
	}
	if storedSession(t, here) == nil {
		t.Fatal("the legacy session was not moved to the new key")
	}
	if _, ok, _ := here.storage.GetItem(context.Background(), legacy); ok {
		t.Fatal("the legacy key was kept after the move")
	}

	for _, iss := range []string{"http://127.0.0.1:9999/auth/v1", ""} {
		elsewhere := newClient("http://127.0.0.1:54321/auth/v1")
		store(elsewhere, iss)
		if s, err := elsewhere.GetSession(context.Background()); err != nil || s != nil {
			t.Fatalf("iss %q: session used by another server: %v, %v", iss, s, err)
		}
		if elsewhere.StoredSession(context.Background()) != nil {
			t.Fatalf("iss %q: StoredSession reports another server's session", iss)
		}
		if elsewhere.LegacySession(context.Background()) == nil {
			t.Fatalf("iss %q: LegacySession does not report the unused session", iss)
		}
		if _, ok, _ := elsewhere.storage.GetItem(context.Background(), legacy); !ok {
			t.Fatalf("iss %q: the unused legacy session was removed", iss)
		}
	}
}

func TestLegacyStorageKey(t *testing.T) {
	if got := LegacyStorageKey("http://127.0.0.1:9999", "ci"); got != "sb-ci-auth-token" {
		t.Errorf("LegacyStorageKey = %q", got)
	}
	if got := LegacyStorageKey("https://ref.supabase.co/auth/v1", "ci"); got != "" {
		t.Errorf("hosted projects kept their key, so have no legacy one; got %q", got)
	}
}
