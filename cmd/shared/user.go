package shared

import (
	"fmt"
	"strings"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// PrintUser writes the human view of a user: `authctl user` shows the
// signed-in one, the admin users commands the one they read or changed.
func PrintUser(p *cmdutil.Printer, u *auth.User) error {
	cs := p.CS
	rows := [][2]string{
		{"id", u.ID},
		{"email", u.Email + confirmed(u.Email, u.EmailConfirmedAt)},
		{"phone", u.Phone + confirmed(u.Phone, u.PhoneConfirmedAt)},
		{"providers", strings.Join(u.AppMetadata.Providers(), ", ")},
		{"role", u.Role},
		{"anonymous", yesNo(u.IsAnonymous)},
		{"created", when(u.CreatedAt, p)},
		{"last sign-in", when(u.LastSignInAt, p)},
	}
	if u.BannedUntil != "" {
		rows = append(rows, [2]string{"banned until", when(u.BannedUntil, p)})
	}
	if _, err := fmt.Fprintln(p.Out, cs.Bold(UserLabel(u))); err != nil {
		return err
	}
	for _, r := range rows {
		if r[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(p.Out, "  %-13s %s\n", r[0]+":", r[1]); err != nil {
			return err
		}
	}
	return nil
}

// when shows a server timestamp as the other detail views do (status,
// session, claims): relative, with the local date.
func when(ts string, p *cmdutil.Printer) string {
	if ts == "" {
		return ""
	}
	return render.ServerTime(ts, p.Now)
}

func confirmed(value, at string) string {
	switch {
	case value == "":
		return ""
	case at == "":
		return " (unconfirmed)"
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return ""
}
