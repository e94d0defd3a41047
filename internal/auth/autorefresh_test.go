package auth

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls cond for up to 2 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestAutoRefreshRefreshesWithinThreshold(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	var now atomic.Int64
	now.Store(testNow.UnixMilli())
	c := newTestClient(t, srv.URL, func(o *Options) { o.Now = func() time.Time { return time.UnixMilli(now.Load()) } })
	c.tickDuration = 20 * time.Millisecond
	// 200 s left = 10000 ticks of 20 ms: nothing to do.
	storeSession(t, c, testSession(t, "46n6qtayn2cm", testNow.Unix()+200))
	ev, _ := recordEvents(c)
	ev.next(t)
	c.StartAutoRefresh()
	c.StartAutoRefresh() // idempotent
	time.Sleep(100 * time.Millisecond)
	if srv.total() != 0 {
		t.Fatal("refreshed although far from expiry")
	}
	// Move the clock: 40 ms left = 2 ticks <= 3.
	now.Store((testNow.Unix()+200)*1000 - 40)
	waitFor(t, "the refresh", func() bool { return len(srv.calls("POST", "/token")) == 1 })
	if e := ev.next(t); e.Event != EventTokenRefreshed || e.Session.AccessToken != jwt {
		t.Fatalf("event %v", e.Event)
	}
	// The new session expires in an hour: no further refresh.
	time.Sleep(100 * time.Millisecond)
	c.StopAutoRefresh()
	c.StopAutoRefresh() // idempotent
	if n := len(srv.calls("POST", "/token")); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if s := storedSession(t, c); s.AccessToken != jwt {
		t.Fatal("refreshed session not saved")
	}
}

func TestAutoRefreshSkipsTickWhenLockBusy(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()-1)) // expired: a tick would refresh
	release := holdLock(t, c.lock, c.lockName)
	defer release()
	done := make(chan struct{})
	go func() {
		c.autoRefreshTick(context.Background())
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("a tick waited for a busy lock")
	}
	if srv.total() != 0 {
		t.Fatal("a skipped tick made a request")
	}
}

func TestAutoRefreshStartedByOptionAndStoppedByClose(t *testing.T) {
	srv := newFakeServer(t)
	o := DefaultOptions()
	o.URL = srv.URL
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	c.auto.mu.Lock()
	running := c.auto.cancel != nil
	c.auto.mu.Unlock()
	if !running {
		t.Fatal("AutoRefreshToken did not start the ticker")
	}
	c.Close()
	c.auto.mu.Lock()
	running = c.auto.cancel != nil
	c.auto.mu.Unlock()
	if running {
		t.Fatal("Close did not stop the ticker")
	}
}
