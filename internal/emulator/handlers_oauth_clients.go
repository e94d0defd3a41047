package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"

	"github.com/google/uuid"
)

type clientParams struct {
	ClientName              *string  `json:"client_name"`
	ClientURI               *string  `json:"client_uri"`
	LogoURI                 *string  `json:"logo_uri"`
	RedirectURIs            []string `json:"redirect_uris"`
	TokenEndpointAuthMethod *string  `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ClientType              string   `json:"client_type"`
}

// validateURIs checks client_uri and logo_uri like the server: optional,
// at most 2048 characters, and an absolute URL or path.
func (p *clientParams) validateURIs() error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"client_uri", p.ClientURI}, {"logo_uri", p.LogoURI}} {
		if f.v == nil || *f.v == "" {
			continue
		}
		if len(*f.v) > 2048 {
			return validation("%s cannot exceed 2048 characters", f.name)
		}
		if _, err := url.ParseRequestURI(*f.v); err != nil {
			return validation("%s must be a valid URL", f.name)
		}
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newClientSecret() string {
	return base64.RawURLEncoding.EncodeToString([]byte(randomToken(32)))[:43]
}

// clientJSON renders a client; secret is shown only when just generated.
func clientJSON(c *oauthClient, secret string) obj {
	o := obj{{"client_id", c.ID}}
	o = o.addStr("client_secret", secret)
	o = o.add("client_type", c.ClientType).add("redirect_uris", c.RedirectURIs).
		add("token_endpoint_auth_method", c.TokenEndpointAuthMethod).add("grant_types", c.GrantTypes).
		add("response_types", c.ResponseTypes)
	o = o.addStr("client_name", c.ClientName).addStr("client_uri", c.ClientURI).addStr("logo_uri", c.LogoURI)
	return o.add("registration_type", c.RegistrationType).add("created_at", fmtTime(c.CreatedAt)).
		add("updated_at", fmtTime(c.UpdatedAt))
}

// registerClient creates a client from params (admin or dynamic registration).
func (s *Server) registerClient(w http.ResponseWriter, r *http.Request, registration string) error {
	var p clientParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if len(p.RedirectURIs) == 0 {
		return validation("400: redirect_uris is required")
	}
	if err := p.validateURIs(); err != nil {
		return err
	}
	now := s.now()
	c := &oauthClient{ID: newID(), RedirectURIs: p.RedirectURIs, GrantTypes: p.GrantTypes,
		ResponseTypes: []string{"code"}, RegistrationType: registration, CreatedAt: now, UpdatedAt: now,
		TokenEndpointAuthMethod: deref(p.TokenEndpointAuthMethod), ClientType: p.ClientType,
		ClientName: deref(p.ClientName), ClientURI: deref(p.ClientURI), LogoURI: deref(p.LogoURI)}
	if len(c.GrantTypes) == 0 {
		c.GrantTypes = []string{"authorization_code", "refresh_token"}
	}
	switch {
	case c.TokenEndpointAuthMethod == "none" || c.ClientType == "public":
		c.ClientType, c.TokenEndpointAuthMethod = "public", "none"
	default:
		c.ClientType = "confidential"
		if c.TokenEndpointAuthMethod == "" {
			c.TokenEndpointAuthMethod = "client_secret_basic"
		}
	}
	secret := ""
	if c.ClientType == "confidential" {
		secret = newClientSecret()
		c.SecretHash = hashSecret(secret)
	}
	s.st.OAuthClients[c.ID] = c
	writeJSON(w, http.StatusCreated, clientJSON(c, secret))
	return nil
}

func (s *Server) handleAdminCreateClient(w http.ResponseWriter, r *http.Request) error {
	return s.registerClient(w, r, "manual")
}

func (s *Server) handleDynamicRegister(w http.ResponseWriter, r *http.Request) error {
	return s.registerClient(w, r, "dynamic")
}

func (s *Server) handleAdminListClients(w http.ResponseWriter, r *http.Request) error {
	list := make([]*oauthClient, 0, len(s.st.OAuthClients))
	for _, c := range s.st.OAuthClients {
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].CreatedAt.After(list[j].CreatedAt) })
	out := []obj{}
	for _, c := range list {
		out = append(out, clientJSON(c, ""))
	}
	writeJSON(w, http.StatusOK, obj{{"clients", out}})
	return nil
}

// pathClient loads the client named by {client_id}.
func (s *Server) pathClient(r *http.Request) (*oauthClient, error) {
	if _, err := uuid.Parse(r.PathValue("client_id")); err != nil {
		return nil, validation("invalid client_id format")
	}
	c := s.st.OAuthClients[r.PathValue("client_id")]
	if c == nil {
		return nil, notFound("oauth_client_not_found", "OAuth client not found")
	}
	return c, nil
}

func (s *Server) handleAdminGetClient(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathClient(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientJSON(c, ""))
	return nil
}

func (s *Server) handleAdminUpdateClient(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathClient(r)
	if err != nil {
		return err
	}
	var p clientParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.ClientName == nil && p.ClientURI == nil && p.LogoURI == nil && p.RedirectURIs == nil && p.GrantTypes == nil &&
		p.TokenEndpointAuthMethod == nil {
		return validation("No fields provided for update")
	}
	if err := p.validateURIs(); err != nil {
		return err
	}
	all := []string{"none", "client_secret_basic", "client_secret_post"}
	if m := p.TokenEndpointAuthMethod; m != nil && !slices.Contains(all, *m) {
		return validation("invalid token_endpoint_auth_method: must be one of %v", all)
	}
	if m := p.TokenEndpointAuthMethod; m != nil && !slices.Contains(authMethods(c.ClientType), *m) {
		return validation("token_endpoint_auth_method '%s' is not valid for client_type '%s'; valid methods: %v",
			*m, c.ClientType, authMethods(c.ClientType))
	}
	for field, v := range map[*string]*string{&c.ClientName: p.ClientName, &c.ClientURI: p.ClientURI,
		&c.LogoURI: p.LogoURI, &c.TokenEndpointAuthMethod: p.TokenEndpointAuthMethod} {
		if v != nil {
			*field = *v
		}
	}
	if p.RedirectURIs != nil {
		c.RedirectURIs = p.RedirectURIs
	}
	if p.GrantTypes != nil {
		c.GrantTypes = p.GrantTypes
	}
	c.UpdatedAt = s.now()
	writeJSON(w, http.StatusOK, clientJSON(c, ""))
	return nil
}

func (s *Server) handleAdminRegenerateSecret(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathClient(r)
	if err != nil {
		return err
	}
	if c.ClientType != "confidential" {
		return validation("Cannot regenerate secret for public client")
	}
	secret := newClientSecret()
	c.SecretHash, c.UpdatedAt = hashSecret(secret), s.now()
	writeJSON(w, http.StatusOK, clientJSON(c, secret))
	return nil
}

func (s *Server) handleAdminDeleteClient(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathClient(r)
	if err != nil {
		return err
	}
	delete(s.st.OAuthClients, c.ID)
	for id, g := range s.st.OAuthGrants {
		if g.ClientID == c.ID {
			delete(s.st.OAuthGrants, id)
		}
	}
	s.st.deleteSessions(func(x *session) bool { return x.OAuthClientID == c.ID })
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// authMethods are the token endpoint authentication methods a client of
// clientType may use.
func authMethods(clientType string) []string {
	if clientType == "public" {
		return []string{"none"}
	}
	return []string{"client_secret_basic", "client_secret_post"}
}

// clientDetails is the short form of a client shown to the user who
// consents (authorization details, grants).
func clientDetails(c *oauthClient) obj {
	return obj{{"id", c.ID}}.addStr("name", c.ClientName).addStr("uri", c.ClientURI).addStr("logo_uri", c.LogoURI)
}
