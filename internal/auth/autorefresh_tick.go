package auth

import "time"

// SetAutoRefreshTick changes the auto-refresh tick (§11: 30 s) for this
// client. It exists for `authctl watch --tick`, so tests can watch
// short-lived sessions refresh without waiting minutes; the threshold stays
// AutoRefreshTickThreshold ticks. It must be called before StartAutoRefresh
// and is ignored while the ticker runs (the tick goroutine reads the value
// without a lock). d <= 0 is ignored.
func (c *Client) SetAutoRefreshTick(d time.Duration) {
	c.auto.mu.Lock()
	defer c.auto.mu.Unlock()
	if d <= 0 || c.auto.cancel != nil {
		return
	}
	c.tickDuration = d
}
