package shared

import (
	"context"
	"regexp"
	"sync"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

var uuidRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
})

// ValidateUserID refuses what the server would refuse ("user_id must be an
// UUID") before any request, as a usage error.
func ValidateUserID(id string) error {
	if !uuidRE().MatchString(id) {
		return cmdutil.FlagErrorf("invalid user id %q: want a UUID such as 3f9ee07b-db8d-4c5a-b606-4609c830a94d", id)
	}
	return nil
}

// UserRunE is cmdutil.RunE for a command whose first argument is a user ID
// (cmdutil.CheckedRunE with that check):
// one that is not a UUID is a usage error before any work.
func UserRunE[O any](opts *O, runF, run func(context.Context, *O) error, args ...*string) func(*cobra.Command, []string) error {
	return cmdutil.CheckedRunE(opts, func(*O) error { return ValidateUserID(*args[0]) }, runF, run, args...)
}
