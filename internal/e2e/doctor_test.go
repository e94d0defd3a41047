package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type doctorCheck struct{ Check, Status, Summary, Why, Fix string }

type doctorReport struct {
	OK     bool
	Checks []doctorCheck
}

// doctor runs `authctl doctor --json` expecting exit want, and returns the
// statuses by check (the last one of a name wins; settings has several).
func runDoctor(t *testing.T, e *env, want int, args ...string) (doctorReport, map[string]string) {
	t.Helper()
	r := e.mustRun(want, "", append([]string{"doctor", "--json"}, args...)...)
	var rep doctorReport
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, r.Stdout)
	}
	by := map[string]string{}
	for _, c := range rep.Checks {
		if by[c.Check] != "problem" {
			by[c.Check] = c.Status
		}
		if c.Status == "problem" && c.Fix == "" && c.Check != "session" {
			t.Errorf("doctor: problem without a fix: %+v", c)
		}
	}
	return rep, by
}

// wantProblems fails unless exactly the checks named are problems.
func wantProblems(t *testing.T, by map[string]string, problems ...string) {
	t.Helper()
	for _, p := range problems {
		if by[p] != "problem" {
			t.Errorf("doctor: check %q is %q, want a problem (all: %v)", p, by[p], by)
		}
	}
	for name, st := range by {
		if st == "problem" && !slices.Contains(problems, name) {
			t.Errorf("doctor: check %q is a problem too (all: %v)", name, by)
		}
	}
}

// doctor passes on a healthy setup and finds each thing broken on purpose.
func TestDoctor(t *testing.T) {
	e := newEnv(t).withAdmin()
	rep, by := runDoctor(t, e, 0)
	if !rep.OK || by["session"] != "info" || by["server"] != "ok" || by["clock"] != "ok" {
		t.Fatalf("doctor, signed out, healthy server: %+v", rep)
	}
	e.mustRun(0, password+"\n", "signup", "--email", uniqueEmail(t), "--password-stdin")
	rep, by = runDoctor(t, e, 0)
	if !rep.OK || by["session"] != "ok" || by["service key"] != "ok" || by["settings"] != "ok" || by["anon key"] != "ok" {
		t.Fatalf("doctor, signed in: %+v", rep)
	}
	r := e.mustRun(0, "", "doctor")
	for _, line := range strings.Split(strings.TrimRight(r.Stdout, "\n"), "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("doctor: line wider than 80 columns: %q", line)
		}
	}

	t.Run("settings for a method the server has off", func(t *testing.T) {
		_, by := runDoctor(t, e, 1, "--method", methodOff(t))
		wantProblems(t, by, "settings")
	})
	t.Run("settings for a method the server does not know", func(t *testing.T) {
		_, by := runDoctor(t, e, 1, "--method", "myspace")
		wantProblems(t, by, "settings")
	})
	t.Run("anon key is the service-role key", func(t *testing.T) {
		e2 := *e
		e2.vars = cloneVars(e.vars)
		e2.vars["SUPABASE_ANON_KEY"] = target.ServiceRoleKey
		_, by := runDoctor(t, &e2, 1)
		wantProblems(t, by, "anon key")
	})
	t.Run("service-role key signed with another secret", func(t *testing.T) {
		e2 := *e
		e2.vars = cloneVars(e.vars)
		e2.vars["SUPABASE_SERVICE_ROLE_KEY"] = forgedKey("service_role")
		_, by := runDoctor(t, &e2, 1)
		wantProblems(t, by, "service key")
	})
	t.Run("session file readable by others", func(t *testing.T) {
		file := filepath.Join(e.dir, "authctl", "sessions", "default.json")
		if err := os.Chmod(file, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(file, 0o600)
		rep, by := runDoctor(t, e, 1)
		wantProblems(t, by, "storage")
		i := slices.IndexFunc(rep.Checks, func(c doctorCheck) bool { return c.Check == "storage" })
		if i < 0 || rep.Checks[i].Fix != "chmod 600 "+file {
			t.Errorf("doctor: no chmod fix: %+v", rep.Checks)
		}
	})
	t.Run("server unreachable", func(t *testing.T) {
		e2 := *e
		e2.vars = cloneVars(e.vars)
		e2.vars["SUPABASE_URL"] = "http://127.0.0.1:1/"
		rep, by := runDoctor(t, &e2, 1)
		wantProblems(t, by, "server")
		if by["clock"] != "skipped" {
			t.Errorf("clock not skipped with the server down: %+v", rep)
		}
	})
	// Last: it ends the session. Signed out everywhere with the access token
	// still unexpired: only the server knows, and doctor asks it.
	t.Run("session revoked on the server", func(t *testing.T) {
		token := strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
		if code := apiCall(t, "POST", "/logout?scope=global", token, nil, nil); code != 204 {
			t.Fatalf("logout: %d", code)
		}
		_, by := runDoctor(t, e, 1)
		wantProblems(t, by, "session")
	})
}

// methodOff is a sign-in method the server under test has off, read from
// its settings: servers differ in which.
func methodOff(t *testing.T) string {
	t.Helper()
	var s struct {
		External    map[string]bool
		SAMLEnabled bool `json:"saml_enabled"`
	}
	apiCall(t, "GET", "/settings", target.AnonKey, nil, &s)
	if !s.SAMLEnabled {
		return "sso"
	}
	for _, p := range slices.Sorted(maps.Keys(s.External)) {
		if !s.External[p] && p != "anonymous_users" {
			return p
		}
	}
	if !s.External["anonymous_users"] {
		return "anonymous"
	}
	t.Fatalf("the server has every sign-in method on: %+v", s)
	return ""
}

func cloneVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// forgedKey is an HS256 JWT with role, signed with a secret no server under
// test has.
func forgedKey(role string) string {
	enc := base64.RawURLEncoding
	h := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	p := enc.EncodeToString([]byte(`{"iss":"supabase-demo","role":"` + role + `","exp":1983812996}`))
	mac := hmac.New(sha256.New, []byte("not-the-secret-of-any-server-under-test"))
	mac.Write([]byte(h + "." + p))
	return h + "." + p + "." + enc.EncodeToString(mac.Sum(nil))
}
