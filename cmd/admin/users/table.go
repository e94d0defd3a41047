package users

import (
	"strings"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// userTable renders users as the list's table. Columns are the ones people
// scan for; --json has everything.
type userTable struct {
	p *cmdutil.Printer
	t *render.Table
}

func newUserTable(p *cmdutil.Printer, header bool) *userTable {
	t := render.NewTable(p.Out, p.IsTTY, p.Width)
	if header {
		t.SetHeader("id", "email", "phone", "created", "last sign-in", "providers", "banned")
	}
	return &userTable{p: p, t: t}
}

func (ut *userTable) add(u *auth.User) {
	ut.t.AddRow(u.ID, u.Email, u.Phone, ut.when(u.CreatedAt), ut.when(u.LastSignInAt),
		strings.Join(u.AppMetadata.Providers(), ","), ut.banned(u.BannedUntil))
}

func (ut *userTable) render() error { return ut.t.Render() }

// when is relative on a terminal ("3 days ago"), the server's RFC 3339 time
// otherwise so scripts can parse it.
func (ut *userTable) when(ts string) string {
	if ts == "" || !ut.p.IsTTY {
		return ts
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return ts
	}
	return render.RelativeTime(t, ut.p.Now)
}

// banned shows the end of a ban still running; a lapsed ban is no ban.
func (ut *userTable) banned(until string) string {
	t, err := time.Parse(time.RFC3339Nano, until)
	if err != nil || !t.After(ut.p.Now) {
		return ""
	}
	if !ut.p.IsTTY {
		return until
	}
	return "until " + t.Local().Format("2006-01-02 15:04")
}
