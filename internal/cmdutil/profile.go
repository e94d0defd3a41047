package cmdutil

import "github.com/authctl/authctl/internal/config"

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
