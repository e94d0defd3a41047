package auth

import (
	"context"
	"net/url"
)

// AdminMFAAPI is admin.mfa: other users' MFA factors, with the service-role
// key. Get it with Client.Admin().MFA().
type AdminMFAAPI struct{ a *AdminAPI }

// MFA returns the admin MFA namespace.
func (a *AdminAPI) MFA() *AdminMFAAPI { return &AdminMFAAPI{a: a} }

func factorPath(userID, factorID string) string {
	return userPath(userID) + "/factors/" + url.PathEscape(factorID)
}

// ListFactors lists a user's factors, verified or not: GET
// /admin/users/{id}/factors.
func (m *AdminMFAAPI) ListFactors(ctx context.Context, userID string) ([]Factor, error) {
	if err := requireID("a user id", userID); err != nil {
		return nil, err
	}
	var out []Factor
	if _, err := m.a.do(ctx, Request{Method: "GET", Path: userPath(userID) + "/factors"}, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []Factor{}
	}
	return out, nil
}

// DeleteFactor removes a factor of a user (a lost authenticator): DELETE
// /admin/users/{id}/factors/{factor_id}. It returns the deleted factor.
func (m *AdminMFAAPI) DeleteFactor(ctx context.Context, userID, factorID string) (*Factor, error) {
	if err := requireID("a user id", userID); err != nil {
		return nil, err
	}
	if err := requireID("a factor id", factorID); err != nil {
		return nil, err
	}
	var f Factor
	if _, err := m.a.do(ctx, Request{Method: "DELETE", Path: factorPath(userID, factorID)}, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// UpdateFactor renames a user's factor: PUT
// /admin/users/{id}/factors/{factor_id} with friendly_name.
func (m *AdminMFAAPI) UpdateFactor(ctx context.Context, userID, factorID, friendlyName string) (*Factor, error) {
	if err := requireID("a user id", userID); err != nil {
		return nil, err
	}
	if err := requireID("a factor id", factorID); err != nil {
		return nil, err
	}
	var f Factor
	body := map[string]string{"friendly_name": friendlyName}
	if _, err := m.a.do(ctx, Request{Method: "PUT", Path: factorPath(userID, factorID), Body: body}, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// AdminOAuthAPI manages the project's OAuth 2.1 client registry
// (/admin/oauth/clients) with the service-role key. Get it with
// Client.Admin().OAuth().
type AdminOAuthAPI struct{ a *AdminAPI }

// OAuth returns the admin OAuth client registry namespace.
func (a *AdminAPI) OAuth() *AdminOAuthAPI { return &AdminOAuthAPI{a: a} }

func clientPath(id string) string { return "/admin/oauth/clients/" + url.PathEscape(id) }

// ListClients returns one page of registered clients: GET
// /admin/oauth/clients (page and per_page when non-zero).
func (o *AdminOAuthAPI) ListClients(ctx context.Context, p PageParams) (*OAuthClientList, error) {
	var out OAuthClientList
	resp, err := o.a.do(ctx, Request{Method: "GET", Path: "/admin/oauth/clients", Query: pageQuery(p.Page, p.PerPage), MaxResponseBytes: adminListMaxBytes}, &out)
	if err != nil {
		return nil, err
	}
	if out.Clients == nil {
		out.Clients = []OAuthClient{}
	}
	out.Total = totalCount(resp.Header)
	if out.Total == 0 && resp.Header.Get("X-Total-Count") == "" {
		out.Total = len(out.Clients)
	}
	out.NextPage, out.LastPage = LinkPages(resp.Header)
	return &out, nil
}

// CreateClient registers a client: POST /admin/oauth/clients. For a
// confidential client the answer carries client_secret, which the server
// never shows again.
func (o *AdminOAuthAPI) CreateClient(ctx context.Context, p OAuthClientParams) (*OAuthClient, error) {
	var c OAuthClient
	if _, err := o.a.do(ctx, Request{Method: "POST", Path: "/admin/oauth/clients", Body: p}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// GetClient fetches a client: GET /admin/oauth/clients/{id}.
func (o *AdminOAuthAPI) GetClient(ctx context.Context, clientID string) (*OAuthClient, error) {
	if err := requireID("a client id", clientID); err != nil {
		return nil, err
	}
	var c OAuthClient
	if _, err := o.a.do(ctx, Request{Method: "GET", Path: clientPath(clientID)}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// UpdateClient changes a client: PUT /admin/oauth/clients/{id}. Empty fields
// of p keep their value.
func (o *AdminOAuthAPI) UpdateClient(ctx context.Context, clientID string, p OAuthClientParams) (*OAuthClient, error) {
	if err := requireID("a client id", clientID); err != nil {
		return nil, err
	}
	var c OAuthClient
	if _, err := o.a.do(ctx, Request{Method: "PUT", Path: clientPath(clientID), Body: p}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// DeleteClient removes a client: DELETE /admin/oauth/clients/{id}.
func (o *AdminOAuthAPI) DeleteClient(ctx context.Context, clientID string) error {
	if err := requireID("a client id", clientID); err != nil {
		return err
	}
	_, err := o.a.do(ctx, Request{Method: "DELETE", Path: clientPath(clientID)}, nil)
	return err
}

// RegenerateClientSecret issues a new secret for a confidential client (the
// old one stops working): POST /admin/oauth/clients/{id}/regenerate_secret.
func (o *AdminOAuthAPI) RegenerateClientSecret(ctx context.Context, clientID string) (*OAuthClient, error) {
	if err := requireID("a client id", clientID); err != nil {
		return nil, err
	}
	var c OAuthClient
	if _, err := o.a.do(ctx, Request{Method: "POST", Path: clientPath(clientID) + "/regenerate_secret", Body: map[string]any{}}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}
