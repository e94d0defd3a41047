// Package keyring selects and implements where authctl keeps sessions: the
// OS keyring (default), a 0600 file when no keyring is usable, memory for
// tests. Nothing here runs at package init.
package keyring

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

// Modes of Config.Mode.
const (
	ModeAuto    = "auto"
	ModeKeyring = "keyring"
	ModeFile    = "file"
)

// Config selects a backend.
type Config struct {
	Mode    string        // auto (default), keyring or file
	Service string        // keyring service name, "authctl"
	FileDir string        // directory of the session files (one per profile)
	Profile string        // the profile whose file is used
	Timeout time.Duration // bound on every keyring call

	provider provider // the keyring itself; nil means the OS's (tests set it)
	// OnOverwrite is the file backend's FileStorage.OnOverwrite.
	OnOverwrite func(*CorruptError)
}

// Info says which backend Open chose and, when auto fell back, why.
type Info struct {
	Backend        string // "keyring" or "file"
	FallbackReason string
}

// probeKey is looked up (and never found) to see whether the keyring answers.
const probeKey = "authctl-probe"

// Open returns the storage Config selects. In auto mode the backend is the
// one remembered for the profile (choice.go); the first time, the keyring is
// probed, and when it is unusable (no D-Bus session bus, no Secret Service,
// locked collection) the file is chosen and Info.FallbackReason names the
// error. A keyring that does not answer in time decides nothing: that is an
// error wrapping ErrTimeout. An explicit keyring mode fails instead of
// falling back.
func Open(ctx context.Context, cfg Config) (auth.Storage, Info, error) {
	file := func() auth.Storage {
		fs := NewFile(FilePath(cfg.FileDir, cfg.Profile))
		fs.OnOverwrite = cfg.OnOverwrite
		return fs
	}
	switch cfg.Mode {
	case ModeFile:
		return file(), Info{Backend: ModeFile}, nil
	case ModeKeyring:
		k, err := probe(ctx, cfg)
		if err != nil {
			return nil, Info{}, fmt.Errorf("the OS keyring is not usable (storage is set to keyring): %w", err)
		}
		return k, Info{Backend: ModeKeyring}, nil
	case ModeAuto, "":
	default:
		return nil, Info{}, fmt.Errorf("unknown storage %q: want auto, keyring or file", cfg.Mode)
	}

	path := choicePath(cfg)
	c, decided, err := readChoice(path)
	if err != nil {
		return nil, Info{}, err
	}
	if !decided {
		if c, err = decide(ctx, cfg); err != nil {
			return nil, Info{}, err
		}
		if c, err = rememberChoice(path, c); err != nil {
			return nil, Info{}, fmt.Errorf("remembering where this profile's session is kept: %w", err)
		}
	}
	if c.Backend == ModeFile {
		return file(), Info{Backend: ModeFile, FallbackReason: c.Reason}, nil
	}
	k, err := probe(ctx, cfg)
	if err != nil {
		return nil, Info{}, fmt.Errorf("profile %q keeps its session in the OS keyring, which is not usable now: %w"+
			" (try again; to keep sessions in a file instead, sign out and set storage to file)", cfg.Profile, err)
	}
	return k, Info{Backend: ModeKeyring}, nil
}

// decide makes auto mode's first choice for a profile. A session file that
// is already there (written before choices were remembered) keeps the
// profile on the file.
func decide(ctx context.Context, cfg Config) (choice, error) {
	if _, err := os.Stat(filepath.Join(cfg.FileDir, fileName(cfg.Profile))); err == nil {
		return choice{Backend: ModeFile, Reason: "this profile's session was already kept in the file"}, nil
	}
	_, err := probe(ctx, cfg)
	switch {
	case err == nil:
		return choice{Backend: ModeKeyring}, nil
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return choice{}, fmt.Errorf("choosing where to keep this profile's session: %w"+
			" (try again; or set storage to file)", err)
	}
	return choice{Backend: ModeFile, Reason: oneLine(err)}, nil
}

// probe returns the keyring backend when it answers a lookup.
func probe(ctx context.Context, cfg Config) (*OSStorage, error) {
	k := NewOS(cfg.Service, cfg.Timeout)
	if cfg.provider != nil {
		k.p = cfg.provider
	}
	if _, _, err := k.get(ctx, probeKey); err != nil {
		if errors.Is(err, ErrTimeout) {
			return nil, err
		}
		return nil, errors.New(oneLine(err))
	}
	return k, nil
}

func oneLine(err error) string {
	msg := err.Error()
	if errors.Is(err, ErrTimeout) {
		return msg
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// FilePath is the file the file backend keeps a profile's items in, under
// dir (Config.FileDir).
func FilePath(dir, profile string) string { return filepath.Join(dir, fileName(profile)) }

// fileName keeps a profile name safe as a file name.
func fileName(profile string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, profile)
	if safe == "" {
		safe = "default"
	}
	return safe + ".json"
}

// ServiceRoleKeyItem is the storage item holding a profile's service-role
// key (`authctl config set service-role-key`), kept in the same storage as
// the profile's session. The profile is part of the name so that profiles
// sharing a storage backend keep their keys apart.
func ServiceRoleKeyItem(profile string) string { return "authctl-service-role-key-" + profile }
