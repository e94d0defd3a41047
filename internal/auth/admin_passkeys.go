package auth

import (
	"context"
	"net/url"
)

// Passkey is a user's passkey (a discoverable WebAuthn credential) as the
// server describes it; the key itself stays with the server.
type Passkey struct {
	ID           string  `json:"id"`
	FriendlyName string  `json:"friendly_name,omitempty"`
	CreatedAt    string  `json:"created_at"`
	LastUsedAt   *string `json:"last_used_at,omitempty"`
}

// AdminPasskeysAPI is other users' passkeys, with the service-role key
// (beyond the spec: the server's /admin/users/{id}/passkeys). Get it with
// Client.Admin().Passkeys().
type AdminPasskeysAPI struct{ a *AdminAPI }

// Passkeys returns the admin passkeys namespace.
func (a *AdminAPI) Passkeys() *AdminPasskeysAPI { return &AdminPasskeysAPI{a: a} }

// ListPasskeys lists a user's passkeys, oldest first: GET
// /admin/users/{id}/passkeys. The server answers this whether or not
// passkeys are enabled.
func (p *AdminPasskeysAPI) ListPasskeys(ctx context.Context, userID string) ([]Passkey, error) {
	if err := requireID("a user id", userID); err != nil {
		return nil, err
	}
	out := []Passkey{}
	if _, err := p.a.do(ctx, Request{Method: "GET", Path: userPath(userID) + "/passkeys"}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// DeletePasskey removes a user's passkey (a lost device): DELETE
// /admin/users/{id}/passkeys/{passkey_id}, answered 204 with no body.
func (p *AdminPasskeysAPI) DeletePasskey(ctx context.Context, userID, passkeyID string) error {
	if err := requireID("a user id", userID); err != nil {
		return err
	}
	if err := requireID("a passkey id", passkeyID); err != nil {
		return err
	}
	_, err := p.a.do(ctx, Request{Method: "DELETE", Path: userPath(userID) + "/passkeys/" + url.PathEscape(passkeyID)}, nil)
	return err
}
