package e2e

import (
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"
)

// terminal runs authctl in a real terminal: a detached tmux session whose
// pane is the program's TTY. Tests type with send and read the screen with
// screen / waitFor, as a person would.
type terminal struct {
	t       *testing.T
	session string
	socket  string
}

// startTerminal runs authctl args in a new 120×50 tmux pane with e's
// environment. The pane stays open after the program exits so its last
// screen and exit status can be read.
func (e *env) startTerminal(args ...string) *terminal {
	e.t.Helper()
	return e.startTerminalSized(120, 50, args...)
}

// startTerminalSized is startTerminal in a pane of cols×rows.
func (e *env) startTerminalSized(cols, rows int, args ...string) *terminal {
	e.t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		e.t.Skip("tmux is not installed (CI installs it)")
	}
	term := &terminal{t: e.t, session: fmt.Sprintf("authctl-%d", time.Now().UnixNano()), socket: e.dir + "/tmux.sock"}
	keys := make([]string, 0, len(e.vars))
	for k := range e.vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var cmdline strings.Builder
	cmdline.WriteString("env -i TERM=xterm-256color")
	for _, k := range keys {
		fmt.Fprintf(&cmdline, " %s=%s", k, shellQuote(e.vars[k]))
	}
	cmdline.WriteString(" " + shellQuote(binary))
	for _, a := range args {
		cmdline.WriteString(" " + shellQuote(a))
	}
	cmdline.WriteString("; echo \"[exit $?]\"; sleep 600")
	term.tmux("new-session", "-d", "-s", term.session, "-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows), cmdline.String())
	e.t.Cleanup(func() { _ = exec.Command("tmux", "-S", term.socket, "kill-server").Run() })
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// send types keys (tmux key names such as "Enter", "Down", "C-c", or literal text with literal=true).
func (term *terminal) send(literal bool, keys ...string) {
	term.t.Helper()
	args := []string{"send-keys", "-t", term.session}
	if literal {
		args = append(args, "-l")
	}
	term.tmux(append(args, keys...)...)
}

// screen returns what the pane shows now.
func (term *terminal) screen() string {
	term.t.Helper()
	return term.tmux("capture-pane", "-p", "-t", term.session)
}

// waitFor polls the screen until it contains text, failing at the test's
// deadline.
func (term *terminal) waitFor(text string) string {
	term.t.Helper()
	deadline := waitDeadline(term.t)
	for {
		s := term.screen()
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never showed %q; screen:\n%s", text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
