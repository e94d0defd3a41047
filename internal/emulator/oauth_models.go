package emulator

import "time"

// oauthClient is a client registered with the OAuth 2.1 server.
type oauthClient struct {
	ID                      string    `json:"client_id"`
	SecretHash              string    `json:"secret_hash,omitempty"`
	ClientType              string    `json:"client_type"`
	RedirectURIs            []string  `json:"redirect_uris"`
	TokenEndpointAuthMethod string    `json:"token_endpoint_auth_method"`
	GrantTypes              []string  `json:"grant_types"`
	ResponseTypes           []string  `json:"response_types"`
	ClientName              string    `json:"client_name,omitempty"`
	ClientURI               string    `json:"client_uri,omitempty"`
	LogoURI                 string    `json:"logo_uri,omitempty"`
	RegistrationType        string    `json:"registration_type"`
	CreatedAt               time.Time `json:"created_at"`
	UpdatedAt               time.Time `json:"updated_at"`
}

// oauthAuthorization is a pending or decided authorization request.
type oauthAuthorization struct {
	ID                  string    `json:"id"`
	ClientID            string    `json:"client_id"`
	UserID              string    `json:"user_id,omitempty"`
	RedirectURI         string    `json:"redirect_uri"`
	Scope               string    `json:"scope"`
	State               string    `json:"state,omitempty"`
	CodeChallenge       string    `json:"code_challenge"`
	CodeChallengeMethod string    `json:"code_challenge_method"`
	Code                string    `json:"code,omitempty"`
	Status              string    `json:"status"` // pending, approved, denied, used
	CreatedAt           time.Time `json:"created_at"`
}

// oauthGrant is a user's consent to a client for some scopes.
type oauthGrant struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	ClientID  string    `json:"client_id"`
	Scopes    []string  `json:"scopes"`
	GrantedAt time.Time `json:"granted_at"`
}
