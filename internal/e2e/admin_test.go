package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// adminUser is the part of a User the admin tests look at.
type adminUser struct {
	ID               string         `json:"id"`
	Aud              string         `json:"aud"`
	Email            string         `json:"email"`
	Phone            string         `json:"phone"`
	EmailConfirmedAt string         `json:"email_confirmed_at"`
	InvitedAt        string         `json:"invited_at"`
	BannedUntil      string         `json:"banned_until"`
	UserMetadata     map[string]any `json:"user_metadata"`
	AppMetadata      map[string]any `json:"app_metadata"`
}

// unknownUUID is a well-formed id that no server has.
const unknownUUID = "00000000-0000-4000-8000-00000000e2e0"

// createUser runs `admin users create` with args and returns the new user,
// deleting it when the test ends (the real server keeps every user).
func createUser(t *testing.T, e *env, stdin string, args ...string) adminUser {
	t.Helper()
	var u adminUser
	e.jsonOut(&u, stdin, append([]string{"admin", "users", "create"}, args...)...)
	if u.ID == "" {
		t.Fatalf("admin users create %v returned no id", args)
	}
	t.Cleanup(func() { e.run("", "admin", "users", "delete", u.ID, "--yes") })
	return u
}

// wantFail checks exit code and that stderr says what went wrong.
func wantFail(t *testing.T, r result, code int, msg string) {
	t.Helper()
	if r.Code != code || !strings.Contains(r.Stderr, msg) {
		t.Errorf("exit %d, stderr %q; want exit %d and %q", r.Code, r.Stderr, code, msg)
	}
}

func TestAdminMissingKeyExits2(t *testing.T) {
	e := newEnv(t) // no service-role key anywhere
	for _, args := range [][]string{
		{"admin", "users", "list"},
		{"admin", "users", "get", unknownUUID},
		{"admin", "generate-link", "--type", "magiclink", "--email", "x@example.com"},
		{"admin", "oauth", "clients", "list"},
	} {
		r := e.run("", args...)
		wantFail(t, r, 2, "SUPABASE_SERVICE_ROLE_KEY")
		wantFail(t, r, 2, "authctl config set service-role-key")
	}
}

// The key stored by `config set service-role-key` (stdin) serves admin
// commands, is never printed, and never lands in config.yaml.
func TestAdminKeyFromConfigStorage(t *testing.T) {
	e := newEnv(t)
	r := e.run("", "config", "set", "service-role-key", target.ServiceRoleKey)
	wantFail(t, r, 2, "read from stdin")
	if strings.Contains(r.Stderr+r.Stdout, target.ServiceRoleKey) {
		t.Error("a key given as an argument was echoed")
	}
	e.mustRun(0, target.ServiceRoleKey+"\n", "config", "set", "service-role-key")
	got := e.mustRun(0, "", "config", "get", "service-role-key")
	if strings.TrimSpace(got.Stdout) != "set" {
		t.Errorf("config get service-role-key = %q, want set", got.Stdout)
	}
	e.mustRun(0, "", "admin", "users", "list", "--per-page", "1")
	filepath.WalkDir(e.dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "config.yaml" {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), target.ServiceRoleKey) {
				t.Errorf("%s holds the service-role key", path)
			}
		}
		return nil
	})
	e.mustRun(0, "", "config", "unset", "service-role-key")
	wantFail(t, e.run("", "admin", "users", "list"), 2, "service-role key")
}

// AD-01, AD-02, AD-04, AD-06, AD-08, AD-09, AD-10.
func TestAdminUsersLifecycle(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	u := createUser(t, e, "", "--email", email, "--user-metadata", `{"team":"qa"}`, "--app-metadata", `{"plan":"pro"}`)
	if u.Email != email || u.UserMetadata["team"] != "qa" || u.AppMetadata["plan"] != "pro" { // AD-01, AD-02
		t.Errorf("created %+v, want %s with team=qa, plan=pro", u, email)
	}
	if u.EmailConfirmedAt != "" {
		t.Errorf("email confirmed without --email-confirm: %s", u.EmailConfirmedAt)
	}

	var got adminUser
	e.jsonOut(&got, "", "admin", "users", "get", u.ID) // AD-06
	if got.ID != u.ID || got.Email != email {
		t.Errorf("get = %+v, want %s", got, u.ID)
	}

	var page struct {
		Users []adminUser `json:"users"`
		Aud   string      `json:"aud"`
	}
	e.jsonOut(&page, "", "admin", "users", "list", "--filter", email) // AD-04
	if page.Aud == "" || len(page.Users) != 1 || page.Users[0].ID != u.ID {
		t.Errorf("list --filter = %+v, want aud and exactly user %s", page, u.ID)
	}

	var upd adminUser
	e.jsonOut(&upd, "", "admin", "users", "update", u.ID, "--user-metadata", `{"level":2}`, "--email-confirm")
	if upd.EmailConfirmedAt == "" { // AD-09
		t.Error("update --email-confirm left email_confirmed_at null")
	}
	if upd.UserMetadata["level"] != float64(2) || upd.UserMetadata["team"] != "qa" { // AD-08
		t.Errorf("user_metadata after update = %v, want level 2 merged with team qa", upd.UserMetadata)
	}

	var del struct {
		ID string `json:"id"`
	}
	e.jsonOut(&del, "", "admin", "users", "delete", u.ID, "--yes") // AD-10
	if del.ID != u.ID {
		t.Errorf("delete --json = %+v", del)
	}
	wantFail(t, e.run("", "admin", "users", "get", u.ID), 1, "User not found")
}

// AD-03: an invalid email is refused before any request (exit 2); a
// duplicate one by the server (exit 1).
func TestAdminCreateBadInput(t *testing.T) {
	e := newEnv(t).withAdmin()
	wantFail(t, e.run("", "admin", "users", "create", "--email", "not-an-email"), 2, `invalid email address "not-an-email"`)
	wantFail(t, e.run("", "admin", "users", "create"), 2, "give --email or --phone")
	wantFail(t, e.run("", "admin", "users", "create", "--email", uniqueEmail(t), "--user-metadata", "{"), 2, "--user-metadata must be a JSON object")
	wantFail(t, e.run("", "admin", "users", "create", "--email", uniqueEmail(t), "--password-stdin"), 2, "nothing was read from stdin")

	email := uniqueEmail(t)
	createUser(t, e, "", "--email", email)
	r := e.run("", "admin", "users", "create", "--email", email, "--json")
	if r.Code != 1 || !strings.Contains(r.Stderr, `"code":"email_exists"`) {
		t.Errorf("duplicate create: exit %d, stderr %s; want 1 with email_exists", r.Code, r.Stderr)
	}
}

// AD-05: pages out of range.
func TestAdminListBadPages(t *testing.T) {
	e := newEnv(t).withAdmin()
	wantFail(t, e.run("", "admin", "users", "list", "--page", "0"), 2, "invalid --page 0")
	wantFail(t, e.run("", "admin", "users", "list", "--page", "-3"), 2, "invalid --page -3")
	wantFail(t, e.run("", "admin", "users", "list", "--per-page", "0"), 2, "invalid --per-page 0")
	wantFail(t, e.run("", "admin", "users", "list", "--per-page", "5000"), 2, "want 1 to 1000")
	wantFail(t, e.run("", "admin", "users", "list", "--all", "--page", "2"), 2, "does not go with --page")

	createUser(t, e, "", "--email", uniqueEmail(t)) // at least one user, so page 1000000 is past the end
	r := e.mustRun(0, "", "admin", "users", "list", "--page", "1000000", "--json")
	var page struct {
		Users json.RawMessage `json:"users"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &page); err != nil || string(page.Users) != "[]" {
		t.Errorf("past the last page: stdout %s, want users []", r.Stdout)
	}
	if !strings.Contains(r.Stderr, "past the last page") {
		t.Errorf("stderr %q does not say the page is past the end", r.Stderr)
	}
}

// AD-07, AD-11: invalid and unknown ids.
func TestAdminInvalidAndUnknownIDs(t *testing.T) {
	e := newEnv(t).withAdmin()
	for _, cmd := range []string{"get", "delete", "update", "session"} {
		args := []string{"admin", "users", cmd, "not-a-uuid"}
		if cmd == "update" {
			args = append(args, "--role", "authenticated")
		}
		wantFail(t, e.run("", args...), 2, `invalid user id "not-a-uuid"`)
	}
	wantFail(t, e.run("", "admin", "users", "get", unknownUUID), 1, "User not found")
	wantFail(t, e.run("", "admin", "users", "delete", unknownUUID, "--yes"), 1, "User not found")
	wantFail(t, e.run("", "admin", "users", "update", unknownUUID, "--role", "authenticated"), 1, "User not found")
	wantFail(t, e.run("", "admin", "users", "update", unknownUUID), 2, "nothing to change")
}

// A paginated listing says how to get the next page; --all follows the Link
// header through every page (one user per page here), streaming.
func TestAdminListPagesAndAll(t *testing.T) {
	e := newEnv(t).withAdmin()
	tag := fmt.Sprintf("pages%d", time.Now().UnixNano())
	want := map[string]bool{}
	for i := range 3 {
		u := createUser(t, e, "", "--email", fmt.Sprintf("%s-%d@example.com", tag, i))
		want[u.ID] = true
	}
	r := e.mustRun(0, "", "admin", "users", "list", "--filter", tag, "--per-page", "2")
	if n := len(strings.Split(strings.TrimSpace(r.Stdout), "\n")); n != 2 {
		t.Errorf("page of 2: %d rows\n%s", n, r.Stdout)
	}
	if !strings.Contains(r.Stderr, "--page 2 --per-page 2") {
		t.Errorf("stderr %q does not say how to get the next page", r.Stderr)
	}

	r = e.mustRun(0, "", "admin", "users", "list", "--all", "--filter", tag, "--per-page", "1", "--json")
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	for _, l := range lines {
		var u adminUser
		if err := json.Unmarshal([]byte(l), &u); err != nil {
			t.Fatalf("--all --json line %q: %v", l, err)
		}
		delete(want, u.ID)
	}
	if len(lines) != 3 || len(want) != 0 {
		t.Errorf("--all gave %d lines, missing %v", len(lines), want)
	}
	ids := e.mustRun(0, "", "admin", "users", "list", "--all", "--filter", tag, "--per-page", "2", "--jq", ".id").Stdout
	if n := strings.Count(ids, "\n"); n != 3 {
		t.Errorf("--all --jq .id: %d lines, want 3:\n%s", n, ids)
	}
	rows := e.mustRun(0, "", "admin", "users", "list", "--all", "--filter", tag, "--per-page", "2").Stdout
	if n := strings.Count(rows, "\n"); n != 3 || !strings.Contains(rows, tag+"-0@example.com") {
		t.Errorf("--all table: %d rows, want 3:\n%s", n, rows)
	}
	empty := e.mustRun(0, "", "admin", "users", "list", "--filter", tag+"-nobody", "--json").Stdout
	if !strings.Contains(empty, `"users": []`) {
		t.Errorf("empty page --json = %s, want users []", empty)
	}
}

func TestAdminDeleteSoft(t *testing.T) {
	e := newEnv(t).withAdmin()
	u := createUser(t, e, "", "--email", uniqueEmail(t), "--email-confirm")
	var del struct {
		Soft bool `json:"soft"`
	}
	e.jsonOut(&del, "", "admin", "users", "delete", u.ID, "--soft", "--yes")
	if !del.Soft {
		t.Error("delete --soft --json does not say soft")
	}
	if r := e.run("", "admin", "users", "session", u.ID); r.Code != 1 {
		t.Errorf("session for a soft-deleted user: exit %d, want 1\n%s", r.Code, r.Stderr)
	}
}

// AD-12: links of every type carry what completes them without mail.
func TestAdminGenerateLink(t *testing.T) {
	e := newEnv(t).withAdmin()
	type link struct {
		Properties struct {
			ActionLink       string `json:"action_link"`
			EmailOTP         string `json:"email_otp"`
			HashedToken      string `json:"hashed_token"`
			VerificationType string `json:"verification_type"`
		} `json:"properties"`
		User adminUser `json:"user"`
	}
	email := uniqueEmail(t)
	var l link
	e.jsonOut(&l, password+"\n", "admin", "generate-link", "--type", "signup", "--email", email, "--password-stdin")
	p := l.Properties
	if p.ActionLink == "" || p.EmailOTP == "" || p.HashedToken == "" || p.VerificationType != "signup" || l.User.Email != email {
		t.Errorf("signup link = %+v", l)
	}
	t.Cleanup(func() { e.run("", "admin", "users", "delete", l.User.ID, "--yes") })
	for _, typ := range []string{"magiclink", "recovery"} {
		var m link
		e.jsonOut(&m, "", "admin", "generate-link", "--type", typ, "--email", email)
		if m.Properties.HashedToken == "" || m.User.ID != l.User.ID {
			t.Errorf("%s link = %+v", typ, m)
		}
	}
	var c link
	e.jsonOut(&c, "", "admin", "generate-link", "--type", "email_change_new", "--email", email, "--new-email", uniqueEmail(t)+".new")
	if c.Properties.HashedToken == "" {
		t.Errorf("email_change_new link = %+v", c)
	}
	wantFail(t, e.run("", "admin", "generate-link", "--type", "bogus", "--email", email), 2, `invalid --type "bogus"`)
	wantFail(t, e.run("", "admin", "generate-link", "--type", "signup", "--email", email), 2, "--password-stdin")
	wantFail(t, e.run("", "admin", "generate-link", "--type", "email_change_new", "--email", email), 2, "--new-email")
	wantFail(t, e.run("", "admin", "generate-link", "--type", "magiclink", "--email", "bad"), 2, "invalid email")
}

// AD-13. /invite counts against the email quota: one invitation only.
func TestAdminInvite(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	var u adminUser
	e.jsonOut(&u, "", "admin", "users", "invite", email, "--data", `{"invited_by":"e2e"}`)
	t.Cleanup(func() { e.run("", "admin", "users", "delete", u.ID, "--yes") })
	if u.Email != email || u.InvitedAt == "" || u.UserMetadata["invited_by"] != "e2e" {
		t.Errorf("invite = %+v, want %s with invited_at and metadata", u, email)
	}
	wantFail(t, e.run("", "admin", "users", "invite", "bad@"), 2, "invalid email")
}

// admin signout ends the user's sessions: the refresh token stops working.
func TestAdminSignout(t *testing.T) {
	e := newEnv(t).withAdmin()
	u := createUser(t, e, "", "--email", uniqueEmail(t), "--email-confirm")
	e.mustRun(0, "", "admin", "users", "session", u.ID, "--save")
	tok := strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
	wantFail(t, e.run("", "admin", "signout", "-", "--scope", "everywhere"), 2, "invalid --scope")
	wantFail(t, e.run("not-a-jwt\n", "admin", "signout", "-"), 2, "not a JWT")
	e.mustRun(0, tok+"\n", "admin", "signout", "-", "--yes")
	if r := e.run("", "session", "refresh"); r.Code != 3 {
		t.Errorf("refresh after admin signout: exit %d, want 3\n%s", r.Code, r.Stderr)
	}
}

func TestAdminOAuthClients(t *testing.T) {
	e := newEnv(t).withAdmin()
	type client struct {
		ClientID     string   `json:"client_id"`
		ClientSecret string   `json:"client_secret"`
		ClientName   string   `json:"client_name"`
		RedirectURIs []string `json:"redirect_uris"`
	}
	name := fmt.Sprintf("e2e-%d", time.Now().UnixNano())
	var c client
	e.jsonOut(&c, "", "admin", "oauth", "clients", "create", "--name", name, "--redirect-uri", "http://127.0.0.1:5555/cb")
	if c.ClientID == "" || c.ClientSecret == "" || c.ClientName != name {
		t.Fatalf("create = %+v", c)
	}
	t.Cleanup(func() { e.run("", "admin", "oauth", "clients", "delete", c.ClientID, "--yes") })

	var list struct {
		Clients []client `json:"clients"`
	}
	e.jsonOut(&list, "", "admin", "oauth", "clients", "list", "--per-page", "1000")
	found := false
	for _, x := range list.Clients {
		found = found || x.ClientID == c.ClientID
	}
	if !found {
		t.Errorf("list does not include %s", c.ClientID)
	}
	var got client
	e.jsonOut(&got, "", "admin", "oauth", "clients", "get", c.ClientID)
	if got.ClientID != c.ClientID || got.ClientSecret != "" {
		t.Errorf("get = %+v, want the client without its secret", got)
	}
	var upd client
	e.jsonOut(&upd, "", "admin", "oauth", "clients", "update", c.ClientID, "--name", name+"-renamed")
	if upd.ClientName != name+"-renamed" {
		t.Errorf("update = %+v", upd)
	}
	var re client
	e.jsonOut(&re, "", "admin", "oauth", "clients", "regenerate-secret", c.ClientID)
	if re.ClientSecret == "" || re.ClientSecret == c.ClientSecret {
		t.Error("regenerate-secret did not issue a new secret")
	}
	wantFail(t, e.run("", "admin", "oauth", "clients", "create", "--name", name), 2, "--redirect-uri is required")
	wantFail(t, e.run("", "admin", "oauth", "clients", "update", c.ClientID), 2, "nothing to change")
	e.mustRun(0, "", "admin", "oauth", "clients", "delete", c.ClientID, "--yes")
	if r := e.run("", "admin", "oauth", "clients", "get", c.ClientID); r.Code != 1 {
		t.Errorf("get after delete: exit %d, want 1", r.Code)
	}
}
