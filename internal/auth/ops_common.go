package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
)

// securityMeta is how the server receives a captcha token.
type securityMeta struct {
	CaptchaToken string `json:"captcha_token"`
}

func captcha(token string) *securityMeta {
	if token == "" {
		return nil
	}
	return &securityMeta{CaptchaToken: token}
}

// redirectQuery puts redirect_to in the query string, where the server reads
// it for sign-up, OTP, recovery and resend.
func redirectQuery(to string) url.Values {
	if to == "" {
		return nil
	}
	return url.Values{"redirect_to": {to}}
}

// pkceChallenge, in PKCE flow, creates and stores a code verifier and returns
// the challenge and method to send; in implicit flow it returns "", "".
func (c *Client) pkceChallenge(ctx context.Context, recovery bool) (challenge, method string, err error) {
	if c.opts.FlowType != FlowPKCE {
		return "", "", nil
	}
	v, err := GenerateCodeVerifier()
	if err != nil {
		return "", "", err
	}
	if err := c.saveCodeVerifier(ctx, v, recovery); err != nil {
		return "", "", err
	}
	return CodeChallengeS256(v), CodeChallengeMethodS256, nil
}

// adoptSession saves a session obtained by a sign-in and emits ev, under the
// lock.
func (c *Client) adoptSession(ctx context.Context, s *Session, ev Event) error {
	return c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		if err := c.saveSession(ctx, s); err != nil {
			return err
		}
		c.events.emit(ev, s)
		return nil
	})
}

// authResponseFrom reads an answer that is either a session (access_token
// and user) or a bare user (sign-up awaiting confirmation), as /signup and
// /verify answer.
func (c *Client) authResponseFrom(body []byte) (*AuthResponse, error) {
	var probe struct {
		AccessToken *string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, &UnknownError{AuthError: AuthError{Name: NameUnknownError, Message: "unexpected answer from the server: " + err.Error()}, Err: err}
	}
	if probe.AccessToken != nil {
		var tr tokenResponse
		if err := json.Unmarshal(body, &tr); err != nil {
			return nil, &UnknownError{AuthError: AuthError{Name: NameUnknownError, Message: "unexpected answer from the server: " + err.Error()}, Err: err}
		}
		s, err := c.sessionFromTokenResponse(&tr)
		if err != nil {
			return nil, err
		}
		return &AuthResponse{User: s.User, Session: s, WeakPassword: tr.WeakPassword}, nil
	}
	var u User
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &u); err != nil {
			return nil, &UnknownError{AuthError: AuthError{Name: NameUnknownError, Message: "unexpected answer from the server: " + err.Error()}, Err: err}
		}
	}
	return &AuthResponse{User: u}, nil
}

// tokenGrant posts to /token?grant_type=grant and returns the session answer.
func (c *Client) tokenGrant(ctx context.Context, grant string, body any) (*AuthResponse, error) {
	var tr tokenResponse
	if _, err := c.Do(ctx, Request{Method: "POST", Path: "/token", Query: url.Values{"grant_type": {grant}}, Body: body}, &tr); err != nil {
		return nil, err
	}
	s, err := c.sessionFromTokenResponse(&tr)
	if err != nil {
		return nil, err
	}
	return &AuthResponse{User: s.User, Session: s, WeakPassword: tr.WeakPassword}, nil
}
