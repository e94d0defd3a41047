package e2e

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// settings --json is the server's GET /settings document, field for field.
func TestSettings(t *testing.T) {
	e := newEnv(t)
	var want, got map[string]any
	apiCall(t, "GET", "/settings", target.AnonKey, nil, &want)
	e.jsonOut(&got, "", "settings")
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		t.Fatalf("settings --json:\n got %s\nwant %s", gb, wb)
	}
	r := e.mustRun(0, "", "settings")
	for _, label := range []string{"sign-ups", "email", "anonymous", "oauth providers"} {
		if !strings.Contains(r.Stdout, label) {
			t.Errorf("settings: no %q line:\n%s", label, r.Stdout)
		}
	}
	for _, line := range strings.Split(r.Stdout, "\n") {
		if len(line) > 80 {
			t.Errorf("settings: line wider than 80 columns: %q", line)
		}
	}
}

// settings diff compares two profiles' servers: the target against the
// same server with sign-ups off (the SIGNUP_OFF variant). Exit 1 and the differing setting when they
// differ, exit 0 for a profile compared with itself.
func TestSettingsDiff(t *testing.T) {
	other := serverWith(t, "SIGNUP_OFF")
	otherURL, otherKey := other.URL, other.AnonKey
	e := newEnv(t)
	// The environment's URL must not leak into either profile.
	e.vars["SUPABASE_URL"] = otherURL
	e.mustRun(0, "", "--profile", "prod", "config", "set", "url", target.URL)
	e.mustRun(0, "", "--profile", "prod", "config", "set", "anon-key", target.AnonKey)
	e.mustRun(0, "", "--profile", "staging", "config", "set", "url", otherURL)
	e.mustRun(0, "", "--profile", "staging", "config", "set", "anon-key", otherKey)

	r := e.mustRun(0, "", "settings", "diff", "prod", "prod")
	if !strings.Contains(r.Stdout, "same") {
		t.Errorf("diff of a profile with itself: %q", r.Stdout)
	}
	r = e.mustRun(1, "", "settings", "diff", "prod", "staging", "--json")
	var d struct {
		A           struct{ Profile, URL string }
		Same        bool
		Differences []struct {
			Setting string
			A, B    any
		}
	}
	if err := json.Unmarshal([]byte(r.Stdout), &d); err != nil {
		t.Fatalf("settings diff --json: %v\n%s", err, r.Stdout)
	}
	found := false
	for _, x := range d.Differences {
		if x.Setting == "disable_signup" && x.A == false && x.B == true {
			found = true
		}
	}
	if d.Same || !found || d.A.Profile != "prod" {
		t.Errorf("settings diff prod staging: %+v", d)
	}
	if r.Stderr != "" {
		t.Errorf("differences are not errors; stderr: %s", r.Stderr)
	}
	r = e.mustRun(1, "", "settings", "diff", "prod", "staging")
	if !strings.Contains(r.Stdout, "disable_signup\toff\ton") {
		t.Errorf("settings diff text:\n%s", r.Stdout)
	}
	e.mustRun(2, "", "settings", "diff", "prod")
}
