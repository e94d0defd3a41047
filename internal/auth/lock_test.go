package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLK01_LockSerializesConcurrentAccess(t *testing.T) {
	lock := NewProcessLock()
	var inside, maxInside, total atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := lock(context.Background(), "lock:k", -1, func(ctx context.Context) error {
				n := inside.Add(1)
				for {
					m := maxInside.Load()
					if n <= m || maxInside.CompareAndSwap(m, n) {
						break
					}
				}
				time.Sleep(time.Millisecond)
				total.Add(1)
				inside.Add(-1)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 || total.Load() != 20 {
		t.Fatalf("max concurrent holders = %d, runs = %d; want 1, 20", maxInside.Load(), total.Load())
	}
	// Different names do not exclude each other.
	err := lock(context.Background(), "a", 0, func(ctx context.Context) error {
		return lock(context.Background(), "b", 0, func(context.Context) error { return nil })
	})
	if err != nil {
		t.Fatalf("independent names: %v", err)
	}
}

// holdLock takes name and keeps it until the returned release is called.
func holdLock(t *testing.T, lock LockFunc, name string) (release func()) {
	t.Helper()
	held, done := make(chan struct{}), make(chan struct{})
	go func() {
		_ = lock(context.Background(), name, -1, func(context.Context) error {
			close(held)
			<-done
			return nil
		})
	}()
	<-held
	return func() { close(done) }
}

func TestLK02_LockTimesOutWhenHeldTooLong(t *testing.T) {
	lock := NewProcessLock()
	release := holdLock(t, lock, "n")
	defer release()
	start := time.Now()
	ran := false
	err := lock(context.Background(), "n", 80*time.Millisecond, func(context.Context) error { ran = true; return nil })
	var lt *LockAcquireTimeoutError
	if !errors.As(err, &lt) || !IsAuthError(err) || lt.Name != "LockAcquireTimeoutError" || lt.LockName != "n" {
		t.Fatalf("%T %v, want *LockAcquireTimeoutError", err, err)
	}
	if el := time.Since(start); el < 80*time.Millisecond {
		t.Fatalf("gave up after %v, before the 80ms timeout", el)
	}
	if ran {
		t.Fatal("fn ran without the lock")
	}
}

func TestLK02b_PositiveTimeoutAcquiresWhenReleasedInTime(t *testing.T) {
	lock := NewProcessLock()
	release := holdLock(t, lock, "n")
	time.AfterFunc(20*time.Millisecond, release)
	if err := lock(context.Background(), "n", time.Second, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestLK03_ZeroTimeoutFailsImmediatelyWhenHeld(t *testing.T) {
	lock := NewProcessLock()
	release := holdLock(t, lock, "n")
	// The holder lets go only after this returns: a zero timeout that
	// waited would never return.
	err := lock(context.Background(), "n", 0, func(context.Context) error { return nil })
	var lt *LockAcquireTimeoutError
	if !errors.As(err, &lt) {
		t.Fatalf("%T %v", err, err)
	}
	release()
	// Free again: zero timeout succeeds (eventually; the holder releases asynchronously).
	deadline := time.Now().Add(time.Second)
	for {
		err = lock(context.Background(), "n", 0, func(context.Context) error { return nil })
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err != nil {
		t.Fatalf("free lock with zero timeout: %v", err)
	}
}

func TestLK04_LockReleasedAndErrorPropagates(t *testing.T) {
	lock := NewProcessLock()
	boom := errors.New("boom")
	if err := lock(context.Background(), "n", -1, func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("error = %v, want boom", err)
	}
	if err := lock(context.Background(), "n", 0, func(context.Context) error { return nil }); err != nil {
		t.Fatalf("lock not released after an error: %v", err)
	}
	func() {
		defer func() { _ = recover() }()
		_ = lock(context.Background(), "n", -1, func(context.Context) error { panic("listener bug") })
	}()
	if err := lock(context.Background(), "n", 0, func(context.Context) error { return nil }); err != nil {
		t.Fatalf("lock not released after a panic: %v", err)
	}
}

func TestLockReentrantWithHeldContext(t *testing.T) {
	lock := NewProcessLock()
	done := make(chan error, 1)
	go func() {
		done <- lock(context.Background(), "n", time.Second, func(ctx context.Context) error {
			if !LockHeld(ctx, "n") || LockHeld(ctx, "other") {
				return errors.New("context not marked")
			}
			return lock(ctx, "n", 0, func(context.Context) error { return nil })
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("nested acquisition deadlocked")
	}
}

func TestLockWaitHonoursContext(t *testing.T) {
	lock := NewProcessLock()
	release := holdLock(t, lock, "n")
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := lock(ctx, "n", -1, func(context.Context) error { return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v", err)
	}
}

func TestClientMethodsTakeTheLockAndNestedCallsDoNotDeadlock(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", rep)
	c := newTestClient(t, srv.URL, func(o *Options) { o.LockAcquireTimeout = 100 * time.Millisecond })
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))

	// Someone else (another process, through the same LockFunc) holds it.
	release := holdLock(t, c.lock, c.lockName)
	_, err := c.GetSession(context.Background())
	var lt *LockAcquireTimeoutError
	if !errors.As(err, &lt) {
		t.Fatalf("GetSession while the lock is held elsewhere: %v", err)
	}
	release()

	// Inside the lock, nested client calls run directly.
	err = c.withLock(context.Background(), time.Second, func(ctx context.Context) error {
		if _, err := c.GetSession(ctx); err != nil {
			return err
		}
		_, err := c.GetUser(ctx, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
