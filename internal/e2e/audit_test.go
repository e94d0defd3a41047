package e2e

import (
	"os"
	"slices"
	"testing"
	"time"
)

type auditEntry struct {
	ID      string
	Payload struct {
		Action        string
		ActorID       string `json:"actor_id"`
		ActorUsername string `json:"actor_username"`
	}
}

func auditList(t *testing.T, e *env, args ...string) []auditEntry {
	t.Helper()
	var out []auditEntry
	e.jsonOut(&out, "", append([]string{"admin", "audit", "list"}, args...)...)
	return out
}

func ids(entries []auditEntry) []string {
	var out []string
	for _, x := range entries {
		out = append(out, x.ID)
	}
	return out
}

// admin audit list: one user's entries, filtered by actor (email or id) and
// action, the same whole list at one entry per page (a dozen pages, past
// page 9) as at a hundred.
func TestAdminAuditList(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	e.mustRun(0, password+"\n", "signup", "--email", email, "--password-stdin")
	const logins = 11
	for range logins {
		e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")
	}

	all := auditList(t, e, "--actor", email)
	if len(all) < logins+1 {
		t.Fatalf("audit entries of %s: %d, want at least %d", email, len(all), logins+1)
	}
	for _, x := range all {
		if x.Payload.ActorUsername != email {
			t.Fatalf("--actor %s kept an entry by %q", email, x.Payload.ActorUsername)
		}
	}
	paged := auditList(t, e, "--actor", email, "--per-page", "1")
	if !slices.Equal(ids(paged), ids(all)) {
		t.Errorf("one entry per page (%d pages) differs from one page:\n%v\n%v", len(paged), ids(paged), ids(all))
	}
	byID := auditList(t, e, "--actor", all[0].Payload.ActorID)
	if !slices.Equal(ids(byID), ids(all)) {
		t.Errorf("--actor ID differs from --actor EMAIL:\n%v\n%v", ids(byID), ids(all))
	}
	loginsSeen := auditList(t, e, "--actor", email, "--action", "login", "--per-page", "3")
	if len(loginsSeen) < logins {
		t.Errorf("--action login: %d entries, want at least %d", len(loginsSeen), logins)
	}
	for _, x := range loginsSeen {
		if x.Payload.Action != "login" {
			t.Errorf("--action login kept %q", x.Payload.Action)
		}
	}
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if r := e.mustRun(0, "", "admin", "audit", "list", "--since", future, "--json"); r.Stdout != "[]\n" {
		t.Errorf("nothing after --since %s: %q", future, r.Stdout)
	}
	e.mustRun(2, "", "admin", "audit", "list", "--since", "yesterday")
	e.mustRun(2, "", "admin", "audit", "list", "--per-page", "0")
}

// --follow prints the entries since --since, then new ones as they arrive,
// as JSON Lines, and stops with exit 0 on Ctrl-C.
func TestAdminAuditFollow(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	since := time.Now().Add(-time.Second).UTC().Format(time.RFC3339)
	e.mustRun(0, password+"\n", "signup", "--email", email, "--password-stdin")

	cmd, lines, stderr := followJSON[auditEntry](t, e, "admin", "audit", "list", "--follow", "--json", "--actor", email, "--since", since, "--interval", "100ms")
	waitAction := func(action string) {
		t.Helper()
		timeout := time.After(time.Until(waitDeadline(t)))
		for {
			select {
			case x, ok := <-lines:
				if !ok {
					t.Fatalf("--follow ended before a %s entry; stderr: %s", action, stderr.String())
				}
				if x.Payload.ActorUsername != email {
					t.Fatalf("--follow --actor %s printed an entry by %q", email, x.Payload.ActorUsername)
				}
				if x.Payload.Action == action {
					return
				}
			case <-timeout:
				t.Fatalf("no %s entry before the test's deadline; stderr: %s", action, stderr.String())
			}
		}
	}
	waitAction("user_signedup")
	// A sign-in after following began: printed when it arrives.
	e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")
	waitAction("login")
	e.mustRun(0, "", "logout")
	waitAction("logout")

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	if err := cmd.Wait(); err != nil || stderr.String() != "" {
		t.Errorf("--follow after Ctrl-C: %v, stderr %q (want exit 0 and nothing)", err, stderr.String())
	}
}
