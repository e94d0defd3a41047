package auth

import (
	"context"
	"net/url"
)

// LinkIdentityIDToken links the identity of a third-party OIDC ID token to
// the signed-in user (§6.20, linkIdentity with an ID token): the ID-token
// grant of SignInWithIDToken with link_identity set and the session's access
// token as bearer. The server answers a session of the same user, now with
// the identity; it is saved and USER_UPDATED emitted. Without a session →
// *AuthSessionMissingError, nothing sent.
func (c *Client) LinkIdentityIDToken(ctx context.Context, cr IDTokenCredentials) (*AuthResponse, error) {
	body, err := idTokenBody(cr)
	if err != nil {
		return nil, err
	}
	body["link_identity"] = true
	var out *AuthResponse
	err = c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		var tr tokenResponse
		req := Request{Method: "POST", Path: "/token", Query: url.Values{"grant_type": {"id_token"}}, Body: body, Token: token}
		if _, err := c.Do(ctx, req, &tr); err != nil {
			return err
		}
		s, err := c.sessionFromTokenResponse(&tr)
		if err != nil {
			return err
		}
		if err := c.saveSession(ctx, s); err != nil {
			return err
		}
		c.events.emit(EventUserUpdated, s)
		out = &AuthResponse{User: s.User, Session: s, WeakPassword: tr.WeakPassword}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
