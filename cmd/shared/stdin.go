package shared

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/authctl/authctl/internal/cmdutil"
)

// MaxSecretBytes bounds a secret read from stdin (or given as an argument): a token or a
// password is never this large, and an unbounded read of a mistaken pipe
// would hang or exhaust memory.
const MaxSecretBytes = 64 << 10

// ReadSecretLines reads up to n non-empty lines from r (a password, a token,
// an access token and refresh token pair), trimming surrounding whitespace.
// flag names the flag in errors; the secret itself never appears in one.
func ReadSecretLines(r io.Reader, n int, flag string) ([]string, error) {
	// One byte over the bound makes overlong input an error instead of a
	// silently truncated secret.
	lr := &io.LimitedReader{R: r, N: MaxSecretBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4096), MaxSecretBytes+1)
	var lines []string
	for len(lines) < n && sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if lr.N == 0 {
		return nil, cmdutil.FlagErrorf("%s: stdin holds more than %d KiB", flag, MaxSecretBytes>>10)
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading %s from stdin: %w", flag, err)
	}
	if len(lines) == 0 {
		return nil, cmdutil.FlagErrorf("%s: nothing was read from stdin", flag)
	}
	return lines, nil
}
