package emulator

import (
	"net/http"
	"strings"
)

// principal is the authenticated caller of a request.
type principal struct {
	claims  *tokenClaims
	user    *user
	session *session
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// claims verifies the bearer token of r.
func (s *Server) claims(r *http.Request) (*tokenClaims, error) {
	tok := bearer(r)
	if tok == "" {
		return nil, newErr(http.StatusUnauthorized, "no_authorization", "This endpoint requires a valid Bearer token")
	}
	c, err := s.keys.parse(tok, s.now())
	if err != nil {
		return nil, forbidden("bad_jwt", "%s", err.Error())
	}
	return c, nil
}

// requireUser authenticates a user token whose user and session still exist
// and whose user is not banned.
func (s *Server) requireUser(r *http.Request) (*principal, error) {
	c, err := s.claims(r)
	if err != nil {
		return nil, err
	}
	if c.Sub == "" {
		return nil, forbidden("bad_jwt", "invalid claim: missing sub claim")
	}
	u := s.st.loadUser(c.Sub)
	if u == nil {
		return nil, forbidden("user_not_found", "User from sub claim in JWT does not exist")
	}
	p := &principal{claims: c, user: u}
	if c.SessionID != "" {
		p.session = s.st.Sessions[c.SessionID]
		if p.session == nil {
			return nil, forbidden("session_not_found", "Session from session_id claim in JWT does not exist")
		}
	}
	// As the real server: a ban does not end sessions, but every request
	// with an access token issued before it is refused.
	if u.banned(s.now()) {
		return nil, forbidden("user_banned", "User is banned")
	}
	return p, nil
}

// requireAdmin accepts only service-role tokens.
func (s *Server) requireAdmin(r *http.Request) error {
	c, err := s.claims(r)
	if err != nil {
		return err
	}
	if c.Role != "service_role" && c.Role != "supabase_admin" {
		return forbidden("not_admin", "User not allowed")
	}
	return nil
}
