package emulator

import (
	"strings"
	"testing"
)

func TestRedirectAllowed(t *testing.T) {
	s, err := New(Config{SiteURL: "https://app.example.com", URIAllowList: []string{
		"https://*.example.org/**", "myapp://callback", "http://localhost:3000/auth/*",
		"https://[a-c]*.example.io/*", "https://[!x]?.example.io/*", "https://{docs,api}.example.dev/*", "myapp://cb?"}})
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]bool{
		"":                                   false,
		"https://app.example.com/welcome":    true,  // the site
		"http://app.example.com/welcome":     false, // another scheme
		"https://app.example.com:8443/":      false, // another port
		"http://127.0.0.1:5173/cb":           true,  // loopback IP literal
		"http://2130706433/":                 false, // decimal IP
		"https://docs.example.org/a/b?c=d":   true,
		"https://a.b.example.org/":           false, // * stops at '.'
		"myapp://callback":                   true,
		"myapp://callback/more":              false,
		"http://localhost:3000/auth/cb#frag": true, // the fragment is not matched
		"http://localhost:3000/auth/cb/deep": false,
		"https://evil.example.net/":          false,
		"https://beta.example.io/x":          true, // [a-c] is a class, not literal text
		"https://delta.example.io/x":         false,
		"https://yz.example.io/x":            true, // [!x] any but x, then ? one character
		"https://xz.example.io/x":            false,
		"https://api.example.dev/v1":         true, // {docs,api} alternatives
		"https://www.example.dev/v1":         false,
		"myapp://cb1":                        true,
		"myapp://cb/":                        false, // ? stops at '/'
	} {
		if got := s.redirectAllowed(target); got != want {
			t.Errorf("redirectAllowed(%q) = %v, want %v", target, got, want)
		}
	}
}

// The server refuses to start with a pattern gobwas/glob cannot compile.
func TestRedirectAllowListInvalidPattern(t *testing.T) {
	_, err := New(Config{SiteURL: "https://app.example.com", URIAllowList: []string{"https://[a.example.com"}})
	if err == nil || !strings.Contains(err.Error(), `"https://[a.example.com" is not a valid redirect pattern`) {
		t.Fatalf("err = %v", err)
	}
}
