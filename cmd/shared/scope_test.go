package shared

import (
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/cmdutil"
)

func TestCheckScope(t *testing.T) {
	for _, s := range []string{"global", "local", "others"} {
		if err := CheckScope(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "Global", "everywhere"} {
		err := CheckScope(s)
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "want global, local or others") {
			t.Errorf("%q: %v (exit %d), want a usage error", s, err, cmdutil.ExitCode(err))
		}
	}
}
