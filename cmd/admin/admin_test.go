package admin

import (
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// Every command whose first argument is a user ID refuses one that is not a
// UUID before any request (shared.UserRunE).
func TestInvalidUserIDSendsNothing(t *testing.T) {
	for _, args := range []string{
		"users delete not-a-uuid --yes",
		"mfa list not-a-uuid",
		"mfa delete not-a-uuid factor-1 --yes",
		"passkeys list not-a-uuid",
		"passkeys delete not-a-uuid k-1 --yes",
	} {
		h := cmdutiltest.New(t, nil) // any request fails the test
		if code := cmdutiltest.Execute(NewCmdAdmin(h.F), strings.Fields(args)...); code != cmdutil.ExitUsage {
			t.Errorf("admin %s: exit %d, want 2", args, code)
		}
	}
}
