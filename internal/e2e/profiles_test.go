package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

type profileStatus struct {
	Profile  string
	Current  bool
	SignedIn bool `json:"signed_in"`
	User     *struct{ Email string }
}

func statusAll(t *testing.T, e *env, want int) map[string]profileStatus {
	t.Helper()
	r := e.mustRun(want, "", "status", "--all", "--json")
	var all []profileStatus
	if err := json.Unmarshal([]byte(r.Stdout), &all); err != nil {
		t.Fatalf("status --all --json: %v\n%s", err, r.Stdout)
	}
	out := map[string]profileStatus{}
	for _, s := range all {
		out[s.Profile] = s
	}
	return out
}

// Several accounts: two profiles on the server under test, one signed in;
// status --all and profile list show both, use switches, rename keeps the
// session, delete forgets it.
func TestProfiles(t *testing.T) {
	e := newEnv(t)
	delete(e.vars, "SUPABASE_URL") // each profile's own URL applies
	for _, p := range []string{"alice", "bob"} {
		e.mustRun(0, "", "--profile", p, "config", "set", "url", target.URL)
		e.mustRun(0, "", "--profile", p, "config", "set", "anon-key", target.AnonKey)
	}
	if got := statusAll(t, e, 3); len(got) != 3 || got["alice"].SignedIn || got["bob"].SignedIn {
		t.Fatalf("status --all before any sign-in (alice, bob, default): %+v", got)
	}
	email := uniqueEmail(t)
	e.mustRun(0, password+"\n", "--profile", "alice", "signup", "--email", email, "--password-stdin")

	got := statusAll(t, e, 0)
	if a := got["alice"]; !a.SignedIn || a.User == nil || a.User.Email != email || got["bob"].SignedIn {
		t.Fatalf("status --all after alice signed in: %+v", got)
	}
	if !got["default"].Current {
		t.Errorf("the implicit default profile is the one in use: %+v", got)
	}

	e.mustRun(0, "", "profile", "use", "alice")
	r := e.mustRun(0, "", "status", "--json")
	if !strings.Contains(r.Stdout, email) {
		t.Errorf("status after profile use alice: %s", r.Stdout)
	}
	r = e.mustRun(0, "", "profile", "list")
	if !strings.Contains(r.Stdout, "*\talice\t") || !strings.Contains(r.Stdout, email) || !strings.Contains(r.Stdout, " \tbob\t") {
		t.Errorf("profile list:\n%s", r.Stdout)
	}

	e.mustRun(0, "", "profile", "rename", "alice", "carol")
	got = statusAll(t, e, 0)
	if c := got["carol"]; !c.SignedIn || !c.Current || c.User.Email != email {
		t.Errorf("after rename alice carol: %+v", got)
	}
	if _, ok := got["alice"]; ok {
		t.Errorf("alice still listed after the rename: %+v", got)
	}
	// The session still works under the new name.
	r = e.mustRun(0, "", "user", "--json")
	if !strings.Contains(r.Stdout, email) {
		t.Errorf("user after rename: %s", r.Stdout)
	}

	e.mustRun(2, "", "profile", "rename", "carol", "bob")
	e.mustRun(2, "", "profile", "use", "nobody")
	e.mustRun(0, "", "profile", "delete", "carol")
	got = statusAll(t, e, 3)
	if _, ok := got["carol"]; ok || len(got) != 2 {
		t.Errorf("after delete carol: %+v", got)
	}
	// A profile created again under the deleted name starts signed out.
	e.mustRun(0, "", "--profile", "carol", "config", "set", "url", target.URL)
	e.mustRun(3, "", "--profile", "carol", "status")
}
