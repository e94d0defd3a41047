package filelock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

const name = "lock:sb-test-auth-token"

// hold acquires the lock in a goroutine and keeps it until release is closed.
func hold(t *testing.T, lock auth.LockFunc) (release func()) {
	t.Helper()
	acquired, done := make(chan struct{}), make(chan struct{})
	go func() {
		_ = lock(context.Background(), name, -1, func(context.Context) error {
			close(acquired)
			<-done
			return nil
		})
	}()
	<-acquired
	return func() { close(done) }
}

func TestLK01SerializesGoroutines(t *testing.T) {
	lock := New(t.TempDir())
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := lock(context.Background(), name, -1, func(context.Context) error {
				n := inside.Add(1)
				if n > maxInside.Load() {
					maxInside.Store(n)
				}
				time.Sleep(time.Millisecond)
				inside.Add(-1)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Fatalf("%d holders at once, want 1", maxInside.Load())
	}
}

func TestLK02PositiveTimeoutFails(t *testing.T) {
	lock := New(t.TempDir())
	release := hold(t, lock)
	defer release()
	start := time.Now()
	err := lock(context.Background(), name, 150*time.Millisecond, func(context.Context) error { return nil })
	var te *auth.LockAcquireTimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want LockAcquireTimeoutError", err)
	}
	// The holder never lets go, so only the timeout ended the wait; it
	// must not end before its time (a slow machine can only add to it).
	if d := time.Since(start); d < 140*time.Millisecond {
		t.Errorf("gave up after %s, want at least 150ms", d)
	}
}

func TestLK03ZeroTimeoutFailsAtOnce(t *testing.T) {
	lock := New(t.TempDir())
	release := hold(t, lock)
	defer release()
	// The holder lets go only after this returns: a zero timeout that
	// waited would never return.
	err := lock(context.Background(), name, 0, func(context.Context) error { return nil })
	var te *auth.LockAcquireTimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want LockAcquireTimeoutError", err)
	}
}

func TestNegativeTimeoutWaits(t *testing.T) {
	lock := New(t.TempDir())
	release := hold(t, lock)
	time.AfterFunc(100*time.Millisecond, release)
	ran := false
	if err := lock(context.Background(), name, -1, func(context.Context) error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("err %v, ran %v", err, ran)
	}
}

func TestLK04ErrorAndPanicRelease(t *testing.T) {
	lock := New(t.TempDir())
	boom := errors.New("boom")
	if err := lock(context.Background(), name, 0, func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the fn's error", err)
	}
	func() {
		defer func() { _ = recover() }()
		_ = lock(context.Background(), name, 0, func(context.Context) error { panic("boom") })
	}()
	if err := lock(context.Background(), name, 0, func(context.Context) error { return nil }); err != nil {
		t.Fatalf("lock still held after an error and a panic: %v", err)
	}
}

func TestReentrantCallDoesNotDeadlock(t *testing.T) {
	lock := New(t.TempDir())
	done := make(chan error, 1)
	go func() {
		done <- lock(context.Background(), name, time.Second, func(ctx context.Context) error {
			return lock(ctx, name, time.Second, func(context.Context) error { return nil })
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nested acquisition deadlocked")
	}
}

func TestCancelledContextStopsWaiting(t *testing.T) {
	lock := New(t.TempDir())
	release := hold(t, lock)
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := lock(ctx, name, -1, func(context.Context) error { return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's", err)
	}
}

// TestSerializesProcesses: child processes increment a counter file under the
// lock; without mutual exclusion between processes updates would be lost.
func TestSerializesProcesses(t *testing.T) {
	dir := t.TempDir()
	counter := filepath.Join(dir, "counter")
	if err := os.WriteFile(counter, []byte("0"), 0o600); err != nil {
		t.Fatal(err)
	}
	const procs, rounds = 4, 25
	var wg sync.WaitGroup
	for range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperIncrement$")
			cmd.Env = append(os.Environ(), "FILELOCK_HELPER_DIR="+dir, "FILELOCK_HELPER_ROUNDS="+strconv.Itoa(rounds))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("child: %v\n%s", err, out)
			}
		}()
	}
	wg.Wait()
	b, _ := os.ReadFile(counter)
	if got := string(b); got != strconv.Itoa(procs*rounds) {
		t.Fatalf("counter = %s, want %d: increments were lost", got, procs*rounds)
	}
}

// TestHelperIncrement is the child of TestSerializesProcesses.
func TestHelperIncrement(t *testing.T) {
	dir := os.Getenv("FILELOCK_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	rounds, _ := strconv.Atoi(os.Getenv("FILELOCK_HELPER_ROUNDS"))
	lock := New(filepath.Join(dir, "locks"))
	counter := filepath.Join(dir, "counter")
	for range rounds {
		err := lock(context.Background(), name, 10*time.Second, func(context.Context) error {
			b, err := os.ReadFile(counter)
			if err != nil {
				return err
			}
			n, _ := strconv.Atoi(string(b))
			return os.WriteFile(counter, []byte(fmt.Sprint(n+1)), 0o600)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestFileNameIsSafe(t *testing.T) {
	if got := fileName("lock:../../etc/passwd"); got != "lock_.._.._etc_passwd.lock" {
		t.Errorf("fileName = %q", got)
	}
}
