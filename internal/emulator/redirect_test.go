package emulator

import "testing"

func TestRedirectAllowed(t *testing.T) {
	s, err := New(Config{SiteURL: "https://app.example.com", URIAllowList: []string{
		"https://*.example.org/**", "myapp://callback", "http://localhost:3000/auth/*"}})
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
	} {
		if got := s.redirectAllowed(target); got != want {
			t.Errorf("redirectAllowed(%q) = %v, want %v", target, got, want)
		}
	}
}
