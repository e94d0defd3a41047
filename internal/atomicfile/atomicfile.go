// Package atomicfile replaces files so that a crash at any point leaves
// either the old content or the new, never a mix: write a temporary file in
// the same directory, fsync it, rename it over the target, fsync the
// directory.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, creating the file with perm and its
// directory with dirPerm when missing.
func Write(path string, data []byte, perm, dirPerm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: makes the rename itself durable
		d.Close()
	}
	return nil
}

// tempPattern names the temporary files of writes to path (created 0600 by
// os.CreateTemp, then given perm).
func tempPattern(path string) string { return "." + filepath.Base(path) + ".*.tmp" }

// RemoveStale deletes the temporary files that writes to path left when
// they were killed before their rename (SIGKILL, power loss). Call it only
// while no other Write to path can run (under the caller's lock).
func RemoveStale(path string) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)))
	for _, p := range stale {
		_ = os.Remove(p)
	}
}
