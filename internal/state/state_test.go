package state

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAuthPathsAreRemembered(t *testing.T) {
	f := Open(filepath.Join(t.TempDir(), "state.json"))
	if _, ok := f.AuthPath("http://127.0.0.1:9999"); ok {
		t.Fatal("empty state knows a path")
	}
	if err := f.RememberAuthPath("http://127.0.0.1:9999", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.RememberAuthPath("http://127.0.0.1:54321", "/auth/v1"); err != nil {
		t.Fatal(err)
	}
	again := Open(f.path)
	if p, ok := again.AuthPath("http://127.0.0.1:9999"); !ok || p != "" {
		t.Errorf("bare server: %q, %v", p, ok)
	}
	if p, ok := again.AuthPath("http://127.0.0.1:54321"); !ok || p != "/auth/v1" {
		t.Errorf("project: %q, %v", p, ok)
	}
}

func TestShowOncePerIDAndText(t *testing.T) {
	f := Open(filepath.Join(t.TempDir(), "state.json"))
	steps := []struct {
		id, text string
		want     bool
	}{
		{"keyring-fallback:default", "no D-Bus", true},
		{"keyring-fallback:default", "no D-Bus", false},
		{"keyring-fallback:staging", "no D-Bus", true}, // another profile
		{"keyring-fallback:default", "locked", true},   // another reason
		{"keyring-fallback:default", "locked", false},
	}
	for i, s := range steps {
		if got := f.ShowOnce(s.id, s.text); got != s.want {
			t.Errorf("step %d: ShowOnce(%s, %s) = %v, want %v", i, s.id, s.text, got, s.want)
		}
	}
	if err := f.RememberAuthPath("http://127.0.0.1:9", ""); err != nil || f.ShowOnce("keyring-fallback:default", "locked") {
		t.Error("another kind of state must not forget the notices shown")
	}
}

func TestShowOnceWithDamagedStateShowsAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := Open(path)
	if !f.ShowOnce("x", "y") || f.ShowOnce("x", "y") {
		t.Error("a damaged state file must show the notice once, then remember it")
	}
}
