// Package state keeps what authctl learns between runs that is neither
// configuration nor secret: the Auth path found behind a URL (so the probe
// runs once), and which Auth URLs each profile holds a session for (so "not
// signed in" can say where the profile is signed in), and which one-time
// notices were shown (so advice worth reading once does not bury every
// command's output, `authctl token` in a script included), and which sign-in
// methods each server had on when last asked (so completion and the login
// chooser need not ask again within minutes). One small JSON file,
// rewritten atomically. A write lost to a concurrent process costs at most a
// repeated probe or a less precise hint, so there is no lock.
package state

import (
	"encoding/json"
	"os"
	"slices"
	"time"

	"github.com/authctl/authctl/internal/atomicfile"
)

// File is the state file at one path.
type File struct{ path string }

// Open returns the state file at path; nothing is read until asked.
func Open(path string) *File { return &File{path: path} }

type content struct {
	// AuthPaths maps a URL given without a path (normalised origin) to the
	// path its Auth API answered at: "/auth/v1" or "" (a bare server).
	AuthPaths map[string]string `json:"auth_paths,omitempty"`
	// Sessions maps a profile to the Auth URLs it holds a session for.
	Sessions map[string][]string `json:"sessions,omitempty"`
	// Shown maps a one-time notice's id to the text it was last shown with.
	Shown map[string]string `json:"shown,omitempty"`
	// Settings maps an Auth URL to what its GET /settings said, for
	// completion and choosers that must not wait on the network each time.
	Settings map[string]Settings `json:"settings,omitempty"`
}

// Settings is the part of a server's GET /settings authctl remembers, and
// when it was read.
type Settings struct {
	Read time.Time `json:"read"`
	// External is the settings' "external" map: which sign-in methods
	// (OAuth providers, email, phone, anonymous_users) are on.
	External map[string]bool `json:"external"`
}

// read returns the content; a missing or unreadable file is empty state.
func (f *File) read() content {
	var c content
	if b, err := os.ReadFile(f.path); err == nil {
		_ = json.Unmarshal(b, &c)
	}
	return c
}

func (f *File) update(change func(*content) bool) error {
	c := f.read()
	if !change(&c) {
		return nil
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(f.path, append(b, '\n'), 0o600, 0o700)
}

// AuthPath is the path remembered for origin.
func (f *File) AuthPath(origin string) (string, bool) {
	p, ok := f.read().AuthPaths[origin]
	return p, ok
}

// RememberAuthPath records the path the Auth API of origin answered at.
func (f *File) RememberAuthPath(origin, path string) error {
	return f.update(func(c *content) bool {
		if old, ok := c.AuthPaths[origin]; ok && old == path {
			return false
		}
		if c.AuthPaths == nil {
			c.AuthPaths = map[string]string{}
		}
		c.AuthPaths[origin] = path
		return true
	})
}

// Sessions lists the Auth URLs profile holds a session for.
func (f *File) Sessions(profile string) []string { return f.read().Sessions[profile] }

// SetSession records whether profile holds a session for authURL.
func (f *File) SetSession(profile, authURL string, present bool) error {
	return f.update(func(c *content) bool {
		urls := c.Sessions[profile]
		i := slices.Index(urls, authURL)
		switch {
		case present && i < 0:
			urls = append(urls, authURL)
		case !present && i >= 0:
			urls = slices.Delete(urls, i, i+1)
		default:
			return false
		}
		if c.Sessions == nil {
			c.Sessions = map[string][]string{}
		}
		if len(urls) == 0 {
			delete(c.Sessions, profile)
		} else {
			c.Sessions[profile] = urls
		}
		return true
	})
}

// ShowOnce reports whether the notice id should be shown: true the first
// time, and again whenever its text changes (a new reason is news), and
// records the showing. When the state cannot be read or written it says
// true: a notice shown twice is better than one never shown.
func (f *File) ShowOnce(id, text string) bool {
	show := true
	err := f.update(func(c *content) bool {
		if c.Shown[id] == text {
			show = false
			return false
		}
		if c.Shown == nil {
			c.Shown = map[string]string{}
		}
		c.Shown[id] = text
		return true
	})
	return show || err != nil
}

// Settings is what authURL's settings said when last read.
func (f *File) Settings(authURL string) (Settings, bool) {
	s, ok := f.read().Settings[authURL]
	return s, ok
}

// RememberSettings records what authURL's settings said.
func (f *File) RememberSettings(authURL string, s Settings) error {
	return f.update(func(c *content) bool {
		if c.Settings == nil {
			c.Settings = map[string]Settings{}
		}
		c.Settings[authURL] = s
		return true
	})
}
