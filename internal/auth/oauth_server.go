package auth

import (
	"context"
	"net/url"
)

// OAuthAPI is the spec's oauth namespace (§9): the signed-in user's side of
// the project's OAuth 2.1 server (consent and grants). Get it with
// Client.OAuth(). The paths are the real server's (/oauth/authorizations/…,
// /user/oauth/grants), not the spec's out-of-date §19 ones. Every method needs
// a session (none → *SessionMissingError).
type OAuthAPI struct{ c *Client }

// OAuth returns the OAuth 2.1 server namespace of c.
func (c *Client) OAuth() *OAuthAPI { return &OAuthAPI{c: c} }

// OAuthAuthorizationClient describes the client asking for access.
type OAuthAuthorizationClient struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	URI     string `json:"uri,omitempty"`
	LogoURI string `json:"logo_uri,omitempty"`
}

// OAuthAuthorizationUser is the user the authorization is for.
type OAuthAuthorizationUser struct {
	ID    string `json:"id"`
	Email string `json:"email,omitempty"`
}

// OAuthAuthorization is oauth.getAuthorizationDetails' result (§9.1): either
// the details a consent screen shows, or, when the user already consented
// to these scopes, only RedirectURL (the client's redirect with a code).
type OAuthAuthorization struct {
	AuthorizationID string                   `json:"authorization_id,omitempty"`
	RedirectURI     string                   `json:"redirect_uri,omitempty"`
	Client          OAuthAuthorizationClient `json:"client"`
	User            OAuthAuthorizationUser   `json:"user"`
	// Scope is space-separated.
	Scope string `json:"scope,omitempty"`
	// RedirectURL is set when no consent is needed any more.
	RedirectURL string `json:"redirect_url,omitempty"`
}

// AlreadyApproved reports whether the server answered with a redirect (the
// user consented before) instead of details to consent to.
func (a *OAuthAuthorization) AlreadyApproved() bool { return a.RedirectURL != "" }

// OAuthGrant is a client the user has granted access to (§9.4).
type OAuthGrant struct {
	Client    OAuthAuthorizationClient `json:"client"`
	Scopes    []string                 `json:"scopes"`
	GrantedAt string                   `json:"granted_at"`
}

func authorizationPath(id string) string { return "/oauth/authorizations/" + url.PathEscape(id) }

// GetAuthorizationDetails reads a pending authorization (§9.1): GET
// /oauth/authorizations/{id}, the id being the authorization_id the server
// put in the consent page URL.
func (o *OAuthAPI) GetAuthorizationDetails(ctx context.Context, authorizationID string) (*OAuthAuthorization, error) {
	if authorizationID == "" {
		return nil, errInvalidCredentials("You must provide an authorization id")
	}
	var out OAuthAuthorization
	err := o.c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := o.c.Do(ctx, Request{Method: "GET", Path: authorizationPath(authorizationID), Token: token}, &out)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ApproveAuthorization consents (§9.2): POST
// /oauth/authorizations/{id}/consent with {"action":"approve"}. It returns
// the client's redirect URL carrying the authorization code and state.
func (o *OAuthAPI) ApproveAuthorization(ctx context.Context, authorizationID string) (string, error) {
	return o.consent(ctx, authorizationID, "approve")
}

// DenyAuthorization refuses (§9.3): the same call with {"action":"deny"}. The
// returned redirect URL carries error=access_denied for the client.
func (o *OAuthAPI) DenyAuthorization(ctx context.Context, authorizationID string) (string, error) {
	return o.consent(ctx, authorizationID, "deny")
}

func (o *OAuthAPI) consent(ctx context.Context, authorizationID, action string) (string, error) {
	if authorizationID == "" {
		return "", errInvalidCredentials("You must provide an authorization id")
	}
	var out struct {
		RedirectURL string `json:"redirect_url"`
	}
	err := o.c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := o.c.Do(ctx, Request{
			Method: "POST",
			Path:   authorizationPath(authorizationID) + "/consent",
			Body:   map[string]string{"action": action},
			Token:  token,
		}, &out)
		return err
	})
	if err != nil {
		return "", err
	}
	return out.RedirectURL, nil
}

// ListGrants lists the clients the user has granted access to (§9.4): GET
// /user/oauth/grants. No grants → an empty slice.
func (o *OAuthAPI) ListGrants(ctx context.Context) ([]OAuthGrant, error) {
	var out []OAuthGrant
	err := o.c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := o.c.Do(ctx, Request{Method: "GET", Path: "/user/oauth/grants", Token: token}, &out)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []OAuthGrant{}
	}
	return out, nil
}

// RevokeGrant withdraws a client's access (§9.5): DELETE
// /user/oauth/grants?client_id=…. The server also ends the client's sessions
// and refresh tokens for this user.
func (o *OAuthAPI) RevokeGrant(ctx context.Context, clientID string) error {
	if clientID == "" {
		return errInvalidCredentials("You must provide a client id")
	}
	return o.c.withSessionToken(ctx, func(ctx context.Context, token string) error {
		_, err := o.c.Do(ctx, Request{Method: "DELETE", Path: "/user/oauth/grants", Query: url.Values{"client_id": {clientID}}, Token: token}, nil)
		return err
	})
}
