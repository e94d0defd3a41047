package users

import (
	"strings"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// userColumns are the list's table columns: the ones people scan for;
// --json has everything.
var userColumns = []string{"id", "email", "phone", "created", "last-sign-in", "providers", "banned"}

// userTable renders users as the list's table. The id is never cut (get,
// update and delete need it whole); when the screen is narrow the columns
// least needed to tell users apart go first.
type userTable struct {
	p *cmdutil.Printer
	t *render.Table
}

// newUserTable starts a table of columns (all when empty). header is false
// for the later pages of a streamed list, which pass the columns the first
// page showed.
func newUserTable(p *cmdutil.Printer, header bool, columns []string) *userTable {
	t := render.NewTable(p.Out, p.IsTTY, p.Width)
	t.SetHeader(userColumns...)
	t.SetWhole("id")
	t.SetDropOrder("providers", "last-sign-in", "created", "banned", "phone")
	// The flag checked the names already.
	_ = t.SetColumns(columns)
	if !header {
		t.HideHeader()
	}
	return &userTable{p: p, t: t}
}

func (ut *userTable) add(u *auth.User) {
	ut.t.AddRow(u.ID, u.Email, u.Phone, ut.when(u.CreatedAt), ut.when(u.LastSignInAt),
		strings.Join(u.AppMetadata.Providers(), ","), ut.banned(u.BannedUntil))
}

// render writes the rows and returns the columns shown.
func (ut *userTable) render() ([]string, error) {
	err := ut.t.Render()
	return ut.t.Visible(), err
}

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
