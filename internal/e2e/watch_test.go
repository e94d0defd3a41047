package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// watchProc is a running `authctl watch`, its events read line by line.
type watchProc struct {
	cmd    *exec.Cmd
	events chan string // event names, closed when stdout ends
	stderr lockedBuffer
	exited chan int
}

func startWatch(t *testing.T, e *env, args ...string) *watchProc {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"watch"}, args...)...)
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	w := &watchProc{cmd: cmd, events: make(chan string, 100), exited: make(chan int, 1)}
	cmd.Stderr = &w.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var l struct {
				Event   string         `json:"event"`
				Session map[string]any `json:"session"`
			}
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Event == "" {
				t.Errorf("watch printed a line that is not an event: %q", sc.Text())
			}
			if l.Session != nil && (l.Session["access_token"] != nil || l.Session["refresh_token"] != nil) {
				t.Errorf("watch printed a token in %s", l.Event)
			}
			w.events <- l.Event
		}
		close(w.events)
		_ = cmd.Wait()
		w.exited <- cmd.ProcessState.ExitCode()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-w.exited
	})
	return w
}

// lockedBuffer is stderr, read by the test while the process may write.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor reads events until want, failing when output ends or at the
// test's deadline.
func (w *watchProc) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(time.Until(waitDeadline(t)))
	for {
		select {
		case ev, ok := <-w.events:
			if !ok {
				t.Fatalf("watch ended before %s; stderr: %s", want, w.stderr.String())
			}
			if ev == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %s within 10s", want)
		}
	}
}

// exitCode waits (≤ 10 s) for watch to end; its remaining output is drained.
func (w *watchProc) exitCode(t *testing.T) int {
	t.Helper()
	go func() {
		for range w.events {
		}
	}()
	select {
	case code := <-w.exited:
		w.exited <- code // for the cleanup
		return code
	case <-time.After(time.Until(waitDeadline(t))):
		t.Fatal("watch did not exit")
	}
	return -1
}

func TestWatchSeesRefreshesAndAnotherProcessLoggingOut(t *testing.T) {
	p := newProxy(t)
	e := newEnv(t)
	e.vars["SUPABASE_URL"] = p.URL
	// Every session the server hands out lives 5 s, so with a 1 s tick the
	// watch refreshes every 2 s or so.
	p.shortTTL.Store(5)
	signUp(t, e, uniqueEmail(t))

	w := startWatch(t, e, "--tick", "1s")
	w.waitFor(t, "INITIAL_SESSION")
	w.waitFor(t, "TOKEN_REFRESHED")
	if p.count("/token", "refresh_token") == 0 {
		t.Error("TOKEN_REFRESHED without a refresh request")
	}

	e.mustRun(0, "", "logout")
	w.waitFor(t, "SIGNED_OUT")
	if code := w.exitCode(t); code != 3 {
		t.Errorf("watch exited %d after SIGNED_OUT, want 3; stderr: %s", code, w.stderr.String())
	}
}

func TestWatchInterruptExits0(t *testing.T) {
	e := newEnv(t)
	signUp(t, e, uniqueEmail(t))
	w := startWatch(t, e)
	w.waitFor(t, "INITIAL_SESSION")
	if err := w.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := w.exitCode(t); code != 0 {
		t.Errorf("exit %d on SIGINT, want 0; stderr: %s", code, w.stderr.String())
	}
	if w.stderr.String() != "" {
		t.Errorf("stderr on a clean interrupt: %s", w.stderr.String())
	}
}

func TestWatchSignedOutExits3(t *testing.T) {
	e := newEnv(t)
	w := startWatch(t, e)
	w.waitFor(t, "INITIAL_SESSION")
	if code := w.exitCode(t); code != 3 {
		t.Errorf("exit %d with nobody signed in, want 3", code)
	}
}
