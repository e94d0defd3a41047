package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAdminUsersListFitsTheScreen lists users in an 80×24 terminal: the
// ids are whole (get, update and delete need them), the email is whole, the
// phone column (empty for every listed user) is left out and the least
// useful columns give way; --columns chooses.
func TestAdminUsersListFitsTheScreen(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := fmt.Sprintf("list-%d@example.com", time.Now().UnixNano()) // as long as a real address
	u := createUser(t, e, "", "--email", email)

	term := e.startTerminalSized(80, 24, "admin", "users", "list", "--filter", email)
	screen := term.waitFor("[exit")
	header := ""
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "ID ") {
			header = l
		}
	}
	if !strings.Contains(screen, u.ID) || !strings.Contains(screen, email) || strings.Contains(screen, "…") {
		t.Errorf("the id or email is cut at 80 columns:\n%s", screen)
	}
	if header == "" || strings.Contains(header, "PHONE") || strings.Contains(header, "PROVIDERS") {
		t.Errorf("header %q: want the empty phone column and the providers gone", header)
	}

	term = e.startTerminalSized(80, 24, "admin", "users", "list", "--filter", email, "--columns", "email,id")
	screen = term.waitFor("[exit")
	if !strings.Contains(screen, "EMAIL") || !strings.Contains(screen, email+"  "+u.ID) || strings.Contains(screen, "CREATED") {
		t.Errorf("--columns email,id:\n%s", screen)
	}
	wantFail(t, e.run("", "admin", "users", "list", "--columns", "mail"), 2, `unknown column "mail": choose from id,email,phone`)
	// A pipe gets exactly the chosen columns, tab-separated.
	if r := e.mustRun(0, "", "admin", "users", "list", "--filter", email, "--columns", "id,email"); r.Stdout != u.ID+"\t"+email+"\n" {
		t.Errorf("piped --columns id,email: %q", r.Stdout)
	}
}
