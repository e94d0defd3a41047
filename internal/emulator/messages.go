package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// sendEmail issues a one-time token of type typ for u, addressed to "to",
// and records the email the server would have sent.
func (s *Server) sendEmail(r *http.Request, u *user, to, typ, redirectTo string) *message {
	return s.issueOTT(r, u, to, typ, redirectTo, randomDigits(otpLength))
}

// sendSMS issues an SMS code; configured test numbers get their fixed code.
func (s *Server) sendSMS(r *http.Request, u *user, to, typ string) *message {
	code, ok := s.cfg.TestOTP[to]
	if !ok {
		code = randomDigits(otpLength)
	}
	return s.issueOTT(r, u, to, typ, "", code)
}

func (s *Server) issueOTT(r *http.Request, u *user, to, typ, redirectTo, otp string) *message {
	now := s.now()
	sum := sha256.Sum224([]byte(to + otp))
	hash := hex.EncodeToString(sum[:])
	s.st.deleteOTTs(func(t *oneTimeToken) bool { return t.UserID == u.ID && t.Type == typ })
	s.st.OneTimeTokens = append(s.st.OneTimeTokens, &oneTimeToken{UserID: u.ID, Type: typ, Recipient: to,
		OTP: otp, TokenHash: hash, CreatedAt: now})
	if f := sentAtField(u, typ); f != nil {
		*f = &now // what the frequency limits go by
	}
	m := &message{To: to, Type: typ, OTP: otp, TokenHash: hash, CreatedAt: now}
	if !strings.Contains(to, "@") {
		m.TokenHash = ""
	} else {
		linkType := typ
		if typ == "email_change_new" || typ == "email_change_current" {
			linkType = "email_change"
		}
		m.ActionLink = s.baseURL(r) + "/verify?token=" + hash + "&type=" + linkType + "&redirect_to=" + s.redirectTarget(redirectTo)
	}
	s.st.Messages = append(s.st.Messages, m)
	return m
}

// baseURL is the external URL of this server as the client reached it.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// redirectTarget returns redirectTo when it is allowed (redirect.go), else
// the site URL.
func (s *Server) redirectTarget(redirectTo string) string {
	if s.redirectAllowed(redirectTo) {
		return redirectTo
	}
	return s.cfg.SiteURL
}

// handleMessages: GET /emulator/messages, every email and SMS the emulator
// would have sent, oldest first; ?to= filters by recipient. The service-role
// key is needed, except from this machine (adminOrLoopback, inbox.go).
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.messagesTo(r.URL.Query().Get("to")))
	return nil
}

// findOTT finds an unexpired token by a predicate.
func (s *Server) findOTT(match func(*oneTimeToken) bool) *oneTimeToken {
	for _, t := range s.st.OneTimeTokens {
		if match(t) && s.now().Sub(t.CreatedAt) < otpExpiry {
			return t
		}
	}
	return nil
}
