package e2e

import (
	"strings"
	"sync"
	"testing"
)

// TestConcurrentTokenRefreshesOnce: 32 `authctl token` processes started
// together on an expiring session make exactly one refresh request, all
// succeed with the same new token, and the session stays valid (DESIGN.md:
// one refresh token is spent once).
func TestConcurrentTokenRefreshesOnce(t *testing.T) {
	const procs = 32
	p := newProxy(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL

	// Sign up through the proxy with a 30 s lifetime: inside the 90 s expiry
	// margin, so the stored session counts as expired at once.
	p.shortTTL.Store(30)
	first := signUp(t, e, uniqueEmail(t))
	p.shortTTL.Store(0)

	before := p.count("/token", "refresh_token")
	tokens := make([]string, procs)
	codes := make([]int, procs)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := e.run("", "token")
			tokens[i], codes[i] = strings.TrimSpace(r.Stdout), r.Code
			if r.Code != 0 {
				t.Errorf("process %d: exit %d: %s", i, r.Code, r.Stderr)
			}
		}()
	}
	close(start)
	wg.Wait()

	if n := p.count("/token", "refresh_token") - before; n != 1 {
		t.Errorf("%d refresh requests reached the server, want exactly 1", n)
	}
	for i, tok := range tokens {
		if tok != tokens[0] {
			t.Fatalf("process %d printed another token than process 0", i)
		}
	}
	// The stored session is the refreshed one (a refresh within the same
	// second may mint a byte-identical JWT, so compare the refresh token and
	// the expiry, not the access token).
	var now sessionJSON
	e.jsonOut(&now, "", "session")
	if now.RefreshToken == first.RefreshToken || now.ExpiresAt <= first.ExpiresAt {
		t.Errorf("stored session was not refreshed (expires_at %d, was %d)", now.ExpiresAt, first.ExpiresAt)
	}
	if now.AccessToken != tokens[0] {
		t.Errorf("the stored access token differs from the one the processes printed")
	}
	// The session is still valid: the server accepts it and no further
	// refresh is needed.
	e.mustRun(0, "", "user")
	if n := p.count("/token", "refresh_token") - before; n != 1 {
		t.Errorf("the refreshed session needed another refresh (%d in all)", n)
	}
}
