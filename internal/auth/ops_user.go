package auth

import (
	"context"
	"net/url"
)

// UserAttributes are updateUser's attributes (§6.14); empty fields are not
// sent.
type UserAttributes struct {
	Email    string
	Phone    string
	Password string
	// Nonce is the reauthentication code, when the server requires one for
	// password changes.
	Nonce string
	// Data is merged into user_metadata.
	Data map[string]any
}

// UpdateUser updates the signed-in user (§6.14): PUT /user with the current
// session's token. The stored session's user is replaced by the answer and
// USER_UPDATED emitted. A new email or phone is pending until confirmed (the
// server says so in new_email/new_phone). Not signed in →
// *SessionMissingError.
func (c *Client) UpdateUser(ctx context.Context, attrs UserAttributes, emailRedirectTo string) (*User, error) {
	body := map[string]any{}
	for k, v := range map[string]string{"email": attrs.Email, "phone": attrs.Phone, "password": attrs.Password, "nonce": attrs.Nonce} {
		if v != "" {
			body[k] = v
		}
	}
	if attrs.Data != nil {
		body["data"] = attrs.Data
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
		var u User
		if _, err := c.Do(ctx, Request{Method: "PUT", Path: "/user", Query: redirectQuery(emailRedirectTo), Body: body, Token: s.AccessToken}, &u); err != nil {
			c.forgetIfRevoked(ctx, s.AccessToken, err)
			return err
		}
		s.User = u
		if err := c.saveSession(ctx, s); err != nil {
			return err
		}
		c.events.emit(EventUserUpdated, s)
		out = &u
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// withSessionToken runs fn with the current access token under the lock; not
// signed in → *SessionMissingError. When fn's error says the session no
// longer exists on the server, the stored session is removed.
func (c *Client) withSessionToken(ctx context.Context, fn func(ctx context.Context, token string) error) error {
	return c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		s, err := c.currentSession(ctx)
		if err != nil {
			return err
		}
		if s == nil {
			return errSessionMissing()
		}
		err = fn(ctx, s.AccessToken)
		c.forgetIfRevoked(ctx, s.AccessToken, err)
		return err
	})
}

// Reauthenticate asks the server to send a reauthentication nonce to the
// user's email or phone (§6.16), to pass as UserAttributes.Nonce.
func (c *Client) Reauthenticate(ctx context.Context) error {
	return c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := c.Do(ctx, Request{Method: "GET", Path: "/reauthenticate", Token: token}, nil)
		return err
	})
}

// ResetPasswordOptions are resetPasswordForEmail's options (§6.15).
type ResetPasswordOptions struct {
	RedirectTo   string
	CaptchaToken string
}

// ResetPasswordForEmail sends a password recovery email (§6.15). The server
// answers the same for unknown addresses. In PKCE flow the verifier is stored
// with the "/PASSWORD_RECOVERY" mark, so the later code exchange emits
// PASSWORD_RECOVERY.
func (c *Client) ResetPasswordForEmail(ctx context.Context, email string, opts ResetPasswordOptions) error {
	if email == "" {
		return errInvalidCredentials("You must provide an email")
	}
	body := map[string]any{"email": email}
	if m := captcha(opts.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	ch, method, err := c.pkceChallenge(ctx, true)
	if err != nil {
		return err
	}
	if ch != "" {
		body["code_challenge"], body["code_challenge_method"] = ch, method
	}
	_, err = c.Do(ctx, Request{Method: "POST", Path: "/recover", Query: redirectQuery(opts.RedirectTo), Body: body}, nil)
	return err
}

// GetUserIdentities returns the identities linked to the signed-in user
// (§6.19), fresh from the server.
func (c *Client) GetUserIdentities(ctx context.Context) ([]UserIdentity, error) {
	u, err := c.GetUser(ctx, "")
	if err != nil {
		return nil, err
	}
	if u.Identities == nil {
		return []UserIdentity{}, nil
	}
	return u.Identities, nil
}

// UnlinkIdentity removes a linked identity by its identity_id (§6.21). The
// server refuses to remove the last one (single_identity_not_deletable).
func (c *Client) UnlinkIdentity(ctx context.Context, identityID string) error {
	if identityID == "" {
		return errInvalidCredentials("You must provide an identity id")
	}
	return c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := c.Do(ctx, Request{Method: "DELETE", Path: "/user/identities/" + url.PathEscape(identityID), Token: token}, nil)
		return err
	})
}
