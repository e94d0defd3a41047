// Package config reads and writes authctl's profiles in
// $XDG_CONFIG_HOME/authctl/config.yaml (AUTHCTL_CONFIG_DIR overrides the
// directory).
//
// The file holds only public settings: the URL, the anon key (public by
// design), the flow type and the storage backend. Secrets — sessions, refresh
// tokens, the service-role key — never go here; Set refuses keys it does not
// know, so a secret cannot slip in under a new name.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/authctl/authctl/internal/atomicfile"
)

// DefaultProfile is used when neither --profile, AUTHCTL_PROFILE nor the
// file's current profile names one.
const DefaultProfile = "default"

// Profile is one named set of settings.
type Profile struct {
	URL      string `yaml:"url,omitempty"`
	AnonKey  string `yaml:"anon-key,omitempty"`
	FlowType string `yaml:"flow-type,omitempty"`
	Storage  string `yaml:"storage,omitempty"`
}

type file struct {
	CurrentProfile string              `yaml:"current-profile,omitempty"`
	Profiles       map[string]*Profile `yaml:"profiles,omitempty"`
}

// Config is the loaded configuration file.
type Config struct {
	path string
	f    file
}

// Dir is the configuration directory: AUTHCTL_CONFIG_DIR, else
// $XDG_CONFIG_HOME/authctl, else ~/.config/authctl.
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("AUTHCTL_CONFIG_DIR"); d != "" {
		return d, nil
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "authctl"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", fmt.Errorf("cannot find the configuration directory: set AUTHCTL_CONFIG_DIR: %w", err)
		}
	}
	return filepath.Join(home, ".config", "authctl"), nil
}

// Load reads dir/config.yaml; a missing file is an empty configuration.
func Load(dir string) (*Config, error) {
	c := &Config{path: filepath.Join(dir, "config.yaml")}
	data, err := os.ReadFile(c.path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(data, &c.f); err != nil {
		return nil, fmt.Errorf("%s: %w", c.path, err)
	}
	for name, p := range c.f.Profiles {
		if p == nil {
			c.f.Profiles[name] = &Profile{}
		}
	}
	return c, nil
}

// Path is the file the configuration is read from and saved to.
func (c *Config) Path() string { return c.path }

// CurrentProfile is the profile named in the file, or "".
func (c *Config) CurrentProfile() string { return c.f.CurrentProfile }

// Profile returns the named profile's settings (empty when absent).
func (c *Config) Profile(name string) Profile {
	if p := c.f.Profiles[name]; p != nil {
		return *p
	}
	return Profile{}
}

// Profiles lists the profile names, sorted.
func (c *Config) Profiles() []string {
	names := make([]string, 0, len(c.f.Profiles))
	for n := range c.f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Save writes the file atomically (temp file, fsync, rename), mode 0600 in a
// 0700 directory.
func (c *Config) Save() error {
	data, err := yaml.Marshal(&c.f)
	if err != nil {
		return err
	}
	return atomicfile.Write(c.path, data, 0o600, 0o700)
}

func (c *Config) profile(name string) *Profile {
	if c.f.Profiles == nil {
		c.f.Profiles = map[string]*Profile{}
	}
	p := c.f.Profiles[name]
	if p == nil {
		p = &Profile{}
		c.f.Profiles[name] = p
	}
	return p
}

// Key describes one setting.
type Key struct {
	Name    string
	Help    string
	Allowed []string // empty: any value
	field   func(*Profile) *string
}

// Keys lists every setting `config get|set|unset` accepts, plus
// current-profile which lives outside the profiles.
var Keys = []Key{
	{Name: "url", Help: "project URL (https://REF.supabase.co) or Auth URL", field: func(p *Profile) *string { return &p.URL }},
	{Name: "anon-key", Help: "the project's anon (publishable) key, public by design", field: func(p *Profile) *string { return &p.AnonKey }},
	{Name: "flow-type", Help: "implicit or pkce", Allowed: []string{"implicit", "pkce"}, field: func(p *Profile) *string { return &p.FlowType }},
	{Name: "storage", Help: "where sessions are kept: auto, keyring or file", Allowed: []string{"auto", "keyring", "file"}, field: func(p *Profile) *string { return &p.Storage }},
}

// CurrentProfileKey selects the profile used when none is named.
const CurrentProfileKey = "current-profile"

// UnknownKeyError names a key that is not a setting.
type UnknownKeyError struct{ Key string }

func (e *UnknownKeyError) Error() string {
	names := []string{CurrentProfileKey}
	for _, k := range Keys {
		names = append(names, k.Name)
	}
	return fmt.Sprintf("unknown configuration key %q (known keys: %s)", e.Key, strings.Join(names, ", "))
}

// InvalidValueError names a value a key does not accept.
type InvalidValueError struct {
	Key, Value string
	Allowed    []string
}

func (e *InvalidValueError) Error() string {
	return fmt.Sprintf("invalid value %q for %s (allowed: %s)", e.Value, e.Key, strings.Join(e.Allowed, ", "))
}

func lookup(key string) (Key, error) {
	for _, k := range Keys {
		if k.Name == key {
			return k, nil
		}
	}
	return Key{}, &UnknownKeyError{Key: key}
}

// Get returns a setting of the profile; ok is false when it is not set.
func (c *Config) Get(profile, key string) (string, bool, error) {
	if key == CurrentProfileKey {
		return c.f.CurrentProfile, c.f.CurrentProfile != "", nil
	}
	k, err := lookup(key)
	if err != nil {
		return "", false, err
	}
	p := c.Profile(profile)
	v := *k.field(&p)
	return v, v != "", nil
}

// Set changes a setting of the profile in memory; call Save to write it.
func (c *Config) Set(profile, key, value string) error {
	if key == CurrentProfileKey {
		c.f.CurrentProfile = value
		return nil
	}
	k, err := lookup(key)
	if err != nil {
		return err
	}
	if len(k.Allowed) > 0 && !slices.Contains(k.Allowed, value) {
		return &InvalidValueError{Key: key, Value: value, Allowed: k.Allowed}
	}
	*k.field(c.profile(profile)) = value
	return nil
}

// Unset removes a setting of the profile in memory; call Save to write it.
func (c *Config) Unset(profile, key string) error {
	if key == CurrentProfileKey {
		c.f.CurrentProfile = ""
		return nil
	}
	k, err := lookup(key)
	if err != nil {
		return err
	}
	if p := c.f.Profiles[profile]; p != nil {
		*k.field(p) = ""
		if *p == (Profile{}) {
			delete(c.f.Profiles, profile)
		}
	}
	return nil
}

// HasProfile reports whether the file has settings for the profile.
func (c *Config) HasProfile(name string) bool {
	_, ok := c.f.Profiles[name]
	return ok
}

// RenameProfile gives a profile a new name in memory, keeping it current
// when it was; call Save to write it. The new name must be free.
func (c *Config) RenameProfile(old, name string) error {
	p, ok := c.f.Profiles[old]
	switch {
	case !ok:
		return fmt.Errorf("no profile %q", old)
	case c.HasProfile(name):
		return fmt.Errorf("profile %q already exists", name)
	}
	delete(c.f.Profiles, old)
	c.f.Profiles[name] = p
	if c.f.CurrentProfile == old {
		c.f.CurrentProfile = name
	}
	return nil
}

// DeleteProfile removes a profile's settings in memory, and makes no profile
// current when it was; call Save to write it.
func (c *Config) DeleteProfile(name string) {
	delete(c.f.Profiles, name)
	if c.f.CurrentProfile == name {
		c.f.CurrentProfile = ""
	}
}
