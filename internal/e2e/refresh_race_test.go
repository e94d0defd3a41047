package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"
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

// oldLockWait is the fixed wait for the session lock before issue 20:
// under a server slower than that to refresh, 12 of 24 racing processes
// failed with exit 1 while the holder was still working.
const oldLockWait = 10 * time.Second

// TestRacingTokensWaitForASlowRefresh: 24 `authctl token` processes race
// on an expiring session while the server takes longer over the refresh
// than the old fixed lock wait. The holder is alive and working, so every
// waiter waits for it and all print the one refreshed token. Then waiters
// whose own bound is short (--http-timeout 1s: 1 s + 12 s) give up on a
// holder that does not finish, with exit 5 and what to do.
func TestRacingTokensWaitForASlowRefresh(t *testing.T) {
	const procs = 24
	p := newProxy(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL
	p.shortTTL.Store(30) // inside the expiry margin: every token call refreshes
	signUp(t, e, uniqueEmail(t))
	p.shortTTL.Store(0)

	before := p.count("/token", "refresh_token")
	h := p.holdRefreshes()
	var runs []*running
	for range procs {
		runs = append(runs, e.start("", "token"))
	}
	waitFor(t, h.arrived, "the first refresh")
	// The slow server: the refresh is answered after the old fixed bound,
	// so the waiters started with the holder wait past it. (Their wait is
	// not observable from here: a waiter polls the lock file, holding it
	// open only for each try.) Nothing here depends on the machine's
	// speed: the waiters' bound is 42 s from their own start.
	time.Sleep(oldLockWait + time.Second)
	close(h.release)
	var token string
	for i, r := range runs {
		res := r.wait()
		if res.Code != 0 {
			t.Errorf("process %d: exit %d: %s", i, res.Code, res.Stderr)
		}
		if token == "" {
			token = res.Stdout
		} else if res.Stdout != token {
			t.Errorf("process %d printed another token", i)
		}
	}
	if n := p.count("/token", "refresh_token") - before; n != 1 {
		t.Errorf("%d refresh requests reached the server, want exactly 1", n)
	}

	// A holder that does not finish (its own --http-timeout is long):
	// waiters give up at their bound, exit 5.
	e2 := newEnv(t)
	e2.vars["SUPABASE_URL"] = p.URL
	p.hold.Store(nil)
	p.shortTTL.Store(30)
	signUp(t, e2, uniqueEmail(t))
	p.shortTTL.Store(0)
	h = p.holdRefreshes()
	holder := e2.start("", "token", "--http-timeout", "5m")
	waitFor(t, h.arrived, "the holder's refresh")
	var waiters []*running
	for range 3 {
		waiters = append(waiters, e2.start("", "token", "--http-timeout", "1s"))
	}
	for i, w := range waiters {
		res := w.wait()
		if res.Code != 5 || !strings.Contains(res.Stderr, "another authctl process kept this session busy") {
			t.Errorf("waiter %d: exit %d, want 5 and the hint: %s", i, res.Code, res.Stderr)
		}
	}
	close(h.release)
	if res := holder.wait(); res.Code != 0 {
		t.Errorf("holder: exit %d: %s", res.Code, res.Stderr)
	}
}

// waitFor waits until ch is closed, or fails the test at its deadline.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Until(waitDeadline(t))):
		t.Fatalf("%s never came", what)
	}
}
