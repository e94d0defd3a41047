package auth

import "context"

// Settings is the public configuration GET /settings reports: which sign-in
// methods are on. External holds the OAuth providers and also "email",
// "phone" and "anonymous_users".
type Settings struct {
	External          map[string]bool `json:"external"`
	DisableSignup     bool            `json:"disable_signup"`
	MailerAutoconfirm bool            `json:"mailer_autoconfirm"`
	PhoneAutoconfirm  bool            `json:"phone_autoconfirm"`
	SAMLEnabled       bool            `json:"saml_enabled"`
}

// GetSettings reads GET /settings. It needs no session, only the API key.
func (c *Client) GetSettings(ctx context.Context) (*Settings, error) {
	var s Settings
	if _, err := c.Do(ctx, Request{Method: "GET", Path: "/settings"}, &s); err != nil {
		return nil, err
	}
	return &s, nil
}
