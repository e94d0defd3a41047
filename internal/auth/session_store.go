package auth

import (
	"context"
	"encoding/json"
	"fmt"
)

// codeVerifierKey is where the PKCE verifier waits for the code exchange
// (§13, §16).
func (c *Client) codeVerifierKey() string { return c.opts.StorageKey + "-code-verifier" }

// loadSession reads the stored session. Absent → (nil, nil). A stored value
// that is not a structurally valid Session (§10: access_token, refresh_token,
// expires_at) is removed and reported as absent: keeping it would make every
// later call fail the same way. Callers hold the lock.
func (c *Client) loadSession(ctx context.Context) (*Session, error) {
	raw, ok, err := c.storage.GetItem(ctx, c.opts.StorageKey)
	if err != nil {
		return nil, fmt.Errorf("auth: reading the session from storage: %w", err)
	}
	if !ok || raw == "" {
		return c.adoptLegacySession(ctx)
	}
	var s Session
	if err := json.Unmarshal([]byte(raw), &s); err != nil || !s.valid() {
		c.debug("auth: stored session is invalid, removing it")
		if err := c.storage.RemoveItem(ctx, c.opts.StorageKey); err != nil {
			return nil, fmt.Errorf("auth: removing an invalid session from storage: %w", err)
		}
		return nil, nil
	}
	return &s, nil
}

// peekSession reads the stored session without the lock and without
// repairing anything: for reporting only. nil when absent or unreadable.
func (c *Client) peekSession(ctx context.Context) *Session {
	if s := c.readSession(ctx, c.opts.StorageKey); s != nil {
		return s
	}
	if s := c.readSession(ctx, c.opts.LegacyStorageKey); s != nil && c.issuedHere(s) {
		return s
	}
	return nil
}

// StoredSession is the session stored for this client's URL as it is: no
// lock, no refresh, no repair (a legacy session is reported, not moved). For
// reporting what is stored, as `authctl status` does; nil when there is none.
func (c *Client) StoredSession(ctx context.Context) *Session { return c.peekSession(ctx) }

// LegacySession is the session under Options.LegacyStorageKey when this
// client does not honour it (its token names another issuer, or none), for
// telling the user where the profile was signed in. nil otherwise.
func (c *Client) LegacySession(ctx context.Context) *Session {
	s := c.readSession(ctx, c.opts.LegacyStorageKey)
	if s == nil || c.issuedHere(s) {
		return nil
	}
	return s
}

// readSession decodes the session under key; nil when absent or invalid.
func (c *Client) readSession(ctx context.Context, key string) *Session {
	if key == "" {
		return nil
	}
	raw, ok, err := c.storage.GetItem(ctx, key)
	if err != nil || !ok {
		return nil
	}
	var s Session
	if json.Unmarshal([]byte(raw), &s) != nil || !s.valid() {
		return nil
	}
	return &s
}

// adoptLegacySession moves a session stored under Options.LegacyStorageKey
// to StorageKey when this server issued it (see issuedHere), and returns it.
// Any other legacy session stays where it is, unused: sending it here could
// hand one server's token to another. Callers hold the lock.
func (c *Client) adoptLegacySession(ctx context.Context) (*Session, error) {
	s := c.readSession(ctx, c.opts.LegacyStorageKey)
	if s == nil || !c.issuedHere(s) {
		return nil, nil
	}
	if err := c.saveSession(ctx, s); err != nil {
		return nil, err
	}
	c.debug("auth: moved the session from the legacy storage key", "from", c.opts.LegacyStorageKey, "to", c.opts.StorageKey)
	if err := c.storage.RemoveItem(ctx, c.opts.LegacyStorageKey); err != nil {
		return nil, fmt.Errorf("auth: removing the session under the legacy storage key: %w", err)
	}
	return s, nil
}

// issuedHere reports whether s's access token names this client's URL as its
// issuer (the iss claim, which hosted projects and `supabase start` set to
// their Auth URL). A token without iss cannot be attributed to any server.
func (c *Client) issuedHere(s *Session) bool {
	jwt, err := DecodeJWT(s.AccessToken)
	return err == nil && jwt.Claims.Iss != "" && NormalizeAuthURL(jwt.Claims.Iss) == NormalizeAuthURL(c.URL())
}

// saveSession writes s as the spec's Session JSON. Callers hold the lock.
func (c *Client) saveSession(ctx context.Context, s *Session) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("auth: encoding the session: %w", err)
	}
	if err := c.storage.SetItem(ctx, c.opts.StorageKey, string(b)); err != nil {
		return fmt.Errorf("auth: writing the session to storage: %w", err)
	}
	return nil
}

// removeSession deletes the session and any pending PKCE verifier, then emits
// SIGNED_OUT: every path that ends a session (sign-out, a refresh token the
// server no longer knows) tells listeners the same way. Callers hold the lock.
func (c *Client) removeSession(ctx context.Context) error {
	err := c.storage.RemoveItem(ctx, c.opts.StorageKey)
	if err2 := c.storage.RemoveItem(ctx, c.codeVerifierKey()); err == nil {
		err = err2
	}
	c.events.emit(EventSignedOut, nil)
	if err != nil {
		return fmt.Errorf("auth: removing the session from storage: %w", err)
	}
	return nil
}

// saveCodeVerifier stores the PKCE verifier JSON-encoded (§16 "Save:
// JSON-serialize"), with the "/PASSWORD_RECOVERY" suffix for recovery flows.
func (c *Client) saveCodeVerifier(ctx context.Context, verifier string, recovery bool) error {
	if recovery {
		verifier += passwordRecoverySuffix
	}
	b, _ := json.Marshal(verifier)
	if err := c.storage.SetItem(ctx, c.codeVerifierKey(), string(b)); err != nil {
		return fmt.Errorf("auth: writing the PKCE code verifier to storage: %w", err)
	}
	return nil
}

// loadCodeVerifier returns the stored verifier as stored (suffix included),
// accepting a raw string too (§16 "fallback to raw string").
func (c *Client) loadCodeVerifier(ctx context.Context) (string, bool, error) {
	raw, ok, err := c.storage.GetItem(ctx, c.codeVerifierKey())
	if err != nil {
		return "", false, fmt.Errorf("auth: reading the PKCE code verifier from storage: %w", err)
	}
	if !ok || raw == "" {
		return "", false, nil
	}
	var s string
	if json.Unmarshal([]byte(raw), &s) == nil {
		return s, s != "", nil
	}
	return raw, true, nil
}

const passwordRecoverySuffix = "/PASSWORD_RECOVERY"
