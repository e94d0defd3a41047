package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad reads an arbitrary config.yaml: Load never panics, and whatever it
// accepts can be queried for every profile and saved and read back.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("current-profile: dev\nprofiles:\n  dev:\n    url: http://localhost:9999\n    anon-key: k\n"))
	f.Add([]byte("profiles:\n  a: ~\n  b: {storage: file, flow-type: pkce}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("profiles: [1, 2]\n"))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "config.yaml"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(dir)
		if err != nil {
			return
		}
		names := c.Profiles()
		for _, n := range names {
			_ = c.Profile(n)
		}
		_ = c.Profile(c.CurrentProfile())
		if err := c.Save(); err != nil {
			t.Fatalf("save of a loaded config: %v", err)
		}
		again, err := Load(dir)
		if err != nil {
			t.Fatalf("reload of a saved config: %v", err)
		}
		if len(again.Profiles()) != len(names) {
			t.Fatalf("profiles %v became %v", names, again.Profiles())
		}
	})
}
