package auth

import (
	"context"
	"net/url"
	"strings"
)

// OAuthParams are signInWithOAuth's credentials (§6.4).
type OAuthParams struct {
	// Provider is an OAuth provider name ("github", "google", ...).
	Provider string
	// RedirectTo is where the server sends the browser back; the CLI uses a
	// loopback URL on 127.0.0.1.
	RedirectTo string
	// Scopes is space-separated.
	Scopes string
	// QueryParams are appended to the URL as they are.
	QueryParams map[string]string
	// SkipBrowserRedirect appends skip_http_redirect=true.
	SkipBrowserRedirect bool
}

// OAuthURL is where to send the user's browser.
type OAuthURL struct {
	Provider string
	URL      string
}

// SignInWithOAuth builds the /authorize URL (§6.4) without any HTTP request
// and without creating a session. In PKCE flow it stores a fresh code
// verifier (which is why it takes a context) and adds code_challenge and
// code_challenge_method; the session comes later from
// ExchangeCodeForSession.
func (c *Client) SignInWithOAuth(ctx context.Context, p OAuthParams) (*OAuthURL, error) {
	if p.Provider == "" {
		return nil, errInvalidCredentials("You must provide an OAuth provider")
	}
	q := url.Values{"provider": {p.Provider}}
	u, err := c.redirectURL(ctx, "/authorize", q, p)
	if err != nil {
		return nil, err
	}
	return &OAuthURL{Provider: p.Provider, URL: u}, nil
}

func (c *Client) redirectURL(ctx context.Context, path string, q url.Values, p OAuthParams) (string, error) {
	if p.RedirectTo != "" {
		q.Set("redirect_to", p.RedirectTo)
	}
	if p.Scopes != "" {
		q.Set("scopes", p.Scopes)
	}
	ch, method, err := c.pkceChallenge(ctx, false)
	if err != nil {
		return "", err
	}
	if ch != "" {
		q.Set("code_challenge", ch)
		q.Set("code_challenge_method", method)
	}
	for k, v := range p.QueryParams {
		q.Set(k, v)
	}
	if p.SkipBrowserRedirect {
		q.Set("skip_http_redirect", "true")
	}
	u := *c.baseURL
	u.Path = c.baseURL.Path + path
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// LinkIdentity starts linking an OAuth identity to the signed-in user
// (§6.20): GET /user/identities/authorize with the session's token and
// skip_http_redirect, which answers the provider URL to open. In PKCE flow a
// verifier is stored as for SignInWithOAuth.
func (c *Client) LinkIdentity(ctx context.Context, p OAuthParams) (*OAuthURL, error) {
	if p.Provider == "" {
		return nil, errInvalidCredentials("You must provide an OAuth provider")
	}
	p.SkipBrowserRedirect = true
	var out *OAuthURL
	err := c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		raw, err := c.redirectURL(ctx, "/user/identities/authorize", url.Values{"provider": {p.Provider}}, p)
		if err != nil {
			return err
		}
		u, _ := url.Parse(raw)
		var body struct {
			URL string `json:"url"`
		}
		if _, err := c.Do(ctx, Request{Method: "GET", Path: "/user/identities/authorize", Query: u.Query(), Token: token}, &body); err != nil {
			return err
		}
		out = &OAuthURL{Provider: p.Provider, URL: body.URL}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SSOParams are signInWithSSO's params (§6.8): ProviderID or Domain.
type SSOParams struct {
	ProviderID   string
	Domain       string
	RedirectTo   string
	CaptchaToken string
}

// SignInWithSSO asks the server for the identity provider URL of an SSO
// connection (§6.8). It never creates a session. The request always carries
// skip_http_redirect so the server answers JSON instead of a redirect.
func (c *Client) SignInWithSSO(ctx context.Context, p SSOParams) (string, error) {
	body := map[string]any{"skip_http_redirect": true}
	switch {
	case p.ProviderID != "":
		body["provider_id"] = p.ProviderID
	case p.Domain != "":
		body["domain"] = p.Domain
	default:
		return "", errInvalidCredentials("You must provide either a providerId or domain")
	}
	if p.RedirectTo != "" {
		body["redirect_to"] = p.RedirectTo
	}
	if m := captcha(p.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	ch, method, err := c.pkceChallenge(ctx, false)
	if err != nil {
		return "", err
	}
	if ch != "" {
		body["code_challenge"], body["code_challenge_method"] = ch, method
	}
	var out struct {
		URL string `json:"url"`
	}
	if _, err := c.Do(ctx, Request{Method: "POST", Path: "/sso", Body: body}, &out); err != nil {
		return "", err
	}
	return out.URL, nil
}

// ExchangeCodeForSession trades a PKCE auth code for a session (§6.11),
// using the verifier stored by the call that started the flow. No stored
// verifier → *PKCEGrantCodeExchangeError, nothing sent. The verifier is
// removed whatever happens (it is single-use). On success the session is
// saved and SIGNED_IN emitted, or PASSWORD_RECOVERY when the flow was started
// by ResetPasswordForEmail.
func (c *Client) ExchangeCodeForSession(ctx context.Context, authCode string) (*AuthResponse, error) {
	var out *AuthResponse
	err := c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
		stored, ok, err := c.loadCodeVerifier(ctx)
		if err != nil {
			return err
		}
		if rmErr := c.storage.RemoveItem(ctx, c.codeVerifierKey()); rmErr != nil {
			c.debug("auth: removing the PKCE code verifier failed", "error", rmErr.Error())
		}
		if !ok {
			return &PKCEGrantCodeExchangeError{AuthError: AuthError{
				Name:    NamePKCEGrantCodeExchangeErr,
				Message: "PKCE code verifier not found in storage. The code exchange must run where the flow started (same storage).",
				Status:  400,
			}}
		}
		verifier, recovery := strings.CutSuffix(stored, passwordRecoverySuffix)
		ar, err := c.tokenGrant(ctx, "pkce", map[string]string{"auth_code": authCode, "code_verifier": verifier})
		if err != nil {
			return err
		}
		if err := c.saveSession(ctx, ar.Session); err != nil {
			return err
		}
		if recovery {
			c.events.emit(EventPasswordRecovery, ar.Session)
		} else {
			c.events.emit(EventSignedIn, ar.Session)
		}
		out = ar
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CheckOAuthProvider asks GET /authorize whether the server would start a
// sign-in with provider, without following its redirect to the provider: nil
// when it would, else the server's refusal as an *APIError ("Unsupported
// provider: provider is not enabled"). It sends no PKCE challenge and no
// redirect_to, so the question leaves no flow state on the server.
func (c *Client) CheckOAuthProvider(ctx context.Context, provider string) error {
	_, err := c.Do(ctx, Request{Method: "GET", Path: "/authorize", Query: url.Values{"provider": {provider}}, NoRedirect: true}, nil)
	return err
}
