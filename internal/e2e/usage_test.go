package e2e

import (
	"strings"
	"testing"
)

// A misspelt subcommand is a usage error (exit 2) that names the command,
// suggests the right one and does nothing: in CI a misspelt destructive
// command must fail, not print help and "pass".
func TestMisspeltSubcommands(t *testing.T) {
	e := newEnv(t).withAdmin()
	u := createUser(t, e, "", "--email", uniqueEmail(t))
	cases := []struct {
		args               []string
		unknown, parent    string
		suggestion, stdout string
	}{
		{[]string{"admin", "users", "delte", u.ID}, "delte", "authctl admin users", "delete", ""},
		{[]string{"admin", "userz", "list"}, "userz", "authctl admin", "users", ""},
		{[]string{"mfa", "enrol", "--type", "totp"}, "enrol", "authctl mfa", "enroll", ""},
		{[]string{"config", "sett", "url", "http://127.0.0.1:1"}, "sett", "authctl config", "set", ""},
		{[]string{"login", "passwrd", "--email", u.Email}, "passwrd", "authctl login", "password", ""},
		{[]string{"admn", "users", "delete", u.ID}, "admn", "authctl", "admin", ""},
		{[]string{"oauth", "authorization", "aprove", unknownUUID}, "aprove", "authctl oauth authorization", "approve", ""},
	}
	for _, c := range cases {
		r := e.mustRun(2, "", c.args...)
		want := `unknown command "` + c.unknown + `" for "` + c.parent + `"`
		if !strings.Contains(r.Stderr, want) || !strings.Contains(r.Stderr, "Did you mean this?") ||
			!strings.Contains(r.Stderr, "\t"+c.suggestion+"\n") || r.Stdout != "" {
			t.Errorf("authctl %s:\nstdout %q\nstderr %q\nwant %s suggesting %s", strings.Join(c.args, " "), r.Stdout, r.Stderr, want, c.suggestion)
		}
	}
	// --json: the usage error object.
	name, msg, _ := errorJSON(t, e.mustRun(2, "", "admin", "users", "delte", u.ID, "--json"))
	if name != "UsageError" || !strings.Contains(msg, `unknown command "delte"`) {
		t.Errorf("--json: %s %q", name, msg)
	}
	// Nothing happened: the user is still there, the URL unchanged.
	e.mustRun(0, "", "admin", "users", "get", u.ID)
	if r := e.mustRun(0, "", "config", "get", "url"); strings.Contains(r.Stdout, "127.0.0.1:1") {
		t.Errorf("config sett changed the url: %s", r.Stdout)
	}
}
