package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDirPrecedence(t *testing.T) {
	env := map[string]string{"AUTHCTL_CONFIG_DIR": "/a", "XDG_CONFIG_HOME": "/x", "HOME": "/h"}
	get := func(k string) string { return env[k] }
	for _, want := range []string{"/a", "/x/authctl", "/h/.config/authctl"} {
		got, err := Dir(get)
		if err != nil || got != want {
			t.Fatalf("Dir = %q, %v; want %q", got, err, want)
		}
		// Drop the highest-precedence variable and check the next one wins.
		if env["AUTHCTL_CONFIG_DIR"] != "" {
			delete(env, "AUTHCTL_CONFIG_DIR")
		} else {
			delete(env, "XDG_CONFIG_HOME")
		}
	}
}

func TestSetSaveLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "authctl")
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.Set("staging", "url", "https://abcd.supabase.co"))
	must(t, c.Set("staging", "flow-type", "pkce"))
	must(t, c.Set("", CurrentProfileKey, "staging"))
	must(t, c.Save())

	st, err := os.Stat(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("config mode = %v, want 0600", st.Mode().Perm())
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("config dir mode = %v, want 0700", st.Mode().Perm())
	}

	c2, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := c2.Profile("staging"); got.URL != "https://abcd.supabase.co" || got.FlowType != "pkce" {
		t.Errorf("profile after reload = %+v", got)
	}
	if c2.CurrentProfile() != "staging" {
		t.Errorf("current profile = %q", c2.CurrentProfile())
	}
	must(t, c2.Unset("staging", "url"))
	must(t, c2.Unset("staging", "flow-type"))
	if len(c2.Profiles()) != 0 {
		t.Errorf("empty profile kept: %v", c2.Profiles())
	}
}

func TestSetRejectsUnknownKeysAndValues(t *testing.T) {
	c, _ := Load(t.TempDir())
	var uk *UnknownKeyError
	if err := c.Set("default", "service-role-key", "x"); !errors.As(err, &uk) {
		t.Errorf("secret-looking key accepted: %v", err)
	}
	var iv *InvalidValueError
	if err := c.Set("default", "storage", "cloud"); !errors.As(err, &iv) {
		t.Errorf("invalid storage accepted: %v", err)
	}
}

func TestLoadReportsSyntaxErrorsWithPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("profiles: [unclosed"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "config.yaml") {
		t.Fatalf("Load error = %v, want one naming the file", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
