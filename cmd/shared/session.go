// Package shared holds what several commands render or read the same way:
// the session summary, secrets read from stdin.
package shared

import (
	"fmt"
	"strings"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// UserLabel names a user the way people recognise them: email, phone, or
// "anonymous user", then the id.
func UserLabel(u *auth.User) string {
	switch {
	case u.Email != "":
		return u.Email
	case u.Phone != "":
		return "+" + strings.TrimPrefix(u.Phone, "+")
	case u.IsAnonymous:
		return "anonymous user " + u.ID
	}
	return u.ID
}

// PrintSession writes the human summary of a session: who, until when, at
// which assurance level. It never prints the tokens themselves.
func PrintSession(p *cmdutil.Printer, s *auth.Session) error {
	cs := p.CS
	aal := "unknown"
	if jwt, err := auth.DecodeJWT(s.AccessToken); err == nil && jwt.Claims.AAL != "" {
		aal = jwt.Claims.AAL
	}
	expires := s.ExpiresAtTime()
	_, err := fmt.Fprintf(p.Out, "%s %s\n  user id:  %s\n  expires:  %s\n  aal:      %s\n",
		cs.Green(cs.SuccessIcon()), cs.Bold(UserLabel(&s.User)), s.User.ID,
		render.RelativeAndDate(expires, p.Now), aal)
	return err
}
