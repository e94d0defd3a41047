// Package configcmd implements `authctl config get|set|unset|list`.
package configcmd

import (
	"strings"

	"errors"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/heredoc"
)

// NewCmdConfig builds `authctl config`.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Read and change profile settings",
		Long: heredoc.Docf(`
			Read and change the settings of a profile in config.yaml.

			Keys: %[2]s

			The file holds no secrets: sessions live in the OS keyring (or the 0600 session file).
			So does %[3]s, the key of %[1]sadmin%[1]s commands: %[1]sconfig set %[3]s%[1]s reads it
			from stdin, %[1]sconfig get %[3]s%[1]s only says whether it is set.
		`, "`", keyHelp(), ServiceRoleKeyName),
	}
	cmd.AddCommand(NewCmdGet(f, nil), NewCmdSet(f, nil), NewCmdUnset(f, nil), NewCmdList(f, nil))
	return cmd
}

// keyNames are the keys `config get`, `set` and `unset` complete.
func keyNames() []string {
	names := []string{config.CurrentProfileKey}
	for _, k := range config.Keys {
		names = append(names, k.Name)
	}
	return names
}

// allowedValues completes the value of key in `config set`: the key's fixed
// values, or nothing (a URL or a key is typed in).
func allowedValues(key string) []string {
	for _, k := range config.Keys {
		if k.Name == key {
			return k.Allowed
		}
	}
	return nil
}

func keyHelp() string { return strings.Join(append(keyNames(), ServiceRoleKeyName), ", ") }

// withConfig loads the configuration and resolves the profile.
func withConfig(f *cmdutil.Factory) (*config.Config, string, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, "", err
	}
	return cfg, cmdutil.ProfileName(f.Flags, f.IOStreams.Getenv, cfg), nil
}

// withKey runs stored for the service-role key, which lives in the key
// storage, and inFile with the configuration and the profile for any other
// key, which lives in config.yaml.
func withKey(f *cmdutil.Factory, key string, stored func() error, inFile func(cfg *config.Config, profile string) error) error {
	if key == ServiceRoleKeyName {
		return stored()
	}
	cfg, profile, err := withConfig(f)
	if err != nil {
		return err
	}
	return inFile(cfg, profile)
}

// usage turns the configuration's own validation errors into usage errors.
func usage(err error) error {
	var uk *config.UnknownKeyError
	var iv *config.InvalidValueError
	if errors.As(err, &uk) || errors.As(err, &iv) {
		return cmdutil.FlagErrorWrap(err)
	}
	return err
}
