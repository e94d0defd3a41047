package e2e

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"
)

// TestStartupAsksTheTerminalNothing runs authctl on a pseudo-terminal that
// never answers, as script(1), `docker run -t` and some CI consoles give it:
// a command that prompts for nothing must neither write a terminal query
// (OSC 11, cursor-position report) nor wait for an answer. bubbletea v1 asks
// in its package init; internal/termbg settles the answer first.
// terminalQuery matches the sequences that ask a terminal something: OSC
// (colours), DCS (XTGETTCAP), device status and cursor position reports,
// device attributes, XTVERSION and DECRQM.
var terminalQuery = regexp.MustCompile(`\x1b\]|\x1bP|\x1b\[[0-9;?>=]*[nc]|\x1b\[>[0-9]*q|\x1b\[[0-9;?]*\$p`)

func TestStartupAsksTheTerminalNothing(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--help"}, {"token"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out := runOnSilentTerminal(t, newEnv(t), args...)
			// A query waits for an answer (termenv's 5 s timeout) that a
			// silent terminal never gives: any query written is the bug,
			// however fast the machine got past it.
			if q := terminalQuery.FindString(out); q != "" {
				t.Errorf("authctl %v wrote a terminal query %q: %q", args, q, out)
			}
		})
	}
}

// runOnSilentTerminal runs authctl with stdin, stdout and stderr on a pty it
// controls (its own session, the pty as controlling terminal, so it is in the
// foreground) and returns everything written there.
func runOnSilentTerminal(t *testing.T, e *env, args ...string) string {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	// Bounded by the test's deadline only: how long a run takes is the
	// machine's business, what it writes is the test's.
	ctx, cancel := context.WithDeadline(context.Background(), waitDeadline(t))
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	cmd.Env = []string{"TERM=xterm-256color"}
	for k, v := range e.vars {
		if k != "NO_COLOR" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close() // the child holds its own copy; EOF comes when it exits
	var out bytes.Buffer
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&out, ptmx); close(copied) }()
	_ = cmd.Wait()
	<-copied
	return out.String()
}
