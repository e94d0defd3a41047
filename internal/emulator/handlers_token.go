package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"
)

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) error {
	var resp obj
	grant := r.URL.Query().Get("grant_type")
	group := "token"
	if grant == "web3" {
		group = "web3"
	}
	err := s.allowRequest(r, group)
	if err != nil {
		return err
	}
	switch grant {
	case "password":
		resp, err = s.passwordGrant(r)
	case "refresh_token":
		resp, err = s.refreshGrant(r)
	case "pkce":
		resp, err = s.pkceGrant(r)
	case "id_token":
		resp, err = s.idTokenGrant(r)
	case "web3":
		resp, err = s.web3Grant(r)
	default:
		err = badRequest("invalid_credentials", "unsupported_grant_type")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) passwordGrant(r *http.Request) (obj, error) {
	var p struct{ Email, Phone, Password string }
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	var u *user
	switch {
	case p.Email != "":
		if s.cfg.DisableEmail {
			return nil, unprocessable("email_provider_disabled", "Email logins are disabled")
		}
		u = s.st.userByEmail(p.Email)
	case p.Phone != "":
		if s.cfg.DisablePhone {
			return nil, unprocessable("phone_provider_disabled", "Phone logins are disabled")
		}
		if ph, err := validatePhone(p.Phone); err == nil {
			u = s.st.userByPhone(ph)
		}
	default:
		return nil, validation("missing email or phone")
	}
	invalid := badRequest("invalid_credentials", "Invalid login credentials")
	if u == nil || u.DeletedAt != nil {
		return nil, invalid
	}
	if u.banned(s.now()) {
		return nil, badRequest("user_banned", "User is banned")
	}
	id := u.ID
	if !s.passwordMatches(u.PasswordHash, p.Password) {
		return nil, invalid
	}
	if u = s.st.loadUser(id); u == nil {
		return nil, invalid
	}
	if p.Email != "" && u.EmailConfirmedAt == nil {
		return nil, badRequest("email_not_confirmed", "Email not confirmed")
	}
	if p.Email == "" && u.PhoneConfirmedAt == nil {
		return nil, badRequest("phone_not_confirmed", "Phone not confirmed")
	}
	resp, err := s.signIn(u, "password")
	if err != nil {
		return nil, err
	}
	// Sign-ins with a password that would no longer be accepted say so.
	var weak any
	if err := s.checkPasswordStrength(p.Password); err != nil {
		ae := err.(*apiError)
		weak = obj{{"message", ae.Msg}, {"reasons", ae.Weak}}
	}
	return resp.add("weak_password", weak), nil
}

func (s *Server) refreshGrant(r *http.Request) (obj, error) {
	var p struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	if !wellFormedRefreshToken(p.RefreshToken) {
		// Not a sign-out: the token was never one this server issues.
		return nil, validation("Refresh token is not valid")
	}
	u, sess, rt, err := s.rotate(p.RefreshToken, "")
	if err != nil {
		return nil, err
	}
	return s.tokenResponse(u, sess, rt)
}

// rotate spends a refresh token: it returns the session's next token,
// following the server's rotation and reuse-detection rules. clientID must
// match the session's OAuth client (empty for ordinary sessions).
func (s *Server) rotate(token, clientID string) (*user, *session, *refreshToken, error) {
	notFound := badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
	rt := s.st.RefreshTokens[token]
	if rt == nil {
		return nil, nil, nil, notFound
	}
	u := s.st.loadUser(rt.UserID)
	sess := s.st.Sessions[rt.SessionID]
	if u == nil || sess == nil {
		return nil, nil, nil, notFound
	}
	now := s.now()
	if u.banned(now) {
		return nil, nil, nil, badRequest("user_banned", "Invalid Refresh Token: User Banned")
	}
	if sess.OAuthClientID != clientID {
		return nil, nil, nil, oauthErr(http.StatusBadRequest, "invalid_client", "Client does not match the session's OAuth client")
	}
	if rt.Revoked {
		if active := s.activeRefreshToken(sess.ID); active != nil && active.Parent == rt.Token {
			// The client lost the answer of its last refresh: hand the
			// active token out again rather than rotating.
			return u, sess, active, nil
		}
		if now.After(rt.UpdatedAt.Add(refreshReuseSeconds * time.Second)) {
			for _, t := range s.st.RefreshTokens {
				if t.SessionID == sess.ID {
					t.Revoked = true
					t.UpdatedAt = now
				}
			}
			return nil, nil, nil, badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used")
		}
	}
	rt.Revoked = true
	rt.UpdatedAt = now
	sess.UpdatedAt = now
	s.audit(u, "token_refreshed", nil)
	return u, sess, s.newRefreshToken(sess, rt.Token), nil
}

func (s *Server) pkceGrant(r *http.Request) (obj, error) {
	var p struct {
		AuthCode     string `json:"auth_code"`
		CodeVerifier string `json:"code_verifier"`
	}
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	if p.AuthCode == "" || p.CodeVerifier == "" {
		return nil, validation("invalid request: both auth code and code verifier should be non-empty")
	}
	var fs *flowState
	for _, f := range s.st.FlowStates {
		if f.AuthCode == p.AuthCode && !f.Used {
			fs = f
		}
	}
	if fs == nil || fs.UserID == "" {
		return nil, notFound("flow_state_not_found", "invalid flow state, no valid flow state found")
	}
	if !pkceMatches(fs.CodeChallengeMethod, fs.CodeChallenge, p.CodeVerifier) {
		return nil, forbidden("bad_code_verifier", "code challenge does not match previously saved code verifier")
	}
	fs.Used = true
	u := s.st.loadUser(fs.UserID)
	if u == nil {
		return nil, notFound("user_not_found", "User not found")
	}
	return s.signIn(u, fs.AuthenticationMethod)
}

// pkceMatches checks a code verifier against its stored challenge.
func pkceMatches(method, challenge, verifier string) bool {
	want := verifier
	if strings.EqualFold(method, "s256") {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func (s *Server) idTokenGrant(r *http.Request) (obj, error) {
	var p struct {
		Provider string `json:"provider"`
		IDToken  string `json:"id_token"`
		Nonce    string `json:"nonce"`
		Link     bool   `json:"link_identity"`
	}
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	linkUserID, err := s.idTokenLinkTarget(r, p.Link)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(knownProviders, p.Provider) {
		return nil, validation("Custom OIDC provider %q not allowed", p.Provider)
	}
	// Only ID tokens of the mock identity provider (POST
	// /emulator/idp/id_token) verify; anything else fails like a garbage
	// token on the real server.
	failed := unhandled("Unexpected failure, please check server logs for more information")
	c, err := s.keys.parse(p.IDToken, s.now())
	if err != nil || c.Extra["iss"] != mockIssuer(p.Provider) {
		return nil, failed
	}
	if n, _ := c.Extra["nonce"].(string); n != "" && n != p.Nonce && n != sha256Hex(p.Nonce) {
		return nil, badRequest("validation_failed", "Passed nonce and nonce in id_token should either both exist or not.")
	}
	email, _ := c.Extra["email"].(string)
	name, _ := c.Extra["name"].(string)
	u, err := s.oauthUser(&flowState{Provider: p.Provider, IdentityMail: email, IdentityName: name, LinkUserID: linkUserID})
	if err != nil {
		return nil, err
	}
	return s.signIn(u, "id_token")
}
