package shared

import (
	"regexp"
	"sync"

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
