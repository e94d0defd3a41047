package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// BindEnv gives every local flag of cmd an environment variable equivalent,
// PREFIX_FLAG_NAME (e.g. --jwt-exp → AUTHCTL_EMULATOR_JWT_EXP). A flag given
// on the command line wins over its variable. Call it from PreRunE.
func BindEnv(cmd *cobra.Command, prefix string, getenv func(string) string) error {
	var err error
	cmd.LocalFlags().VisitAll(func(fl *pflag.Flag) {
		if err != nil || fl.Changed || fl.Name == "help" {
			return
		}
		name := EnvName(prefix, fl.Name)
		if v := getenv(name); v != "" {
			if serr := fl.Value.Set(v); serr != nil {
				err = FlagErrorf("invalid %s %q: %v", name, v, serr)
			}
		}
	})
	return err
}

// EnvName is the variable BindEnv reads for a flag.
func EnvName(prefix, flag string) string {
	return fmt.Sprintf("%s_%s", prefix, strings.ToUpper(strings.ReplaceAll(flag, "-", "_")))
}
