package keyring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/authctl/authctl/internal/atomicfile"
)

// FileStorage keeps one profile's items in one JSON file (key → value), mode
// 0600 in a 0700 directory. Every write goes to a temporary file in the same
// directory, is fsynced and renamed over the old one, so a crash at any point
// leaves either the old or the new file. A sibling lock file serialises the
// read-modify-write of concurrent processes, so none loses another's key.
type FileStorage struct {
	path string
	// OnOverwrite, when set, lets a write replace a corrupt file (whose
	// items are lost anyway) instead of failing, and is told about it: a
	// sign-in must not be blocked by the session it replaces.
	OnOverwrite func(*CorruptError)
}

// CorruptError is a session file that is not the JSON authctl writes.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("session file %s is corrupt (`authctl logout` removes it, `authctl login` replaces it): %v", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// NewFile returns the file backend storing into path.
func NewFile(path string) *FileStorage { return &FileStorage{path: path} }

// Path is the file the items live in.
func (s *FileStorage) Path() string { return s.path }

// GetItem reads key; a missing file holds no items.
func (s *FileStorage) GetItem(_ context.Context, key string) (string, bool, error) {
	items, err := s.read()
	if err != nil {
		return "", false, err
	}
	v, ok := items[key]
	return v, ok, nil
}

// SetItem stores value under key.
func (s *FileStorage) SetItem(ctx context.Context, key, value string) error {
	return s.update(ctx, func(items map[string]string) { items[key] = value })
}

// RemoveItem deletes key.
func (s *FileStorage) RemoveItem(ctx context.Context, key string) error {
	return s.update(ctx, func(items map[string]string) { delete(items, key) })
}

func (s *FileStorage) read() (map[string]string, error) {
	items := map[string]string{}
	b, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return items, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, &CorruptError{Path: s.path, Err: err}
	}
	return items, nil
}

func (s *FileStorage) update(ctx context.Context, change func(map[string]string)) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	lock := flock.New(s.path + ".lock")
	if _, err := lock.TryLockContext(ctx, 5*time.Millisecond); err != nil {
		return fmt.Errorf("locking %s: %w", s.path, err)
	}
	defer lock.Unlock() //nolint:errcheck // closing releases it anyway
	// Killed writes leave temporary files, each holding a whole session;
	// writers hold the lock, so none is in use now.
	atomicfile.RemoveStale(s.path)
	items, err := s.read()
	if corrupt, ok := errors.AsType[*CorruptError](err); ok && s.OnOverwrite != nil {
		s.OnOverwrite(corrupt)
		items, err = map[string]string{}, nil
	}
	if err != nil {
		return err
	}
	change(items)
	b, err := json.MarshalIndent(items, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.path, b, 0o600, 0o700)
}
