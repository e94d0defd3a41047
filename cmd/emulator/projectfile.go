package emulator

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/emulator"
	"github.com/authctl/authctl/internal/emulator/projectconfig"
)

// loadProjectFile applies --config (or its environment variable) before the
// environment is bound: the file's settings replace the defaults, then the
// flags of the command line are set again, so they win, and BindEnv,
// which runs next, lets the AUTHCTL_EMULATOR_* variables win too. What the
// file has that the emulator cannot honour is listed on stderr, and so are
// the SUPABASE_* variables that replaced one of its settings (names only:
// their values may be secrets).
func (o *Options) loadProjectFile(cmd *cobra.Command) error {
	getenv := o.F.IOStreams.Getenv
	path := o.ConfigFile
	if path == "" {
		path = getenv(cmdutil.EnvName(envPrefix, "config"))
	}
	if path == "" {
		return nil
	}
	given := map[string]string{}
	lists := map[pflag.SliceValue][]string{}
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if cmd.LocalFlags().Lookup(fl.Name) == nil {
			return
		}
		// Setting a list flag again would append to it: its list is
		// put back whole (--webauthn-rp-origins and --sso-domain live in
		// the config the file replaces).
		if list, ok := fl.Value.(pflag.SliceValue); ok {
			lists[list] = list.GetSlice()
			return
		}
		given[fl.Name] = fl.Value.String()
	})
	cfg := emulator.DefaultConfig()
	rep, err := projectconfig.Load(path, getenv, &cfg)
	if err != nil {
		return cmdutil.FlagErrorf("--config: %v", err)
	}
	o.Config = cfg
	for name, v := range given {
		if err := cmd.Flags().Set(name, v); err != nil {
			return cmdutil.FlagErrorf("--%s: %v", name, err)
		}
	}
	for list, v := range lists {
		if err := list.Replace(v); err != nil {
			return cmdutil.FlagErrorf("%v", err)
		}
	}
	for _, w := range rep.Warnings {
		o.F.Warnf("%s: %s", path, w)
	}
	errOut := o.F.IOStreams.ErrOut
	if len(rep.Unsupported) > 0 {
		fmt.Fprintf(errOut, "%s: settings the emulator does not support (no effect here):\n", path)
		for _, s := range rep.Unsupported {
			fmt.Fprintf(errOut, "  %s\n", s)
		}
	}
	if len(rep.Overrides) > 0 {
		fmt.Fprintf(errOut, "%s: settings replaced from the environment: %s\n", path, strings.Join(rep.Overrides, ", "))
	}
	if len(rep.Ignored) > 0 {
		fmt.Fprintf(errOut, "%s: not auth settings, ignored: %s\n", path, strings.Join(rep.Ignored, ", "))
	}
	return nil
}
