// Package projectconfigtest lays out a Supabase project directory for
// tests of `authctl emulator --config`: supabase/config.toml beside the
// .env files the Supabase CLI reads.
package projectconfigtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Project writes files, named by their path in a new project directory,
// and returns the path of its supabase/config.toml.
func Project(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "supabase", "config.toml")
}
