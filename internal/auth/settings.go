package auth

import (
	"context"
	"net/http"
	"time"
)

// Settings is the server's public configuration (GET /settings): which
// sign-in methods are on, before anyone tries one. The server does not
// publish its MFA settings here.
type Settings struct {
	// External maps each sign-in method to whether it is on: the OAuth
	// providers, "email", "phone" and "anonymous_users". A map, not a struct:
	// the server adds providers over time.
	External                     map[string]bool `json:"external"`
	DisableSignup                bool            `json:"disable_signup"`
	MailerAutoconfirm            bool            `json:"mailer_autoconfirm"`
	PhoneAutoconfirm             bool            `json:"phone_autoconfirm"`
	SMSProvider                  string          `json:"sms_provider"`
	SAMLEnabled                  bool            `json:"saml_enabled"`
	SAMLPrivateKeyNextConfigured bool            `json:"saml_private_key_next_configured"`
	PasskeysEnabled              bool            `json:"passkeys_enabled"`
}

// GetSettings reads GET /settings. It needs no session, only the API key.
func (c *Client) GetSettings(ctx context.Context) (*Settings, error) {
	var s Settings
	if _, err := c.Do(ctx, Request{Method: "GET", Path: "/settings"}, &s); err != nil {
		return nil, err
	}
	if s.External == nil {
		s.External = map[string]bool{}
	}
	return &s, nil
}

// Health is the answer of GET /health, with the server's clock as its Date
// header gave it.
type Health struct {
	Version     string `json:"version"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Date is the server's Date header (zero when absent or unreadable);
	// its resolution is one second.
	Date time.Time `json:"-"`
}

// Health asks the server whether it is up: GET /health.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var h Health
	resp, err := c.Do(ctx, Request{Method: "GET", Path: "/health"}, &h)
	if err != nil {
		return nil, err
	}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		h.Date = d
	}
	return &h, nil
}
