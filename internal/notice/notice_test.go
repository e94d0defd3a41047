package notice

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOncePerIDAndText(t *testing.T) {
	dir := t.TempDir()
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
		if got := Once(dir, s.id, s.text); got != s.want {
			t.Errorf("step %d: Once(%s, %s) = %v, want %v", i, s.id, s.text, got, s.want)
		}
	}
}

func TestOnceWithDamagedStateShowsAgain(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fileName), []byte("{nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !Once(dir, "x", "y") || Once(dir, "x", "y") {
		t.Error("a damaged state file must show the notice once, then remember it")
	}
}
