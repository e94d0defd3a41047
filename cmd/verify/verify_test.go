package verify

import (
	"context"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// Usage errors are found before any request (the harness fails on one).
func TestVerifyUsageErrors(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Email: "a@example.com", Token: "1"}, "--type is required"},
		{Options{Type: "bogus", Email: "a@example.com", Token: "1"}, `invalid --type "bogus"`},
		{Options{Type: "sms", Email: "a@example.com", Token: "1"}, `invalid --type "sms" with --email`},
		{Options{Type: "email", Phone: "+15555550100", Token: "1"}, `invalid --type "email" with --phone`},
		{Options{Type: "phone_change", TokenHash: "h"}, `invalid --type "phone_change"`},
		{Options{Type: "recovery", TokenHash: "h", Email: "a@example.com"}, "--token-hash stands alone"},
		{Options{Type: "email", Email: "a@example.com", Token: "1", TokenStdin: true}, "not both"},
		{Options{Type: "email", Email: "a@example.com"}, "--token is required"},
		{Options{Type: "email", Email: "a@"}, `"a@"`},
	} {
		o := tc.opts
		o.F, o.Client = h.F, h.F.Client
		err := runVerify(context.Background(), &o)
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want usage error with %q", tc.opts, err, tc.want)
		}
	}
}
