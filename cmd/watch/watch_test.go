package watch

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

type event struct {
	Event   string         `json:"event"`
	Session map[string]any `json:"session"`
	At      string         `json:"at"`
}

// watching runs runWatch in the background and returns its lines as they
// come, and its result once it ends.
type watching struct {
	lines  chan event
	result chan error
	cancel context.CancelFunc
}

func start(t *testing.T, h *cmdutiltest.Harness, tick time.Duration, keepGoing bool) *watching {
	t.Helper()
	pr, pw := io.Pipe()
	h.F.IOStreams.Out = pw
	ctx, cancel := context.WithCancel(context.Background())
	w := &watching{lines: make(chan event, 100), result: make(chan error, 1), cancel: cancel}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var e event
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Errorf("not a JSON line: %q", sc.Text())
			}
			w.lines <- e
		}
		close(w.lines)
	}()
	opts := &Options{F: h.F, Client: h.F.Client, Tick: tick, Poll: 5 * time.Millisecond, KeepGoing: keepGoing,
		Storage: func() (auth.Storage, error) { return h.Storage, nil }}
	go func() {
		err := runWatch(ctx, opts)
		pw.Close()
		w.result <- err
	}()
	t.Cleanup(func() {
		cancel()
		<-w.result
	})
	return w
}

// next waits for the next line and checks its event name.
func (w *watching) next(t *testing.T, want auth.Event) event {
	t.Helper()
	select {
	case e, ok := <-w.lines:
		if !ok {
			t.Fatalf("output ended, want %s", want)
		}
		if e.Event != string(want) {
			t.Fatalf("event %s, want %s", e.Event, want)
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s line within 5s", want)
	}
	return event{}
}

func (w *watching) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case err := <-w.result:
		w.result <- err // for the cleanup
		return cmdutil.ExitCode(err)
	case <-time.After(5 * time.Second):
		t.Fatal("watch did not end")
	}
	return -1
}

func TestWatchReportsOtherProcessesChanges(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	s := cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1")
	h.Store(t, s)
	w := start(t, h, auth.AutoRefreshTickDuration, false)

	first := w.next(t, auth.EventInitialSession)
	if first.Session == nil || first.Session["access_token"] != nil || first.Session["refresh_token"] != nil {
		t.Errorf("INITIAL_SESSION session = %v, want the session without its tokens", first.Session)
	}
	if first.At != "2026-11-22T12:00:00Z" {
		t.Errorf("at = %q", first.At)
	}

	refreshed := cmdutiltest.Session(cmdutiltest.Now.Add(2*time.Hour), "rt-2")
	h.Store(t, refreshed)
	w.next(t, auth.EventTokenRefreshed)

	refreshed.User.Email = "new@example.com"
	h.Store(t, refreshed)
	if e := w.next(t, auth.EventUserUpdated); e.Session["user"].(map[string]any)["email"] != "new@example.com" {
		t.Errorf("USER_UPDATED carries %v", e.Session["user"])
	}

	mfa := cmdutiltest.Session(cmdutiltest.Now.Add(2*time.Hour), "rt-3")
	mfa.AccessToken = cmdutiltest.JWT(map[string]any{"sub": "u-1", "aal": "aal2", "exp": mfa.ExpiresAt})
	h.Store(t, mfa)
	w.next(t, auth.EventMFAChallengeVerified)

	other := cmdutiltest.Session(cmdutiltest.Now.Add(2*time.Hour), "rt-4")
	other.User.ID = "u-2"
	other.AccessToken = cmdutiltest.JWT(map[string]any{"sub": "u-2"})
	h.Store(t, other)
	w.next(t, auth.EventSignedIn)

	if err := h.Storage.RemoveItem(context.Background(), h.Client.StorageKey()); err != nil {
		t.Fatal(err)
	}
	if e := w.next(t, auth.EventSignedOut); e.Session != nil {
		t.Errorf("SIGNED_OUT session = %v, want null", e.Session)
	}
	if code := w.exitCode(t); code != cmdutil.ExitNotSignedIn {
		t.Errorf("exit %d after SIGNED_OUT, want 3", code)
	}
}

func TestWatchAutoRefreshPrintsEachRefreshOnce(t *testing.T) {
	// Every session expires 50 ms after the harness's fixed clock, within 3
	// ticks of 20 ms, so each tick refreshes; the storage poller runs every
	// 5 ms and races the SDK's events for each refresh.
	var served atomic.Int32
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		n := served.Add(1)
		s := cmdutiltest.Session(cmdutiltest.Now.Add(50*time.Millisecond), fmt.Sprint("rt-", n+1))
		s.AccessToken = cmdutiltest.JWT(map[string]any{"sub": "u-1", "n": n})
		s.ExpiresIn = 1 // the SDK refuses 0; expires_at (the clock's second) is what ticks count from
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s)
	})
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(50*time.Millisecond), "rt-1"))
	w := start(t, h, 20*time.Millisecond, false)

	w.next(t, auth.EventInitialSession)
	for range 5 {
		w.next(t, auth.EventTokenRefreshed)
	}
	w.cancel()
	if code := w.exitCode(t); code != 0 {
		t.Errorf("exit %d after cancellation, want 0", code)
	}
	lines := 5
	for e := range w.lines {
		if e.Event != string(auth.EventTokenRefreshed) {
			t.Errorf("unexpected %s", e.Event)
		}
		lines++
	}
	// The INITIAL_SESSION's own refresh is reported by that line.
	if int32(lines) > served.Load()-1 {
		t.Errorf("%d TOKEN_REFRESHED lines for %d refreshes: some were printed twice", lines, served.Load()-1)
	}
}

func TestWatchSignedOutAtStart(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	w := start(t, h, auth.AutoRefreshTickDuration, false)
	if e := w.next(t, auth.EventInitialSession); e.Session != nil {
		t.Errorf("session = %v, want null", e.Session)
	}
	if code := w.exitCode(t); code != cmdutil.ExitNotSignedIn {
		t.Errorf("exit %d, want 3", code)
	}
}

func TestWatchKeepGoingWaitsForASignIn(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	w := start(t, h, auth.AutoRefreshTickDuration, true)
	w.next(t, auth.EventInitialSession)
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
	w.next(t, auth.EventSignedIn)
	if err := h.Storage.RemoveItem(context.Background(), h.Client.StorageKey()); err != nil {
		t.Fatal(err)
	}
	w.next(t, auth.EventSignedOut)
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-2"))
	w.next(t, auth.EventSignedIn)
	w.cancel()
	if code := w.exitCode(t); code != 0 {
		t.Errorf("exit %d on cancellation, want 0", code)
	}
}

func TestWatchRejectsBadTick(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	h.F.IOStreams.Out = io.Discard
	cmd := NewCmdWatch(h.F, func(context.Context, *Options) error { return nil })
	cmd.SetArgs([]string{"--tick", "0s"})
	cmd.SetErr(io.Discard)
	cmd.SetOut(io.Discard)
	if code := cmdutil.ExitCode(cmd.Execute()); code != cmdutil.ExitUsage {
		t.Errorf("exit %d, want 2", code)
	}
}
