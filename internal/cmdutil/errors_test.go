package cmdutil

import (
	"fmt"
	"testing"

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
