package emulator

import "net/http"

// idTokenLinkTarget is the user an ID-token grant with "link_identity": true
// links the token's identity to (linkIdentity with an ID token, §6.20): the
// bearer's, which must be a user's access token. Without link_identity it is
// "" (a sign-in).
func (s *Server) idTokenLinkTarget(r *http.Request, link bool) (string, error) {
	if !link {
		return "", nil
	}
	p, err := s.requireUser(r)
	if err != nil {
		return "", err
	}
	return p.user.ID, nil
}
