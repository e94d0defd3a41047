package e2e

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"testing"
)

// followJSON starts authctl args, a command that streams JSON Lines
// (--follow --json), and decodes each line into a T on lines, closed when
// stdout ends. The process is killed when the test ends.
func followJSON[T any](t *testing.T, e *env, args ...string) (cmd *exec.Cmd, lines <-chan T, stderr *lockedBuffer) {
	t.Helper()
	cmd = exec.Command(binary, args...)
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr = &lockedBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	ch := make(chan T, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var x T
			if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
				t.Errorf("%v printed %q", args, sc.Text())
			}
			ch <- x
		}
		close(ch)
	}()
	return cmd, ch, stderr
}
