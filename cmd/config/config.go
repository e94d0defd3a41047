// Package configcmd implements `authctl config get|set|unset|list`.
package configcmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
)

// NewCmdConfig builds `authctl config`.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Read and change profile settings",
		Long: "Read and change the settings of a profile in config.yaml.\n\n" +
			"Keys: " + keyHelp() + "\n\n" +
			"The file holds no secrets: sessions live in the OS keyring (or the 0600 session file).\n" +
			"So does " + ServiceRoleKeyName + ", the key of `admin` commands: `config set " + ServiceRoleKeyName + "` reads it\n" +
			"from stdin, `config get " + ServiceRoleKeyName + "` only says whether it is set.",
	}
	cmd.AddCommand(newCmdGet(f), newCmdSet(f), newCmdUnset(f), newCmdList(f))
	return cmd
}

func keyHelp() string {
	s := config.CurrentProfileKey
	for _, k := range config.Keys {
		s += ", " + k.Name
	}
	return s + ", " + ServiceRoleKeyName
}

// withConfig loads the configuration and resolves the profile.
func withConfig(f *cmdutil.Factory) (*config.Config, string, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, "", err
	}
	return cfg, cmdutil.ProfileName(f.Flags, f.IOStreams.Getenv, cfg), nil
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

func newCmdGet(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "get <key>",
		Short: "Print a setting of the profile",
		Args:  cmdutil.ExactArgs(1, "the key to print"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == ServiceRoleKeyName {
				return getServiceRoleKey(cmd.Context(), f)
			}
			cfg, profile, err := withConfig(f)
			if err != nil {
				return err
			}
			v, _, err := cfg.Get(profile, args[0])
			if err != nil {
				return usage(err)
			}
			return f.Print(map[string]string{args[0]: v}, func(p *cmdutil.Printer) error {
				_, err := fmt.Fprintln(p.Out, v)
				return err
			})
		},
	}
}

func newCmdSet(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "set <key> <value>",
		Short: "Change a setting of the profile",
		Example: "  authctl config set url https://abcd.supabase.co\n" +
			"  authctl --profile staging config set flow-type pkce\n" +
			"  printenv SERVICE_ROLE_KEY | authctl config set service-role-key",
		Args: setArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == ServiceRoleKeyName {
				return setServiceRoleKey(cmd.Context(), f)
			}
			cfg, profile, err := withConfig(f)
			if err != nil {
				return err
			}
			if err := cfg.Set(profile, args[0], args[1]); err != nil {
				return usage(err)
			}
			if err := cfg.Save(); err != nil {
				return err
			}
			f.Infof("Set %s for profile %s", args[0], profile)
			return nil
		},
	}
}

// setArgs wants a key and its value, except for the service-role key, whose
// value comes from stdin: a secret given as an argument is refused without
// being echoed.
func setArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 && args[0] == ServiceRoleKeyName {
		if len(args) > 1 {
			return cmdutil.FlagErrorf("the service-role key is read from stdin, never from an argument: printenv KEY | authctl config set %s", ServiceRoleKeyName)
		}
		return nil
	}
	return cmdutil.ExactArgs(2, "the key and its value")(cmd, args)
}

func newCmdUnset(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "unset <key>",
		Short: "Remove a setting from the profile",
		Args:  cmdutil.ExactArgs(1, "the key to remove"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == ServiceRoleKeyName {
				return unsetServiceRoleKey(cmd.Context(), f)
			}
			cfg, profile, err := withConfig(f)
			if err != nil {
				return err
			}
			if err := cfg.Unset(profile, args[0]); err != nil {
				return usage(err)
			}
			return cfg.Save()
		},
	}
}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Print every setting of the profile",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, profile, err := withConfig(f)
			if err != nil {
				return err
			}
			values := map[string]string{"profile": profile}
			keys := []string{"profile"}
			for _, k := range config.Keys {
				v, _, _ := cfg.Get(profile, k.Name)
				values[k.Name] = v
				keys = append(keys, k.Name)
			}
			return f.Print(values, func(p *cmdutil.Printer) error {
				for _, k := range keys {
					if _, err := fmt.Fprintf(p.Out, "%s=%s\n", k, values[k]); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}
