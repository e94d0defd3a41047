package auth

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// GetSession returns the stored session (§6.12), refreshing it first when its
// access token expires within ExpiryMargin. Nobody signed in → (nil, nil).
// It holds the lock while it reads, so when another process refreshed the
// session meanwhile, the refreshed one is returned and no refresh token is
// spent twice. A refresh the server refuses removes the session (the error
// is a *SessionMissingError for revoked or reused refresh tokens); a network
// failure keeps it and returns a *RetryableFetchError after retries.
func (c *Client) GetSession(ctx context.Context) (*Session, error) {
	return c.GetSessionValidFor(ctx, ExpiryMargin)
}

// GetSessionValidFor is GetSession with a caller-chosen margin: the returned
// access token stays valid for at least minTTL (never less than
// ExpiryMargin), refreshing first when needed, all under one lock
// acquisition (`authctl token --min-ttl`). A minTTL longer than the server's
// token lifetime makes every call refresh.
func (c *Client) GetSessionValidFor(ctx context.Context, minTTL time.Duration) (*Session, error) {
	var out *Session
	err := c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		s, err := c.currentSessionValidFor(ctx, minTTL)
		out = s
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// currentSession is GetSession's body; callers hold the lock.
func (c *Client) currentSession(ctx context.Context) (*Session, error) {
	return c.currentSessionValidFor(ctx, ExpiryMargin)
}

func (c *Client) currentSessionValidFor(ctx context.Context, minTTL time.Duration) (*Session, error) {
	s, err := c.loadSession(ctx)
	if err != nil || s == nil {
		return nil, err
	}
	if !s.ExpiresWithin(c.now(), max(minTTL, ExpiryMargin)) {
		return s, nil
	}
	c.debug("auth: session expired or about to, refreshing")
	return c.callRefreshToken(ctx, s.RefreshToken, true, true)
}

// RefreshSession spends a refresh token now, whatever the expiry (§6.23):
// current's refresh token when current is non-nil, else the stored one. The
// new session is saved and TOKEN_REFRESHED emitted. No refresh token →
// *SessionMissingError. Concurrent calls are deduplicated: one HTTP call,
// every caller gets the same session (§10).
func (c *Client) RefreshSession(ctx context.Context, current *Session) (*Session, error) {
	if current != nil {
		if current.RefreshToken == "" {
			return nil, errSessionMissing()
		}
		var out *Session
		err := c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
			s, err := c.callRefreshToken(ctx, current.RefreshToken, true, false)
			out = s
			return err
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	refresh := func() (*Session, error) {
		var out *Session
		err := c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
			s, err := c.loadSession(ctx)
			if err != nil {
				return err
			}
			if s == nil {
				return errSessionMissing()
			}
			out, err = c.callRefreshToken(ctx, s.RefreshToken, true, true)
			return err
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	if LockHeld(ctx, c.lockName) {
		// Joining a flight whose leader waits for the lock we hold would
		// deadlock: run directly.
		return refresh()
	}
	return c.dedupe(ctx, "stored", refresh)
}

// SetSession adopts a pair of tokens obtained elsewhere (§6.22). The access
// token is decoded without verification; a malformed one fails with
// *InvalidJwtError "Invalid JWT structure". When it has expired the refresh
// token is spent (TOKEN_REFRESHED); otherwise GET /user fetches the user.
// The session is saved and SIGNED_IN emitted. Missing tokens →
// *SessionMissingError.
func (c *Client) SetSession(ctx context.Context, accessToken, refreshToken string) (*Session, error) {
	if accessToken == "" || refreshToken == "" {
		return nil, errSessionMissing()
	}
	jwt, err := DecodeJWT(accessToken)
	if err != nil {
		return nil, errInvalidJWT("Invalid JWT structure")
	}
	if jwt.Claims.Exp == 0 {
		return nil, errInvalidJWT("Invalid JWT structure: no exp claim")
	}
	var out *Session
	err = c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		now := c.now().Unix()
		if jwt.Claims.Exp <= now {
			s, err := c.callRefreshToken(ctx, refreshToken, true, false)
			if err != nil {
				return err
			}
			out = s
		} else {
			u, err := c.fetchUser(ctx, accessToken)
			if err != nil {
				return err
			}
			out = &Session{
				AccessToken:  accessToken,
				RefreshToken: refreshToken,
				TokenType:    "bearer",
				ExpiresIn:    jwt.Claims.Exp - now,
				ExpiresAt:    jwt.Claims.Exp,
				User:         *u,
			}
			if err := c.saveSession(ctx, out); err != nil {
				return err
			}
		}
		c.events.emit(EventSignedIn, out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetUser fetches the user from the server (§6.13), never from cache. With
// jwt == "" it uses the current session (refreshed if needed; none →
// *SessionMissingError); when the server says that session no longer exists,
// the stored session is removed and SIGNED_OUT emitted. With a jwt it just
// asks about that token.
func (c *Client) GetUser(ctx context.Context, jwt string) (*User, error) {
	if jwt != "" {
		return c.fetchUser(ctx, jwt)
	}
	var out *User
	err := c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		s, err := c.currentSession(ctx)
		if err != nil {
			return err
		}
		if s == nil {
			return errSessionMissing()
		}
		u, err := c.fetchUser(ctx, s.AccessToken)
		if err != nil {
			c.forgetIfRevoked(ctx, s.AccessToken, err)
			return err
		}
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// forgetIfRevoked removes the stored session when the server answered a
// request made with its access token by saying the session no longer exists
// (session_not_found: signed out elsewhere, or revoked). Callers hold the
// lock.
func (c *Client) forgetIfRevoked(ctx context.Context, accessToken string, err error) {
	if !IsAuthSessionMissingError(err) {
		return
	}
	stored, lerr := c.loadSession(ctx)
	if lerr != nil || stored == nil || stored.AccessToken != accessToken {
		return
	}
	c.debug("auth: server says the session is gone, removing it", "code", ErrorCode(err))
	if rmErr := c.removeSession(ctx); rmErr != nil {
		c.debug("auth: removing the session failed", "error", rmErr.Error())
	}
}

func (c *Client) fetchUser(ctx context.Context, token string) (*User, error) {
	var u User
	if _, err := c.Do(ctx, Request{Method: "GET", Path: "/user", Token: token}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// SignOut ends sessions (§6.18). scope "" means SignOutGlobal.
//
// For global and local the stored session is always removed and SIGNED_OUT
// emitted, even when the server call fails (that error is then returned) or
// nobody is signed in (then nothing is sent and the result is nil). Answers
// meaning the token is already invalid (401, 403, 404, session_not_found) are
// not errors: the goal, being signed out, is reached. An access token about to
// expire is refreshed once first, so a global sign-out still reaches the
// server.
//
// For others the local session is kept and no event is emitted; nobody signed
// in → *SessionMissingError.
func (c *Client) SignOut(ctx context.Context, scope SignOutScope) error {
	if scope == "" {
		scope = SignOutGlobal
	}
	if scope != SignOutGlobal && scope != SignOutLocal && scope != SignOutOthers {
		return fmt.Errorf("auth: invalid sign-out scope %q: want global, local or others", scope)
	}
	return c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		s, err := c.loadSession(ctx)
		if err != nil {
			return err
		}
		if s != nil && s.ExpiresWithin(c.now(), ExpiryMargin) {
			ns, rerr := c.callRefreshToken(ctx, s.RefreshToken, false, true)
			switch {
			case rerr == nil:
				s = ns
			case sessionIsGone(rerr):
				s = nil // already removed by the failed refresh
				if scope != SignOutOthers {
					return nil
				}
			}
		}
		if s == nil {
			if scope == SignOutOthers {
				return errSessionMissing()
			}
			return c.removeSession(ctx)
		}
		_, httpErr := c.Do(ctx, Request{
			Method: "POST",
			Path:   "/logout",
			Query:  url.Values{"scope": {string(scope)}},
			Token:  s.AccessToken,
		}, nil)
		if scope == SignOutOthers {
			return httpErr
		}
		if httpErr != nil && alreadySignedOut(httpErr) {
			c.debug("auth: server already considered the token invalid", "code", ErrorCode(httpErr))
			httpErr = nil
		}
		rmErr := c.removeSession(ctx)
		if httpErr != nil {
			return httpErr
		}
		return rmErr
	})
}

// alreadySignedOut: the server refused the token because it is expired,
// revoked or belongs to a deleted user; signing out locally is all that is left.
func alreadySignedOut(err error) bool {
	if IsAuthSessionMissingError(err) {
		return true
	}
	var api *APIError
	if asAPIError(err, &api) {
		return api.Status == 401 || api.Status == 403 || api.Status == 404
	}
	return false
}
