package shared

import (
	"fmt"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// AuthResult is the --json form of sign-up, sign-in and verify results:
// supabase-js's data object {user, session} with the server's field names.
type AuthResult struct {
	User         auth.User          `json:"user"`
	Session      *auth.Session      `json:"session"`
	WeakPassword *auth.WeakPassword `json:"weak_password,omitempty"`
}

// PrintAuthResult renders the outcome of a sign-in: the session summary, or
// what the user still has to do when no session came back.
func PrintAuthResult(f *cmdutil.Factory, ar *auth.AuthResponse, pending string) error {
	res := AuthResult{User: ar.User, Session: ar.Session, WeakPassword: ar.WeakPassword}
	return f.Print(res, func(p *cmdutil.Printer) error {
		if ar.WeakPassword != nil && len(ar.WeakPassword.Reasons) > 0 {
			f.Warnf("your password no longer meets the project's policy (%v): change it with `authctl user update --password-stdin`", ar.WeakPassword.Reasons)
		}
		if ar.Session == nil {
			_, err := fmt.Fprintf(p.Out, "%s %s\n", UserLabel(&ar.User), pending)
			return err
		}
		return PrintSession(p, ar.Session)
	})
}
