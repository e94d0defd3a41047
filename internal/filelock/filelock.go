// Package filelock is the cross-process lock of spec §14: an auth.LockFunc
// that holds an exclusive file lock (flock on Unix, LockFileEx on Windows,
// through gofrs/flock) per lock name, so concurrent authctl processes
// serialise their session reads and writes and one refresh token is spent
// once.
package filelock

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/authctl/authctl/internal/auth"
)

// poll bounds how often a waiting process retries a busy lock: short at
// first, because most holders finish within milliseconds.
const (
	pollMin = 5 * time.Millisecond
	pollMax = 50 * time.Millisecond
)

// New returns a LockFunc whose locks are files under dir (created 0700).
func New(dir string) auth.LockFunc {
	l := &locker{dir: dir, local: map[string]*sync.Mutex{}}
	return l.lock
}

type locker struct {
	dir string
	mu  sync.Mutex
	// local serialises goroutines of this process per name before they
	// contend for the file, so the file lock only arbitrates between
	// processes.
	local map[string]*sync.Mutex
}

func (l *locker) mutex(name string) *sync.Mutex {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.local[name]
	if m == nil {
		m = &sync.Mutex{}
		l.local[name] = m
	}
	return m
}

func (l *locker) lock(ctx context.Context, name string, timeout time.Duration, fn func(context.Context) error) (err error) {
	if auth.LockHeld(ctx, name) {
		return fn(ctx) // re-entrant call from inside fn: already ours
	}
	deadline := time.Time{}
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	m := l.mutex(name)
	if !acquireMutex(ctx, m, deadline) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return auth.NewLockAcquireTimeoutError(name, timeout)
	}
	defer m.Unlock()

	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return fmt.Errorf("lock %q: %w", name, err)
	}
	fl := flock.New(filepath.Join(l.dir, fileName(name)))
	for wait := pollMin; ; wait = min(wait*2, pollMax) {
		ok, err := fl.TryLock()
		if err != nil {
			return fmt.Errorf("lock %q: %w", name, err)
		}
		if ok {
			break
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return auth.NewLockAcquireTimeoutError(name, timeout)
		}
		if err := sleep(ctx, wait, deadline); err != nil {
			return err
		}
	}
	defer fl.Unlock() //nolint:errcheck // closing the file releases the lock regardless
	return fn(auth.WithLockHeld(ctx, name))
}

// acquireMutex locks m before the deadline (zero: no deadline) unless ctx ends.
func acquireMutex(ctx context.Context, m *sync.Mutex, deadline time.Time) bool {
	for wait := pollMin; ; wait = min(wait*2, pollMax) {
		if m.TryLock() {
			return true
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return false
		}
		if sleep(ctx, wait, deadline) != nil {
			return false
		}
	}
}

// sleep waits d, cut short by the deadline; it fails when ctx ends.
func sleep(ctx context.Context, d time.Duration, deadline time.Time) error {
	if !deadline.IsZero() {
		if left := time.Until(deadline); left < d {
			d = max(left, 0)
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// fileName maps a lock name (e.g. "lock:sb-abcd-auth-token") to a safe file name.
func fileName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name) + ".lock"
}
