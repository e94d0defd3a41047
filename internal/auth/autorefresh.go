package auth

import (
	"context"
	"errors"
	"sync"
	"time"
)

// autoRefresher is the state of the §11 ticker.
type autoRefresher struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// StartAutoRefresh starts the auto-refresh ticker (§11, §6.26): a tick now
// and then every 30 s; each tick tries the lock without waiting (a busy lock
// means someone else is already working on the session: skip the tick),
// and refreshes when at most 3 ticks remain before expiry. Refresh failures
// are logged through Options.Debug and the session is handled as in
// GetSession. Calling it when running does nothing.
func (c *Client) StartAutoRefresh() {
	c.auto.mu.Lock()
	defer c.auto.mu.Unlock()
	if c.auto.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	c.auto.cancel, c.auto.done = cancel, done
	tick := c.tickDuration
	go func() {
		defer close(done)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			c.autoRefreshTick(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// StopAutoRefresh stops the ticker and waits for a running tick to finish (a
// refresh in progress is cancelled). Calling it when stopped does nothing.
func (c *Client) StopAutoRefresh() {
	c.auto.mu.Lock()
	cancel, done := c.auto.cancel, c.auto.done
	c.auto.cancel, c.auto.done = nil, nil
	c.auto.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// autoRefreshTick is one §11 tick.
func (c *Client) autoRefreshTick(ctx context.Context) {
	err := c.withLock(ctx, 0, func(ctx context.Context) error {
		s, err := c.loadSession(ctx)
		if err != nil || s == nil {
			return err
		}
		tick := max(c.tickDuration.Milliseconds(), 1)
		ticks := (s.ExpiresAt*1000 - c.now().UnixMilli()) / tick
		c.debug("auth: auto-refresh tick", "ticks_until_expiry", ticks)
		if ticks > AutoRefreshTickThreshold {
			return nil
		}
		_, err = c.callRefreshToken(ctx, s.RefreshToken, true, true)
		return err
	})
	var lt *LockAcquireTimeoutError
	switch {
	case err == nil:
	case errors.As(err, &lt):
		c.debug("auth: auto-refresh tick skipped, lock busy")
	case ctx.Err() != nil:
	default:
		c.debug("auth: auto-refresh failed", "error", err.Error())
	}
}
