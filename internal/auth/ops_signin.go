package auth

import (
	"cmp"
	"context"
)

// SignUpCredentials are signUp's credentials (§6.2): Email or Phone (not
// both) and Password.
type SignUpCredentials struct {
	Email, Phone, Password string
	// Data becomes user_metadata.
	Data map[string]any
	// EmailRedirectTo is where the confirmation link leads.
	EmailRedirectTo string
	CaptchaToken    string
	// Channel for phone sign-ups: "sms" (default) or "whatsapp".
	Channel string
}

// SignUp creates a user (§6.2). With autoconfirm on, the answer carries a
// session, which is saved (SIGNED_IN); otherwise Session is nil until the
// user confirms. Neither or both of Email and Phone →
// *InvalidCredentialsError, nothing sent. In PKCE flow the request carries a
// code challenge.
func (c *Client) SignUp(ctx context.Context, cr SignUpCredentials) (*AuthResponse, error) {
	if (cr.Email == "") == (cr.Phone == "") {
		return nil, errInvalidCredentials("You must provide either an email or phone number and a password")
	}
	body := map[string]any{"password": cr.Password}
	if cr.Data != nil {
		body["data"] = cr.Data
	}
	if m := captcha(cr.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	if cr.Email != "" {
		body["email"] = cr.Email
		ch, method, err := c.pkceChallenge(ctx, false)
		if err != nil {
			return nil, err
		}
		if ch != "" {
			body["code_challenge"], body["code_challenge_method"] = ch, method
		}
	} else {
		body["phone"] = cr.Phone
		body["channel"] = cmp.Or(cr.Channel, "sms")
	}
	return c.signUpRequest(ctx, body, cr.EmailRedirectTo)
}

func (c *Client) signUpRequest(ctx context.Context, body map[string]any, redirectTo string) (*AuthResponse, error) {
	resp, err := c.Do(ctx, Request{Method: "POST", Path: "/signup", Query: redirectQuery(redirectTo), Body: body}, nil)
	if err != nil {
		return nil, err
	}
	ar, err := c.authResponseFrom(resp.Body)
	if err != nil {
		return nil, err
	}
	if ar.Session != nil {
		if err := c.adoptSession(ctx, ar.Session, EventSignedIn); err != nil {
			return nil, err
		}
	}
	return ar, nil
}

// PasswordCredentials are signInWithPassword's credentials (§6.3).
type PasswordCredentials struct {
	Email, Phone, Password string
	CaptchaToken           string
}

// SignInWithPassword signs in with an email or phone and a password (§6.3):
// the session is saved and SIGNED_IN emitted. WeakPassword is set when the
// password no longer meets the policy. Neither email nor phone →
// *InvalidCredentialsError.
func (c *Client) SignInWithPassword(ctx context.Context, cr PasswordCredentials) (*AuthResponse, error) {
	body := map[string]any{"password": cr.Password}
	switch {
	case cr.Email != "":
		body["email"] = cr.Email
	case cr.Phone != "":
		body["phone"] = cr.Phone
	default:
		return nil, errInvalidCredentials("You must provide either an email or phone number and a password")
	}
	if m := captcha(cr.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	return c.signIn(ctx, "password", body)
}

func (c *Client) signIn(ctx context.Context, grant string, body any) (*AuthResponse, error) {
	ar, err := c.tokenGrant(ctx, grant, body)
	if err != nil {
		return nil, err
	}
	if err := c.adoptSession(ctx, ar.Session, EventSignedIn); err != nil {
		return nil, err
	}
	return ar, nil
}

// IDTokenCredentials are signInWithIdToken's credentials (§6.7).
type IDTokenCredentials struct {
	// Provider: "google", "apple", "azure", "facebook", "kakao" or a custom
	// OIDC provider name.
	Provider string
	// Token is the OIDC ID token.
	Token string
	// AccessToken is needed when the ID token has an at_hash claim.
	AccessToken string
	// Nonce is needed when the ID token has a nonce claim.
	Nonce        string
	CaptchaToken string
}

// SignInWithIDToken signs in with a third-party OIDC ID token (§6.7).
func (c *Client) SignInWithIDToken(ctx context.Context, cr IDTokenCredentials) (*AuthResponse, error) {
	body, err := idTokenBody(cr)
	if err != nil {
		return nil, err
	}
	return c.signIn(ctx, "id_token", body)
}

// idTokenBody is the /token?grant_type=id_token body of cr, shared by
// SignInWithIDToken and LinkIdentityIDToken.
func idTokenBody(cr IDTokenCredentials) (map[string]any, error) {
	if cr.Provider == "" || cr.Token == "" {
		return nil, errInvalidCredentials("You must provide a provider and an ID token")
	}
	body := map[string]any{"provider": cr.Provider, "id_token": cr.Token}
	if cr.AccessToken != "" {
		body["access_token"] = cr.AccessToken
	}
	if cr.Nonce != "" {
		body["nonce"] = cr.Nonce
	}
	if m := captcha(cr.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	return body, nil
}

// SignInAnonymously creates an anonymous user and signs in (§6.10): POST
// /signup without email or phone. data becomes user_metadata. When the server
// has anonymous sign-ins off the error is an *APIError with code
// anonymous_provider_disabled.
func (c *Client) SignInAnonymously(ctx context.Context, data map[string]any, captchaToken string) (*AuthResponse, error) {
	body := map[string]any{}
	if data != nil {
		body["data"] = data
	}
	if m := captcha(captchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	ar, err := c.signUpRequest(ctx, body, "")
	if err != nil {
		return nil, err
	}
	if ar.Session == nil {
		return nil, errInvalidTokenResponse()
	}
	return ar, nil
}
