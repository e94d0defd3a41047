package cmdutil

import (
	"slices"

	"github.com/authctl/authctl/internal/config"
)

// ProfileName resolves the profile: --profile, then AUTHCTL_PROFILE, then the
// configuration file's current profile, then "default".
func ProfileName(flags *GlobalFlags, getenv func(string) string, cfg *config.Config) string {
	if flags.Profile != "" {
		return flags.Profile
	}
	if p := getenv("AUTHCTL_PROFILE"); p != "" {
		return p
	}
	if cfg != nil && cfg.CurrentProfile() != "" {
		return cfg.CurrentProfile()
	}
	return config.DefaultProfile
}

// ProfileNames lists the profiles of the configuration file, sorted, plus
// the one in use when the file does not name it (the implicit "default"),
// and says which one is in use.
func ProfileNames(f *Factory) (names []string, current string, err error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, "", err
	}
	current = ProfileName(f.Flags, f.IOStreams.Getenv, cfg)
	names = cfg.Profiles()
	if !slices.Contains(names, current) {
		names = append(names, current)
		slices.Sort(names)
	}
	return names, current, nil
}
