// Package keyring selects and implements where authctl keeps sessions: the
// OS keyring (default), a 0600 file when no keyring is usable, memory for
// tests. Nothing here runs at package init.
package keyring

import (
	"context"
	"errors"
	"fmt"
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
}

// Info says which backend Open chose and, when auto fell back, why.
type Info struct {
	Backend        string // "keyring" or "file"
	FallbackReason string
}

// probeKey is looked up (and never found) to see whether the keyring answers.
const probeKey = "authctl-probe"

// Open returns the storage Config selects. In auto mode the keyring is probed
// once; when it is unusable (no D-Bus, no Secret Service, locked collection,
// timeout) the file backend is used and Info.FallbackReason names the error.
// An explicit keyring mode fails instead of falling back.
func Open(ctx context.Context, cfg Config) (auth.Storage, Info, error) {
	file := func() auth.Storage { return NewFile(filepath.Join(cfg.FileDir, fileName(cfg.Profile))) }
	switch cfg.Mode {
	case ModeFile:
		return file(), Info{Backend: ModeFile}, nil
	case ModeAuto, "", ModeKeyring:
	default:
		return nil, Info{}, fmt.Errorf("unknown storage %q: want auto, keyring or file", cfg.Mode)
	}
	k := NewOS(cfg.Service, cfg.Timeout)
	_, _, err := k.get(ctx, probeKey)
	if err == nil {
		return k, Info{Backend: ModeKeyring}, nil
	}
	if cfg.Mode == ModeKeyring {
		return nil, Info{}, fmt.Errorf("the OS keyring is not usable (storage is set to keyring): %s", oneLine(err))
	}
	return file(), Info{Backend: ModeFile, FallbackReason: oneLine(err)}, nil
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
