package shared

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/authctl/authctl/internal/cmdutil"
)

// maxSecretBytes bounds what is read from stdin for a secret: a token or a
// password is never this large, and an unbounded read of a mistaken pipe
// would hang or exhaust memory.
const maxSecretBytes = 64 << 10

// ReadSecretLines reads up to n non-empty lines from r (a password, a token,
// an access token and refresh token pair), trimming surrounding whitespace.
// flag names the flag in errors; the secret itself never appears in one.
func ReadSecretLines(r io.Reader, n int, flag string) ([]string, error) {
	sc := bufio.NewScanner(io.LimitReader(r, maxSecretBytes))
	sc.Buffer(make([]byte, 0, 4096), maxSecretBytes)
	var lines []string
	for len(lines) < n && sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading %s from stdin: %w", flag, err)
	}
	if len(lines) == 0 {
		return nil, cmdutil.FlagErrorf("%s: nothing was read from stdin", flag)
	}
	return lines, nil
}
