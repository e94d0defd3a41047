package e2e

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestStartupAsksTheTerminalNothing runs authctl on a pseudo-terminal that
// never answers, as script(1), `docker run -t` and some CI consoles give it:
// a command that prompts for nothing must neither write a terminal query
// (OSC 11, cursor-position report) nor wait for an answer. bubbletea v1 asks
// in its package init; internal/termbg settles the answer first.
func TestStartupAsksTheTerminalNothing(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--help"}, {"token"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, elapsed := runOnSilentTerminal(t, newEnv(t), args...)
			if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x1b[6n") {
				t.Errorf("authctl %v wrote a terminal query: %q", args, out)
			}
			// A query that gets no answer waits termenv's 5 s timeout; anything
			// near that is the bug, not a slow machine.
			if elapsed > 3*time.Second {
				t.Errorf("authctl %v took %s on a silent terminal", args, elapsed)
			}
		})
	}
}

// runOnSilentTerminal runs authctl with stdin, stdout and stderr on a pty it
// controls (its own session, the pty as controlling terminal, so it is in the
// foreground) and returns everything written there.
func runOnSilentTerminal(t *testing.T, e *env, args ...string) (string, time.Duration) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(binary, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	cmd.Env = []string{"TERM=xterm-256color"}
	for k, v := range e.vars {
		if k != "NO_COLOR" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close() // the child holds its own copy; EOF comes when it exits
	var out bytes.Buffer
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&out, ptmx); close(copied) }()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	elapsed := time.Since(start)
	<-copied
	return out.String(), elapsed
}
