package emulator

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

const authorizationExpiry = 10 * time.Minute

var supportedScopes = []string{"openid", "profile", "email", "phone", "offline_access"}

// handleOAuthAuthorize: GET /oauth/authorize, the OAuth 2.1 server's
// authorization endpoint. Valid requests go to the site's consent page
// ({SiteURL}/oauth/consent?authorization_id=…).
func (s *Server) handleOAuthAuthorize(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Get("client_id") == "" {
		return validation("client_id is required")
	}
	if q.Get("redirect_uri") == "" {
		return validation("redirect_uri is required")
	}
	if _, err := uuid.Parse(q.Get("client_id")); err != nil {
		return badRequest("oauth_client_not_found", "invalid client_id format")
	}
	c := s.st.OAuthClients[q.Get("client_id")]
	if c == nil {
		return badRequest("oauth_client_not_found", "invalid client_id")
	}
	redirectURI, state := q.Get("redirect_uri"), q.Get("state")
	if !slices.Contains(c.RedirectURIs, redirectURI) {
		return validation("invalid redirect_uri")
	}
	scope := q.Get("scope")
	if scope == "" {
		scope = "email"
	}
	if msg := authorizeParamsError(q.Get("response_type"), scope, q.Get("code_challenge"), q.Get("code_challenge_method")); msg != "" {
		http.Redirect(w, r, oauthRedirect(redirectURI, url.Values{"error": {"invalid_request"}, "error_description": {msg}}, state), http.StatusFound)
		return nil
	}
	a := &oauthAuthorization{ID: strings.ToLower(randomToken(32)), ClientID: c.ID, RedirectURI: redirectURI, Scope: scope,
		State: state, CodeChallenge: q.Get("code_challenge"), CodeChallengeMethod: strings.ToLower(q.Get("code_challenge_method")),
		Status: "pending", CreatedAt: s.now()}
	s.st.OAuthAuthz[a.ID] = a
	http.Redirect(w, r, strings.TrimRight(s.cfg.SiteURL, "/")+"/oauth/consent?authorization_id="+a.ID, http.StatusFound)
	return nil
}

// authorizeParamsError validates what can be reported to the client's redirect.
func authorizeParamsError(responseType, scope, challenge, method string) string {
	if responseType != "" && responseType != "code" {
		return "only response_type=code is supported"
	}
	for _, sc := range strings.Fields(scope) {
		if !slices.Contains(supportedScopes, sc) {
			return "unsupported scope: " + sc
		}
	}
	if challenge == "" || method == "" {
		return "PKCE flow requires both code_challenge and code_challenge_method"
	}
	if m := strings.ToLower(method); m != "s256" && m != "plain" {
		return "code_challenge_method must be 'S256' or 'plain'"
	}
	if len(challenge) < 43 || len(challenge) > 128 {
		return "code_challenge must be between 43 and 128 characters"
	}
	return ""
}

func oauthRedirect(base string, v url.Values, state string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for k := range v {
		q.Set(k, v.Get(k))
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// errAuthorizationNotFound is the real server's answer for an unknown or
// expired authorization, and for one that is not the caller's.
func errAuthorizationNotFound() error {
	return notFound("oauth_authorization_not_found", "authorization not found")
}

// authorization loads {id}; whose it is, and its status, the handlers check
// in the real server's order (status first).
func (s *Server) authorization(r *http.Request) (*oauthAuthorization, error) {
	a := s.st.OAuthAuthz[r.PathValue("id")]
	if a == nil || s.now().After(a.CreatedAt.Add(authorizationExpiry)) {
		return nil, errAuthorizationNotFound()
	}
	if s.st.OAuthClients[a.ClientID] == nil {
		return nil, errAuthorizationNotFound()
	}
	return a, nil
}

func (s *Server) grantOf(userID, clientID string) *oauthGrant {
	for _, g := range s.st.OAuthGrants {
		if g.UserID == userID && g.ClientID == clientID {
			return g
		}
	}
	return nil
}

// handleGetAuthorization shows the consent details, or approves at once
// when the user already granted every requested scope.
func (s *Server) handleGetAuthorization(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	a, err := s.authorization(r)
	if err != nil {
		return err
	}
	if a.Status != "pending" {
		return validation("authorization request cannot be processed")
	}
	// The first user to fetch it owns it: only they may consent.
	if a.UserID == "" {
		a.UserID = p.user.ID
	} else if a.UserID != p.user.ID {
		return errAuthorizationNotFound()
	}
	if g := s.grantOf(p.user.ID, a.ClientID); g != nil && coversScopes(g.Scopes, a.Scope) {
		writeJSON(w, http.StatusOK, obj{{"redirect_url", s.approve(a)}})
		return nil
	}
	c := s.st.OAuthClients[a.ClientID]
	writeJSON(w, http.StatusOK, obj{{"authorization_id", a.ID}, {"redirect_uri", a.RedirectURI},
		{"client", clientDetails(c)}, {"user", obj{{"id", p.user.ID}, {"email", p.user.Email}}},
		{"scope", a.Scope}})
	return nil
}

func coversScopes(granted []string, scope string) bool {
	for _, sc := range strings.Fields(scope) {
		if !slices.Contains(granted, sc) {
			return false
		}
	}
	return true
}

// approve issues the authorization code and returns the client redirect.
func (s *Server) approve(a *oauthAuthorization) string {
	a.Status, a.Code = "approved", newID()
	return oauthRedirect(a.RedirectURI, url.Values{"code": {a.Code}}, a.State)
}

func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	var params struct {
		Action string `json:"action"`
	}
	if err := decode(r, &params); err != nil {
		return err
	}
	if params.Action != "approve" && params.Action != "deny" {
		return validation("action must be 'approve' or 'deny'")
	}
	a, err := s.authorization(r)
	if err != nil {
		return err
	}
	if a.Status != "pending" {
		return validation("authorization request is no longer pending")
	}
	// As the real server: consent comes only from the user who fetched the
	// authorization (GET), which is what bound it to them.
	if a.UserID != p.user.ID {
		return errAuthorizationNotFound()
	}
	if params.Action == "deny" {
		a.Status = "denied"
		writeJSON(w, http.StatusOK, obj{{"redirect_url", oauthRedirect(a.RedirectURI,
			url.Values{"error": {"access_denied"}, "error_description": {"User denied the request"}}, a.State)}})
		return nil
	}
	now := s.now()
	g := s.grantOf(p.user.ID, a.ClientID)
	if g == nil {
		g = &oauthGrant{ID: newID(), UserID: p.user.ID, ClientID: a.ClientID}
		s.st.OAuthGrants[g.ID] = g
	}
	for _, sc := range strings.Fields(a.Scope) {
		if !slices.Contains(g.Scopes, sc) {
			g.Scopes = append(g.Scopes, sc)
		}
	}
	g.GrantedAt = now
	writeJSON(w, http.StatusOK, obj{{"redirect_url", s.approve(a)}})
	return nil
}

type oauthTokenParams struct {
	GrantType    string `json:"grant_type"`
	Code         string `json:"code"`
	RedirectURI  string `json:"redirect_uri"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	CodeVerifier string `json:"code_verifier"`
	RefreshToken string `json:"refresh_token"`
}

// authenticateClient checks Basic or form client credentials.
func (s *Server) authenticateClient(r *http.Request, p *oauthTokenParams) (*oauthClient, error) {
	id, secret := p.ClientID, p.ClientSecret
	if u, pw, ok := r.BasicAuth(); ok {
		id, secret = u, pw
	}
	if id == "" {
		return nil, badRequest("invalid_credentials", "Invalid client credentials: client_id is required")
	}
	c := s.st.OAuthClients[id]
	if c == nil {
		return nil, badRequest("invalid_credentials", "Invalid client credentials")
	}
	if c.ClientType == "confidential" && subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(c.SecretHash)) != 1 {
		return nil, badRequest("invalid_credentials", "invalid client credentials")
	}
	return c, nil
}

// handleOAuthToken: POST /oauth/token (authorization_code, refresh_token).
func (s *Server) handleOAuthToken(w http.ResponseWriter, r *http.Request) error {
	var p oauthTokenParams
	if err := decode(r, &p); err != nil {
		return oauthErr(http.StatusBadRequest, "invalid_request", "Failed to parse form data")
	}
	if p.GrantType == "" {
		return oauthErr(http.StatusBadRequest, "invalid_request", "grant_type is required")
	}
	c, err := s.authenticateClient(r, &p)
	if err != nil {
		return err
	}
	if !slices.Contains(c.GrantTypes, p.GrantType) {
		return oauthErr(http.StatusBadRequest, "unsupported_grant_type", "Client is not allowed to use grant type: "+p.GrantType)
	}
	var u *user
	var sess *session
	var rt *refreshToken
	switch p.GrantType {
	case "authorization_code":
		u, sess, rt, err = s.exchangeCode(c, &p)
	case "refresh_token":
		if p.RefreshToken == "" {
			return oauthErr(http.StatusBadRequest, "invalid_request", "refresh_token is required for refresh_token grant")
		}
		u, sess, rt, err = s.rotate(p.RefreshToken, c.ID)
	default:
		return oauthErr(http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+p.GrantType)
	}
	if err != nil {
		return err
	}
	tok, _, err := s.accessToken(u, sess)
	if err != nil {
		return err
	}
	resp := obj{{"access_token", tok}, {"expires_in", int64(s.cfg.JWTExp / time.Second)}}
	if slices.Contains(strings.Fields(sess.Scope), "openid") {
		idt, err := s.idToken(u, c)
		if err != nil {
			return err
		}
		resp = resp.add("id_token", idt)
	}
	resp = resp.add("refresh_token", rt.Token).add("token_type", "bearer")
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) exchangeCode(c *oauthClient, p *oauthTokenParams) (*user, *session, *refreshToken, error) {
	if p.Code == "" {
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "invalid_request", "code is required for authorization_code grant")
	}
	var a *oauthAuthorization
	for _, x := range s.st.OAuthAuthz {
		if x.Code == p.Code && x.Status == "approved" {
			a = x
		}
	}
	invalid := oauthErr(http.StatusBadRequest, "invalid_grant", "Invalid authorization code")
	switch {
	case a == nil:
		return nil, nil, nil, invalid
	case s.now().After(a.CreatedAt.Add(authorizationExpiry)):
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "invalid_grant", "Authorization code has expired")
	case a.ClientID != c.ID:
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "invalid_grant", "Authorization code was not issued for this client")
	case p.RedirectURI != "" && p.RedirectURI != a.RedirectURI:
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "invalid_grant", "Invalid redirect_uri")
	case !pkceMatches(a.CodeChallengeMethod, a.CodeChallenge, p.CodeVerifier):
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "invalid_grant", "PKCE verification failed: code_verifier does not match code_challenge")
	}
	u := s.st.loadUser(a.UserID)
	if u == nil {
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "invalid_grant", "User not found for authorization code")
	}
	if u.banned(s.now()) {
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "access_denied", "User is banned")
	}
	if slices.Contains(strings.Fields(a.Scope), "openid") && s.keys.ec == nil {
		// Like the server, ID tokens need an asymmetric signing key.
		a.Status = "used"
		return nil, nil, nil, internal("Error generating ID token")
	}
	a.Status = "used"
	now := s.now()
	sess, rt := s.newSession(u, "oauth_provider/authorization_code")
	sess.OAuthClientID, sess.Scope = c.ID, a.Scope
	u.LastSignInAt = &now
	return u, sess, rt, nil
}

// idToken signs an OpenID Connect ID token with the ES256 key.
func (s *Server) idToken(u *user, c *oauthClient) (string, error) {
	now := s.now()
	return sign(s.keys.signer, obj{{"iss", ""}, {"sub", u.ID}, {"aud", c.ID}, {"exp", now.Add(s.cfg.JWTExp).Unix()},
		{"iat", now.Unix()}, {"auth_time", now.Unix()}, {"email", u.Email}, {"email_verified", u.EmailConfirmedAt != nil}})
}

// handleUserInfo: GET /oauth/userinfo with an OAuth access token.
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	u := p.user
	name, _ := u.UserMetadata["full_name"].(string)
	if name == "" {
		name = u.Email
	}
	o := obj{{"email", u.Email}, {"email_verified", u.EmailConfirmedAt != nil}, {"name", name}}
	if u.Phone != "" {
		o = o.add("phone_number", u.Phone).add("phone_number_verified", u.PhoneConfirmedAt != nil)
	}
	o = o.add("sub", u.ID).add("updated_at", u.UpdatedAt.Unix()).add("user_metadata", orEmpty(u.UserMetadata))
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) handleListGrants(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	out := []obj{}
	for _, g := range s.st.OAuthGrants {
		if c := s.st.OAuthClients[g.ClientID]; g.UserID == p.user.ID && c != nil {
			out = append(out, obj{{"client", clientDetails(c)}, {"scopes", g.Scopes},
				{"granted_at", fmtTime(g.GrantedAt)}})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// handleRevokeGrant removes a client's grant and signs out its sessions.
func (s *Server) handleRevokeGrant(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	clientID := r.URL.Query().Get("client_id")
	if clientID == "" {
		return validation("client_id query parameter is required")
	}
	g := s.grantOf(p.user.ID, clientID)
	if g == nil {
		return notFound("oauth_consent_not_found", "No active grant found for this client")
	}
	delete(s.st.OAuthGrants, g.ID)
	s.st.deleteSessions(func(x *session) bool { return x.UserID == p.user.ID && x.OAuthClientID == clientID })
	w.WriteHeader(http.StatusNoContent)
	return nil
}
