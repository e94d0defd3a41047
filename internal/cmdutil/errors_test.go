package cmdutil

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/keyring"
)

// A keyring that holds the session but does not answer is retryable: exit 5,
// like an unreachable server, so scripts retry instead of signing in again.
func TestKeyringTimeoutExitsUnavailable(t *testing.T) {
	err := fmt.Errorf("auth: reading the session from storage: %w", fmt.Errorf("%w (3s)", keyring.ErrTimeout))
	if got := ExitCode(err); got != ExitUnavailable {
		t.Fatalf("ExitCode = %d, want %d", got, ExitUnavailable)
	}
}

// Regression: a missing session was worded "Auth session missing!" (the
// SDK's) or "not signed in" (the CLI's) depending on who noticed.
func TestSessionMissingHasOneWording(t *testing.T) {
	sdk := &auth.SessionMissingError{AuthError: auth.AuthError{Name: auth.NameSessionMissingError, Message: auth.SessionMissingMessage, Status: 400}}
	for _, err := range []error{sdk, fmt.Errorf("getting the user: %w", sdk), ErrNotSignedIn()} {
		if d := describe(err); d.Message != "not signed in" || d.Name != auth.NameSessionMissingError {
			t.Errorf("%v: %+v", err, d)
		}
	}
}

// Giving up on the session lock is retryable (exit 5), with a hint that
// names what to do, not a generic error (exit 1).
func TestLockWaitGivingUpExitsUnavailable(t *testing.T) {
	err := fmt.Errorf("refreshing: %w", auth.NewLockAcquireTimeoutError("sb-x-auth-token", 40*time.Second))
	if got := ExitCode(err); got != ExitUnavailable {
		t.Fatalf("ExitCode = %d, want %d", got, ExitUnavailable)
	}
	if h := hint(err); !strings.Contains(h, "--http-timeout") {
		t.Fatalf("hint = %q", h)
	}
}
