package exchangecode

import (
	"context"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// No request is sent in any of these cases (the harness fails on one).
func TestExchangeCodeWithoutRequest(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	run := func(code string) error {
		return runExchangeCode(context.Background(), &Options{F: h.F, Client: h.F.Client, Code: code})
	}
	if err := run("  "); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("empty code: %v", err)
	}
	if err := run("0b5e3f1c"); !auth.IsAuthError(err) || !strings.Contains(err.Error(), "code verifier not found") {
		t.Errorf("no verifier: %v", err)
	}
	err := run("http://127.0.0.1:3000/cb?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired")
	if auth.ErrorCode(err) != "otp_expired" || !strings.Contains(err.Error(), "Email link is invalid") {
		t.Errorf("error URL: %v", err)
	}
}
