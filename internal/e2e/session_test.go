package e2e

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
)

const password = "correct-horse-9"

// sessionJSON is the part of a Session the tests look at.
type sessionJSON struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresAt    int64  `json:"expires_at"`
	User         struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	} `json:"user"`
}

// signUp creates a user through the CLI and returns its session.
func signUp(t *testing.T, e *env, email string) sessionJSON {
	t.Helper()
	var res struct {
		Session *sessionJSON `json:"session"`
	}
	e.jsonOut(&res, password+"\n", "signup", "--email", email, "--password-stdin")
	if res.Session == nil || res.Session.AccessToken == "" {
		t.Fatalf("signup returned no session (is autoconfirm on?)")
	}
	return *res.Session
}

func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	b, err := b64url(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignupTokenUserSessionLogout(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	s := signUp(t, e, email)

	tok := strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
	if tok != s.AccessToken {
		t.Errorf("token printed %q…, want the stored access token", tok[:min(len(tok), 12)])
	}
	if sub := claims(t, tok)["sub"]; sub != s.User.ID {
		t.Errorf("token sub = %v, want user id %s", sub, s.User.ID)
	}

	var u struct {
		ID, Email string
	}
	e.jsonOut(&u, "", "user")
	if u.ID != s.User.ID || u.Email != email {
		t.Errorf("user = %+v, want id %s email %s", u, s.User.ID, email)
	}

	var cur sessionJSON
	e.jsonOut(&cur, "", "session")
	if cur.RefreshToken != s.RefreshToken {
		t.Errorf("session shows another refresh token than the one stored")
	}

	var refreshed sessionJSON
	e.jsonOut(&refreshed, "", "session", "refresh")
	if refreshed.RefreshToken == s.RefreshToken || refreshed.AccessToken == "" {
		t.Errorf("session refresh kept the old refresh token")
	}
	if got := strings.TrimSpace(e.mustRun(0, "", "session", "--jq", ".refresh_token").Stdout); got != refreshed.RefreshToken {
		t.Errorf("stored refresh token after refresh = %q, want the new one", got)
	}

	e.mustRun(0, "", "logout")
	r := e.mustRun(3, "", "token")
	if r.Stdout != "" || !strings.Contains(r.Stderr, "not signed in") {
		t.Errorf("token after logout: stdout %q stderr %q", r.Stdout, r.Stderr)
	}
	// The old access token is refused by the server too: its session is gone.
	e2 := newEnv(t)
	e2.mustRun(3, s.AccessToken+"\n"+refreshed.RefreshToken+"\n", "session", "set", "--access-token-stdin")
}

func TestSessionSetAdoptsTokensFromElsewhere(t *testing.T) {
	a := newEnv(t)
	s := signUp(t, a, uniqueEmail(t))

	b := newEnv(t)
	var set sessionJSON
	b.jsonOut(&set, s.AccessToken+"\n"+s.RefreshToken+"\n", "session", "set", "--access-token-stdin")
	if set.User.ID != s.User.ID {
		t.Fatalf("session set: user %q, want %q", set.User.ID, s.User.ID)
	}
	if got := strings.TrimSpace(b.mustRun(0, "", "token").Stdout); got != s.AccessToken {
		t.Errorf("token in the second environment differs from the adopted one")
	}
}

func TestSessionSetRejectsGarbage(t *testing.T) {
	e := newEnv(t)
	r := e.mustRun(2, "not-a-jwt\nsome-refresh-token\n", "session", "set", "--access-token-stdin")
	if !strings.Contains(r.Stderr, "JWT") {
		t.Errorf("stderr %q does not say what is wrong", r.Stderr)
	}
	if strings.Contains(r.Stderr, "some-refresh-token") {
		t.Errorf("the refresh token leaked into the error")
	}
	e.mustRun(2, "", "session", "set")                                        // --access-token-stdin missing
	e.mustRun(2, "only-one-line\n", "session", "set", "--access-token-stdin") // refresh token missing
}

func TestLogoutOthersKeepsThisSession(t *testing.T) {
	email := uniqueEmail(t)
	a := newEnv(t)
	signUp(t, a, email)
	b := newEnv(t)
	b.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")

	a.mustRun(0, "", "logout", "--scope", "others")
	a.mustRun(0, "", "user")               // this session still works
	b.mustRun(3, "", "session", "refresh") // the other one was revoked: signed out
	b.mustRun(3, "", "token")              // and its stored copy removed
	a.mustRun(2, "", "logout", "--scope", "everywhere")
}

func TestWrongPasswordErrorShape(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)

	r := e.mustRun(1, "wrong-password\n", "login", "password", "--email", email, "--password-stdin", "--json")
	var body struct {
		Error struct {
			Name    string  `json:"name"`
			Message string  `json:"message"`
			Status  int     `json:"status"`
			Code    *string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Stderr), &body); err != nil {
		t.Fatalf("stderr is not the JSON error object: %v\n%s", err, r.Stderr)
	}
	if body.Error.Name != "AuthApiError" || body.Error.Status != 400 || body.Error.Code == nil || *body.Error.Code != "invalid_credentials" {
		t.Errorf("error object = %+v", body.Error)
	}
	r = e.mustRun(1, "wrong-password\n", "login", "password", "--email", email, "--password-stdin")
	if !strings.Contains(r.Stderr, "error: Invalid login credentials (invalid_credentials)") {
		t.Errorf("human error = %q", r.Stderr)
	}
}

func TestServerDownExits5(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	e := newEnv(t)
	r := e.mustRun(5, password+"\n", "--url", "http://"+addr, "login", "password", "--email", "x@example.com", "--password-stdin")
	if !strings.Contains(r.Stderr, "error:") {
		t.Errorf("stderr = %q", r.Stderr)
	}
}

func TestMissingInputWithoutTerminalIsUsageError(t *testing.T) {
	e := newEnv(t)
	r := e.mustRun(2, "", "login", "password")
	if !strings.Contains(r.Stderr, "--email") {
		t.Errorf("stderr %q does not name the missing flag", r.Stderr)
	}
	e.mustRun(2, "", "login", "password", "--email", "not-an-email", "--password-stdin")
	e.mustRun(2, "", "user", "--jq", ".[")
}

func TestDebugRedactsSecrets(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	s := signUp(t, e, email)
	r := e.mustRun(0, password+"\n", "--debug", "login", "password", "--email", email, "--password-stdin", "--json")
	var res struct {
		Session sessionJSON `json:"session"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Stderr, "/token") {
		t.Fatalf("--debug traced nothing:\n%s", r.Stderr)
	}
	for name, secret := range map[string]string{"password": password, "access token": res.Session.AccessToken,
		"refresh token": res.Session.RefreshToken, "old refresh token": s.RefreshToken, "anon key": target.AnonKey} {
		if secret != "" && strings.Contains(r.Stderr, secret) {
			t.Errorf("--debug output contains the %s", name)
		}
	}
}
