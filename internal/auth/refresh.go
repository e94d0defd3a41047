package auth

import (
	"context"
	"net/url"
	"time"
)

// refreshCall is the spec's "deferred" (§10): the first caller performs the
// refresh, later callers for the same key wait and receive the same result,
// and the entry is removed when it settles.
type refreshCall struct {
	done    chan struct{}
	session *Session
	err     error
}

// dedupe runs fn once per key among concurrent callers. A caller whose ctx
// ends while waiting gets ctx.Err(); the running refresh is not affected.
func (c *Client) dedupe(ctx context.Context, key string, fn func() (*Session, error)) (*Session, error) {
	c.refreshMu.Lock()
	if f, ok := c.refreshFlights[key]; ok {
		c.refreshMu.Unlock()
		select {
		case <-f.done:
			return f.session.clone(), f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f := &refreshCall{done: make(chan struct{})}
	c.refreshFlights[key] = f
	c.refreshMu.Unlock()

	defer func() {
		c.refreshMu.Lock()
		delete(c.refreshFlights, key)
		c.refreshMu.Unlock()
		close(f.done)
	}()
	f.session, f.err = fn()
	return f.session.clone(), f.err
}

// callRefreshToken spends refreshToken once (deduplicated), saves the new
// session and emits TOKEN_REFRESHED. When the server says the session cannot
// be refreshed any more (a 4xx: revoked, reused, banned) the stored session,
// if it holds that refresh token, is removed and SIGNED_OUT emitted; a network failure or a 5xx keeps it, so
// being offline never signs anyone out. Callers hold the lock. stored says the
// token is the stored session's own: only then is the save a refresh write
// (IsRefreshWrite); a token handed in (SetSession, RefreshSession with a
// session) may be another user's, and its save is a sign-in.
func (c *Client) callRefreshToken(ctx context.Context, refreshToken string, retry, stored bool) (*Session, error) {
	if refreshToken == "" {
		return nil, errSessionMissing()
	}
	return c.dedupe(ctx, "rt:"+refreshToken, func() (*Session, error) {
		s, err := c.refreshWithRetry(ctx, refreshToken, retry)
		if err != nil {
			if sessionIsGone(err) {
				c.removeSessionIfRefreshToken(ctx, refreshToken, err)
			}
			return nil, err
		}
		saveCtx := ctx
		if stored {
			saveCtx = WithRefreshWrite(ctx)
		}
		if err := c.saveSession(saveCtx, s); err != nil {
			return nil, err
		}
		c.events.emit(EventTokenRefreshed, s)
		return s, nil
	})
}

// removeSessionIfRefreshToken removes the stored session when it is the one
// whose refresh token the server refused. A token handed in by the caller
// (SetSession, RefreshSession with a session) must not sign out a different
// stored session.
func (c *Client) removeSessionIfRefreshToken(ctx context.Context, refreshToken string, cause error) {
	stored, err := c.loadSession(ctx)
	if err != nil || stored == nil || stored.RefreshToken != refreshToken {
		return
	}
	c.debug("auth: refresh refused, removing the session", "code", ErrorCode(cause))
	if err := c.removeSession(ctx); err != nil {
		c.debug("auth: removing the session failed", "error", err.Error())
	}
}

// sessionIsGone reports whether a refresh failure means the session can never
// be refreshed again.
func sessionIsGone(err error) bool {
	if IsAuthSessionMissingError(err) {
		return true
	}
	var api *APIError
	if asAPIError(err, &api) {
		return api.Status >= 400 && api.Status < 500
	}
	return false
}

// refreshWithRetry retries RetryableFetchErrors with exponential backoff from
// retryBase (200 ms, 400 ms, ...), at most NetworkFailureMaxRetries times,
// and within a budget counted from the first attempt: the 30 s tick (§11),
// or the HTTP client's timeout (--http-timeout) when shorter, so a command
// against a down server gives up when its user said requests may take. The
// retries themselves are cut at the budget; only the first attempt may run
// its full request timeout.
func (c *Client) refreshWithRetry(ctx context.Context, refreshToken string, retry bool) (*Session, error) {
	start := time.Now()
	budget := AutoRefreshTickDuration
	if t := c.httpc.Timeout; t > 0 && t < budget {
		budget = t
	}
	rctx, cancel := context.WithDeadline(ctx, start.Add(budget))
	defer cancel()
	var last error
	for attempt := 0; ; attempt++ {
		actx := ctx
		if attempt > 0 {
			actx = rctx
		}
		s, err := c.refreshOnce(actx, refreshToken)
		if attempt > 0 && err != nil && rctx.Err() != nil && ctx.Err() == nil {
			return nil, last // the budget ran out mid-retry: report the failure it retried
		}
		if err == nil || !retry || !IsAuthRetryableFetchError(err) || attempt >= NetworkFailureMaxRetries {
			return s, err
		}
		last = err
		wait := c.retryBase << attempt
		if time.Since(start)+wait >= budget {
			return nil, err
		}
		c.debug("auth: refresh failed, retrying", "attempt", attempt+1, "wait", wait.String())
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, err
		}
	}
}

// refreshOnce is POST /token?grant_type=refresh_token.
func (c *Client) refreshOnce(ctx context.Context, refreshToken string) (*Session, error) {
	var tr tokenResponse
	_, err := c.Do(ctx, Request{
		Method: "POST",
		Path:   "/token",
		Query:  url.Values{"grant_type": {"refresh_token"}},
		Body:   map[string]string{"refresh_token": refreshToken},
	}, &tr)
	if err != nil {
		return nil, err
	}
	return c.sessionFromTokenResponse(&tr)
}
