package auth

import (
	"context"
	"time"
)

// LockFunc is the spec's LockFunction (§3, §14): it runs fn while holding the
// exclusive lock called name.
//
// acquireTimeout follows the spec: negative waits indefinitely, zero fails at
// once with *LockAcquireTimeoutError when the lock is held, positive waits up to
// that long and then fails with *LockAcquireTimeoutError.
//
// The context handed to fn carries the fact that name is held, so a nested call
// with that context runs fn directly instead of deadlocking (re-entrancy, §14).
type LockFunc func(ctx context.Context, name string, acquireTimeout time.Duration, fn func(ctx context.Context) error) error
