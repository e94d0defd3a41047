package auth

import (
	"cmp"
	"context"
	"net/url"
	"strconv"
)

// SessionFromURL completes a redirect-based flow from the URL the browser
// was sent back to: the spec's URL detection of initialize() (§6.1), which a
// CLI does explicitly on the URL its loopback listener received (or one the
// user pasted).
//
//   - error / error_description / error_code in the query or fragment →
//     *ImplicitGrantRedirectError, or *PKCEGrantCodeExchangeError in PKCE
//     flow, with the server's code and description; nothing is stored or
//     removed (a failed link attempt must not sign the user out);
//   - ?code=… → ExchangeCodeForSession;
//   - #access_token=…&refresh_token=…&expires_in=… (implicit flow, email
//     links) → GET /user for the user, the session is saved and SIGNED_IN
//     emitted, plus PASSWORD_RECOVERY for type=recovery or invite;
//   - anything else → *ImplicitGrantRedirectError.
func (c *Client) SessionFromURL(ctx context.Context, callbackURL string) (*AuthResponse, error) {
	u, err := url.Parse(callbackURL)
	if err != nil {
		return nil, c.redirectError("invalid_request", "The callback URL does not parse", "")
	}
	q := u.Query()
	frag, _ := url.ParseQuery(u.Fragment)
	for _, v := range []url.Values{q, frag} {
		if v.Get("error") != "" || v.Get("error_description") != "" || v.Get("error_code") != "" {
			return nil, c.redirectError(v.Get("error"), v.Get("error_description"), v.Get("error_code"))
		}
	}
	if code := q.Get("code"); code != "" {
		return c.ExchangeCodeForSession(ctx, code)
	}
	if frag.Get("access_token") == "" {
		return nil, c.redirectError("invalid_request", "No session defined in the URL", "")
	}
	s, err := c.sessionFromFragment(frag)
	if err != nil {
		return nil, err
	}
	user, err := c.fetchUser(ctx, s.AccessToken)
	if err != nil {
		return nil, err
	}
	s.User = *user
	if err := c.adoptSession(ctx, s, EventSignedIn); err != nil {
		return nil, err
	}
	if t := frag.Get("type"); t == string(OTPRecovery) || t == string(OTPInvite) {
		c.events.emit(EventPasswordRecovery, s)
	}
	return &AuthResponse{User: s.User, Session: s}, nil
}

func (c *Client) sessionFromFragment(f url.Values) (*Session, error) {
	s := &Session{
		AccessToken:          f.Get("access_token"),
		RefreshToken:         f.Get("refresh_token"),
		TokenType:            cmp.Or(f.Get("token_type"), "bearer"),
		ProviderToken:        f.Get("provider_token"),
		ProviderRefreshToken: f.Get("provider_refresh_token"),
	}
	in, err := strconv.ParseInt(f.Get("expires_in"), 10, 64)
	if s.RefreshToken == "" || err != nil || in <= 0 {
		return nil, c.redirectError("invalid_request", "No session defined in the URL", "")
	}
	s.ExpiresIn = in
	s.ExpiresAt = c.now().Unix() + in
	if at, err := strconv.ParseInt(f.Get("expires_at"), 10, 64); err == nil && at > 0 {
		s.ExpiresAt = at
	}
	return s, nil
}

// redirectError builds the flow's callback error. Server-provided text is
// kept (it is the server's own explanation) but never a token.
func (c *Client) redirectError(errParam, desc, code string) error {
	msg := desc
	if msg == "" {
		msg = errParam
	}
	if msg == "" {
		msg = "The redirect carried an error"
	}
	msg = redactText(msg)
	if code == "" {
		code = errParam
	}
	base := AuthError{Message: msg, Status: 500, Code: code}
	if c.opts.FlowType == FlowPKCE {
		base.Name = NamePKCEGrantCodeExchangeErr
		return &PKCEGrantCodeExchangeError{AuthError: base, ErrorParam: errParam, Description: desc}
	}
	base.Name = NameImplicitGrantRedirectErr
	return &ImplicitGrantRedirectError{AuthError: base, ErrorParam: errParam, Description: desc}
}
