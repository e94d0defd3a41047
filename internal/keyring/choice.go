package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// In auto mode the backend is chosen once per profile and remembered in
// <FileDir>/<profile>.storage. Deciding again on every run split sessions:
// one slow keyring answer sent that process to the file, where `token` found
// no session (it was in the keyring) and a sign-in wrote a plaintext one the
// keyring later hid. Now a profile's session lives in one backend; when that
// backend cannot answer, the command fails (ErrTimeout: exit 5) instead of
// looking elsewhere.

// choice is what the .storage file holds.
type choice struct {
	Backend string `json:"backend"`          // ModeKeyring or ModeFile
	Reason  string `json:"reason,omitempty"` // why the keyring was not usable, for ModeFile
}

func choicePath(cfg Config) string {
	return filepath.Join(cfg.FileDir, strings.TrimSuffix(fileName(cfg.Profile), ".json")+".storage")
}

// readChoice returns the remembered choice; ok is false when none was made.
func readChoice(path string) (c choice, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return choice{}, false, nil
	}
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err == nil && c.Backend != ModeKeyring && c.Backend != ModeFile {
		err = fmt.Errorf("unknown backend %q", c.Backend)
	}
	if err != nil {
		return choice{}, false, fmt.Errorf("reading where this profile's session is kept (%s; remove it to choose again): %w", path, err)
	}
	return c, true, nil
}

// rememberChoice records c unless another process recorded a choice first,
// and returns the choice that holds: two processes deciding at once agree.
func rememberChoice(path string, c choice) (choice, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return choice{}, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return choice{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return choice{}, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return choice{}, err
	}
	// A link fails when the name exists: the first choice made stays.
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		held, ok, err := readChoice(path)
		if err == nil && !ok {
			err = fmt.Errorf("%s vanished while being read", path)
		}
		return held, err
	} else if err != nil {
		return choice{}, err
	}
	return c, nil
}
