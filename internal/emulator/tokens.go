package emulator

import (
	"cmp"
	"slices"
	"time"
)

// newSession starts a session for u authenticated by method and returns
// its first refresh token.
func (s *Server) newSession(u *user, method string) (*session, *refreshToken) {
	now := s.now()
	sess := &session{ID: newID(), UserID: u.ID, CreatedAt: now, UpdatedAt: now, AAL: "aal1",
		AMR: []amrEntry{{Method: method, Timestamp: now.Unix()}}}
	s.st.Sessions[sess.ID] = sess
	return sess, s.newRefreshToken(sess, "")
}

func (s *Server) newRefreshToken(sess *session, parent string) *refreshToken {
	now := s.now()
	s.st.RefreshCounter++
	rt := &refreshToken{Token: randomToken(12), SessionID: sess.ID, UserID: sess.UserID, Parent: parent,
		CreatedAt: now, UpdatedAt: now, Seq: s.st.RefreshCounter}
	s.st.RefreshTokens[rt.Token] = rt
	return rt
}

// accessToken signs the access token of sess for u.
func (s *Server) accessToken(u *user, sess *session) (string, int64, error) {
	now := s.now()
	exp := now.Add(s.cfg.JWTExp).Unix()
	// Newest method first; methods of the same second keep their order.
	amr := slices.Clone(sess.AMR)
	slices.SortStableFunc(amr, func(a, b amrEntry) int { return cmp.Compare(b.Timestamp, a.Timestamp) })
	claims := obj{
		{"sub", u.ID}, {"aud", u.Aud}, {"exp", exp}, {"iat", now.Unix()},
		{"email", u.Email}, {"phone", u.Phone},
		{"app_metadata", orEmpty(u.AppMetadata)}, {"user_metadata", orEmpty(u.UserMetadata)},
		{"role", u.Role}, {"aal", sess.AAL}, {"amr", amr}, {"session_id", sess.ID},
		{"is_anonymous", u.IsAnonymous},
	}
	if sess.OAuthClientID != "" {
		claims = claims.add("client_id", sess.OAuthClientID).add("scope", sess.Scope)
	}
	tok, err := sign(s.keys.signer, claims)
	return tok, exp, err
}

// tokenResponse renders a session as the /token answer.
func (s *Server) tokenResponse(u *user, sess *session, rt *refreshToken) (obj, error) {
	tok, exp, err := s.accessToken(u, sess)
	if err != nil {
		return nil, err
	}
	return obj{
		{"access_token", tok}, {"token_type", "bearer"},
		{"expires_in", int64(s.cfg.JWTExp / time.Second)}, {"expires_at", exp},
		{"refresh_token", rt.Token}, {"user", s.userJSON(u)},
	}, nil
}

// signIn records a sign-in and issues a new session.
func (s *Server) signIn(u *user, method string) (obj, error) {
	s.audit(u, "login", providerTraits(u))
	return s.startSession(u, method)
}

// startSession issues a new session to a user who signed in (the caller
// records the sign-in in the audit log).
func (s *Server) startSession(u *user, method string) (obj, error) {
	now := s.now()
	u.LastSignInAt = &now
	u.UpdatedAt = now
	sess, rt := s.newSession(u, method)
	return s.tokenResponse(u, sess, rt)
}

// activeRefreshToken is the newest unrevoked token of a session.
func (s *Server) activeRefreshToken(sessionID string) *refreshToken {
	var best *refreshToken
	for _, rt := range s.st.RefreshTokens {
		if rt.SessionID == sessionID && !rt.Revoked && (best == nil || rt.Seq > best.Seq) {
			best = rt
		}
	}
	return best
}
