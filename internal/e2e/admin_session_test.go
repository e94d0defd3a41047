package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// --filter finds one user among many that share most of the address, and
// get --email picks the exact address, not one that merely contains it.
func TestAdminFilterAndGetByEmail(t *testing.T) {
	e := newEnv(t).withAdmin()
	tag := fmt.Sprintf("many%d", time.Now().UnixNano())
	for i := range 12 {
		createUser(t, e, "", "--email", fmt.Sprintf("%s-%02d@example.com", tag, i))
	}
	exact := tag + "@example.com"
	longer := "x" + exact // contains exact: the server's filter matches both
	want := createUser(t, e, "", "--email", exact)
	createUser(t, e, "", "--email", longer)

	var page struct {
		Users []adminUser `json:"users"`
	}
	e.jsonOut(&page, "", "admin", "users", "list", "--filter", tag+"-07")
	if len(page.Users) != 1 || page.Users[0].Email != tag+"-07@example.com" {
		t.Errorf("--filter %s-07 = %+v, want exactly that user", tag, page.Users)
	}
	var all int
	for _, l := range strings.Split(strings.TrimSpace(e.mustRun(0, "", "admin", "users", "list", "--all", "--filter", tag, "--per-page", "5", "--json").Stdout), "\n") {
		if strings.Contains(l, tag) {
			all++
		}
	}
	if all != 14 {
		t.Errorf("--all --filter %s: %d users, want 14", tag, all)
	}

	var got adminUser
	e.jsonOut(&got, "", "admin", "users", "get", "--email", strings.ToUpper(exact))
	if got.ID != want.ID {
		t.Errorf("get --email %s = %s (%s), want %s", exact, got.ID, got.Email, want.ID)
	}
	// The same user as `get ID` shows it, identities included: the real
	// server's listing answers "identities": null.
	var byEmail, byID map[string]any
	e.jsonOut(&byEmail, "", "admin", "users", "get", "--email", exact)
	e.jsonOut(&byID, "", "admin", "users", "get", want.ID)
	if ids, _ := byEmail["identities"].([]any); len(ids) != 1 || !reflect.DeepEqual(byEmail["identities"], byID["identities"]) {
		t.Errorf("get --email identities = %v, want get ID's %v", byEmail["identities"], byID["identities"])
	}
	wantFail(t, e.run("", "admin", "users", "get", "--email", "nobody-"+exact), 1, "no user has the email")
	wantFail(t, e.run("", "admin", "users", "get", want.ID, "--email", exact), 2, "not both")
	wantFail(t, e.run("", "admin", "users", "get"), 2, "give its ID or --email")
}

// getUser calls GET /user with token, as an application would.
func getUser(t *testing.T, token string) (int, adminUser) {
	t.Helper()
	req, err := http.NewRequest("GET", strings.TrimRight(target.URL, "/")+"/user", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if target.AnonKey != "" {
		req.Header.Set("apikey", target.AnonKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var u adminUser
	_ = json.Unmarshal(b, &u)
	return resp.StatusCode, u
}

// A user without a password gets a real session; without --save the
// profile's session is not touched.
func TestAdminSessionMintsToken(t *testing.T) {
	e := newEnv(t).withAdmin()
	u := createUser(t, e, "", "--email", uniqueEmail(t), "--email-confirm")

	tok := strings.TrimSpace(e.mustRun(0, "", "admin", "users", "session", u.ID).Stdout)
	if sub := claims(t, tok)["sub"]; sub != u.ID {
		t.Errorf("token sub = %v, want %s", sub, u.ID)
	}
	if code, got := getUser(t, tok); code != 200 || got.ID != u.ID {
		t.Errorf("GET /user with the minted token: %d %+v, want user %s", code, got, u.ID)
	}
	if r := e.run("", "token"); r.Code != 3 {
		t.Errorf("without --save a session was stored: `token` exit %d, want 3", r.Code)
	}

	var s sessionJSON
	e.jsonOut(&s, "", "admin", "users", "session", "--email", u.Email)
	if s.AccessToken == "" || s.RefreshToken == "" || s.User.ID != u.ID {
		t.Errorf("session --json = %+v, want a Session of %s", s, u.ID)
	}
}

// --save makes the minted session the profile's: token and user commands
// then act as that user. Without --save the stored session stays.
func TestAdminSessionSaveSwitchesUser(t *testing.T) {
	e := newEnv(t).withAdmin()
	me := signUp(t, e, uniqueEmail(t))
	t.Cleanup(func() { e.run("", "admin", "users", "delete", me.User.ID, "--yes") })
	other := createUser(t, e, "", "--email", uniqueEmail(t))

	e.mustRun(0, "", "admin", "users", "session", other.ID)
	if sub := claims(t, strings.TrimSpace(e.mustRun(0, "", "token").Stdout))["sub"]; sub != me.User.ID {
		t.Errorf("without --save the stored session changed to %v", sub)
	}

	e.mustRun(0, "", "admin", "users", "session", "--email", other.Email, "--save")
	if sub := claims(t, strings.TrimSpace(e.mustRun(0, "", "token").Stdout))["sub"]; sub != other.ID {
		t.Errorf("after --save token sub = %v, want %s", sub, other.ID)
	}
	var cur adminUser
	e.jsonOut(&cur, "", "user")
	if cur.ID != other.ID {
		t.Errorf("after --save `user` = %s, want %s", cur.ID, other.ID)
	}
}

// A phone user with an email has no password and still gets a session.
func TestAdminSessionPhoneUserWithEmail(t *testing.T) {
	e := newEnv(t).withAdmin()
	phone := fmt.Sprintf("+1555%07d", time.Now().UnixNano()%10_000_000)
	u := createUser(t, e, "", "--phone", phone, "--phone-confirm", "--email", uniqueEmail(t))
	tok := strings.TrimSpace(e.mustRun(0, "", "admin", "users", "session", u.ID).Stdout)
	if sub := claims(t, tok)["sub"]; sub != u.ID {
		t.Errorf("token sub = %v, want %s", sub, u.ID)
	}

	noEmail := createUser(t, e, "", "--phone", fmt.Sprintf("+1556%07d", time.Now().UnixNano()%10_000_000), "--phone-confirm")
	wantFail(t, e.run("", "admin", "users", "session", noEmail.ID), 1, "has no email address")
}

func TestAdminSessionRefusals(t *testing.T) {
	e := newEnv(t).withAdmin()
	banned := createUser(t, e, "", "--email", uniqueEmail(t), "--email-confirm", "--ban-duration", "24h")
	r := e.run("", "admin", "users", "session", banned.ID, "--json")
	if r.Code != 1 || !strings.Contains(r.Stderr, "User is banned") || !strings.Contains(r.Stderr, `"code":"user_banned"`) {
		t.Errorf("banned user: exit %d, stderr %s; want 1 with the server's user_banned", r.Code, r.Stderr)
	}
	if strings.TrimSpace(r.Stdout) != "" {
		t.Errorf("banned user: stdout %q, want nothing", r.Stdout)
	}
	wantFail(t, e.run("", "admin", "users", "session", "--email", "nobody-"+uniqueEmail(t)), 1, "no user has the email")
	wantFail(t, e.run("", "admin", "users", "session", unknownUUID), 1, "User not found")
	wantFail(t, newEnv(t).run("", "admin", "users", "session", banned.ID), 2, "service-role key")
}

// An OAuth user (no password, only a keycloak identity) gets a session too.
func TestAdminSessionOAuthUser(t *testing.T) {
	e := newEnv(t).withAdmin()
	e.vars["BROWSER"] = fakeBrowser(t)
	e.vars["AUTHCTL_E2E_BROWSER_LOG"] = e.dir + "/browser.log"
	email := uniqueEmail(t)
	var res struct {
		User adminUser `json:"user"`
	}
	e.jsonOut(&res, "", "login", "oauth", testProvider, "--query", "login_hint="+email, "--timeout", "30s")
	if res.User.AppMetadata["provider"] != testProvider {
		t.Fatalf("login oauth made %+v, want a %s user", res.User, testProvider)
	}
	t.Cleanup(func() { e.run("", "admin", "users", "delete", res.User.ID, "--yes") })
	other := newEnv(t).withAdmin() // a profile with no session of its own
	tok := strings.TrimSpace(other.mustRun(0, "", "admin", "users", "session", "--email", email).Stdout)
	if sub := claims(t, tok)["sub"]; sub != res.User.ID {
		t.Errorf("token sub = %v, want the OAuth user %s", sub, res.User.ID)
	}
}
