package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Destructive admin commands without a terminal and without --yes refuse
// with exit code 2 naming --yes, and change nothing (gh's rule).
func TestDestructiveAdminNeedsYesWithoutTerminal(t *testing.T) {
	e := newEnv(t).withAdmin()
	u := createUser(t, e, "", "--email", uniqueEmail(t), "--email-confirm")
	e.mustRun(0, "", "admin", "users", "session", u.ID, "--save")
	tok := strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
	var client struct {
		ClientID string `json:"client_id"`
	}
	e.jsonOut(&client, "", "admin", "oauth", "clients", "create", "--name", fmt.Sprintf("e2e-confirm-%d", time.Now().UnixNano()),
		"--redirect-uri", "http://127.0.0.1:53682/cb")
	t.Cleanup(func() { e.run("", "admin", "oauth", "clients", "delete", client.ClientID, "--yes") })

	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"admin", "users", "delete", u.ID}},
		{"", []string{"admin", "users", "delete", u.ID, "--soft", "--if-exists"}},
		{"", []string{"admin", "mfa", "delete", u.ID, unknownUUID}},
		{"", []string{"admin", "oauth", "clients", "delete", client.ClientID}},
		{tok + "\n", []string{"admin", "signout", "-"}},
		{tok + "\n", []string{"admin", "signout", "-", "--scope", "global"}},
	} {
		wantFail(t, e.run(c.stdin, c.args...), 2, "--yes is required when not running interactively")
	}
	// Nothing changed: the user, the client and the session are all there.
	e.mustRun(0, "", "admin", "users", "get", u.ID)
	e.mustRun(0, "", "admin", "oauth", "clients", "get", client.ClientID)
	e.mustRun(0, "", "session", "refresh")
	// The narrower sign-outs are not destructive enough to ask.
	tok = strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
	e.mustRun(0, tok+"\n", "admin", "signout", "-", "--scope", "others")
	// --yes does it.
	e.mustRun(0, tok+"\n", "admin", "signout", "-", "--yes")
	if r := e.run("", "session", "refresh"); r.Code != 3 {
		t.Errorf("refresh after a global admin signout --yes: exit %d\n%s", r.Code, r.Stderr)
	}
	e.mustRun(0, "", "admin", "oauth", "clients", "delete", client.ClientID, "--yes")
	e.mustRun(1, "", "admin", "oauth", "clients", "get", client.ClientID)
}

// --if-exists: deleting a user that does not exist succeeds, so a cleanup
// script can run twice; without it the unknown user is an error.
func TestAdminUsersDeleteIfExists(t *testing.T) {
	e := newEnv(t).withAdmin()
	u := createUser(t, e, "", "--email", uniqueEmail(t))
	var res struct {
		ID      string `json:"id"`
		Deleted bool   `json:"deleted"`
	}
	e.jsonOut(&res, "", "admin", "users", "delete", u.ID, "--yes", "--if-exists")
	if res.ID != u.ID || !res.Deleted {
		t.Errorf("first delete: %+v", res)
	}
	e.jsonOut(&res, "", "admin", "users", "delete", u.ID, "--yes", "--if-exists")
	if res.ID != u.ID || res.Deleted {
		t.Errorf("second delete --if-exists: %+v, want deleted false", res)
	}
	if r := e.mustRun(0, "", "admin", "users", "delete", unknownUUID, "--yes", "--if-exists"); !strings.Contains(r.Stdout, "does not exist") {
		t.Errorf("human output: %q", r.Stdout)
	}
	wantFail(t, e.run("", "admin", "users", "delete", u.ID, "--yes"), 1, "User not found")
}

// On a terminal the user delete asks, naming the user by email: "no"
// changes nothing, "yes" deletes.
func TestAdminUsersDeleteAsksOnTerminal(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	u := createUser(t, e, "", "--email", email)

	term := e.startTerminal("admin", "users", "delete", u.ID)
	term.waitFor("Delete user " + email) // the id follows, wrapped at the pane's edge
	term.send(false, "n")
	term.waitFor("cancelled: nothing was changed")
	term.waitFor("[exit 1]")
	e.mustRun(0, "", "admin", "users", "get", u.ID)

	term = e.startTerminal("admin", "users", "delete", u.ID)
	term.waitFor("Delete user " + email)
	term.send(false, "y")
	term.waitFor("Deleted user " + u.ID)
	term.waitFor("[exit 0]")
	e.mustRun(1, "", "admin", "users", "get", u.ID)
}
