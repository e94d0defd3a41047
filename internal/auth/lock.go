package auth

import (
	"context"
	"sync"
	"time"
)

// lockHeldKey marks, in a context, the names of the locks its holder owns.
type lockHeldKey struct{}

type heldLocks struct {
	name string
	next *heldLocks
}

// WithLockHeld returns a context recording that the lock called name is held.
// LockFunc implementations call it on the context they hand to fn, so nested
// calls made with that context run directly instead of deadlocking (§14,
// re-entrancy). The client also marks the context itself, so a custom
// LockFunc that forgets still gets re-entrancy.
func WithLockHeld(ctx context.Context, name string) context.Context {
	prev, _ := ctx.Value(lockHeldKey{}).(*heldLocks)
	return context.WithValue(ctx, lockHeldKey{}, &heldLocks{name: name, next: prev})
}

// LockHeld reports whether ctx was marked by WithLockHeld for name.
func LockHeld(ctx context.Context, name string) bool {
	for h, _ := ctx.Value(lockHeldKey{}).(*heldLocks); h != nil; h = h.next {
		if h.name == name {
			return true
		}
	}
	return false
}

// processLock serializes callers per lock name inside one process: a
// one-slot semaphore per name. Waiters queue on the channel, which gives the
// spec's "each waits for the previous to complete" without a goroutine per
// waiter.
type processLock struct {
	mu    sync.Mutex
	slots map[string]chan struct{}
}

// NewProcessLock returns the default in-process LockFunc (§14, "Process
// Lock"). acquireTimeout: negative waits until ctx is done, zero fails at once
// with *LockAcquireTimeoutError when the lock is held, positive waits up to
// that long. The lock is released when fn returns or panics. A cancelled ctx
// while waiting returns ctx.Err().
func NewProcessLock() LockFunc {
	l := &processLock{slots: map[string]chan struct{}{}}
	return l.run
}

func (l *processLock) slot(name string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.slots[name]
	if !ok {
		s = make(chan struct{}, 1)
		l.slots[name] = s
	}
	return s
}

func (l *processLock) run(ctx context.Context, name string, acquireTimeout time.Duration, fn func(ctx context.Context) error) error {
	if LockHeld(ctx, name) {
		return fn(ctx)
	}
	s := l.slot(name)
	switch {
	case acquireTimeout == 0:
		select {
		case s <- struct{}{}:
		default:
			return NewLockAcquireTimeoutError(name, acquireTimeout)
		}
	case acquireTimeout < 0:
		select {
		case s <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	default:
		t := time.NewTimer(acquireTimeout)
		defer t.Stop()
		select {
		case s <- struct{}{}:
		case <-t.C:
			return NewLockAcquireTimeoutError(name, acquireTimeout)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-s }()
	return fn(WithLockHeld(ctx, name))
}

// withLock runs fn holding the session lock, or directly when ctx already
// holds it. timeout follows LockFunc semantics.
func (c *Client) withLock(ctx context.Context, timeout time.Duration, fn func(ctx context.Context) error) error {
	if LockHeld(ctx, c.lockName) {
		return fn(ctx)
	}
	return c.lock(ctx, c.lockName, timeout, func(ctx context.Context) error {
		return fn(WithLockHeld(ctx, c.lockName))
	})
}
