package keyring

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// stallable is a keyring that can stop answering (a locked Secret Service
// behind a slow D-Bus) and can fail outright (no Secret Service).
type stallable struct {
	*fakeProvider
	mu      sync.Mutex
	stalled chan struct{} // non-nil: calls block until it is closed
	fail    error
}

func (s *stallable) gate() error {
	s.mu.Lock()
	ch, fail := s.stalled, s.fail
	s.mu.Unlock()
	if ch != nil {
		<-ch
	}
	return fail
}

func (s *stallable) Get(svc, u string) (string, error) {
	if err := s.gate(); err != nil {
		return "", err
	}
	return s.fakeProvider.Get(svc, u)
}

func (s *stallable) setFail(err error) {
	s.mu.Lock()
	s.fail = err
	s.mu.Unlock()
}

func (s *stallable) stall(t *testing.T) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.stalled = ch
	s.mu.Unlock()
	t.Cleanup(func() { s.resume() })
}

func (s *stallable) resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stalled != nil {
		close(s.stalled)
		s.stalled = nil
	}
}

func autoConfig(dir, profile string, p provider) Config {
	return Config{Mode: ModeAuto, Service: "authctl-test", FileDir: dir, Profile: profile,
		Timeout: 50 * time.Millisecond, provider: p}
}

// TestAutoStallIsAnErrorNotASwitch: once auto chose the keyring for a
// profile, a keyring that does not answer in time fails the command (exit 5
// upstream) instead of sending it to the file, where it would find no session
// and write a second one.
func TestAutoStallIsAnErrorNotASwitch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	kr := &stallable{fakeProvider: newFake()}
	s, info, err := Open(ctx, autoConfig(dir, "p", kr))
	if err != nil || info.Backend != ModeKeyring {
		t.Fatalf("first open: %+v %v", info, err)
	}
	if err := s.SetItem(ctx, "sb-p-auth-token", "session"); err != nil {
		t.Fatal(err)
	}

	kr.stall(t)
	if _, info, err := Open(ctx, autoConfig(dir, "p", kr)); !errors.Is(err, ErrTimeout) {
		t.Fatalf("open during a stall: %+v %v, want an error wrapping ErrTimeout", info, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.json")); !os.IsNotExist(err) {
		t.Fatalf("a session file appeared during the stall: %v", err)
	}
	kr.resume()
	s, info, err = Open(ctx, autoConfig(dir, "p", kr))
	if err != nil || info.Backend != ModeKeyring {
		t.Fatalf("open after the stall: %+v %v", info, err)
	}
	if v, ok, err := s.GetItem(ctx, "sb-p-auth-token"); v != "session" || !ok || err != nil {
		t.Fatalf("the session after the stall: %q %v %v", v, ok, err)
	}

	// A keyring that has become unusable does not move the profile either.
	kr.setFail(errors.New("org.freedesktop.secrets was not provided by any .service files"))
	if _, info, err := Open(ctx, autoConfig(dir, "p", kr)); err == nil {
		t.Fatalf("open with the keyring gone: %+v, want an error", info)
	}
}

// TestAutoChoiceIsRemembered: the first decision holds for the profile; a
// first probe that times out decides nothing.
func TestAutoChoiceIsRemembered(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	kr := &stallable{fakeProvider: newFake(), fail: errors.New("no Secret Service")}
	if _, info, err := Open(ctx, autoConfig(dir, "q", kr)); err != nil || info.Backend != ModeFile || info.FallbackReason != "no Secret Service" {
		t.Fatalf("first open without a keyring: %+v %v", info, err)
	}
	kr.setFail(nil)
	if _, info, err := Open(ctx, autoConfig(dir, "q", kr)); err != nil || info.Backend != ModeFile {
		t.Fatalf("the keyring came back: %+v %v; want the remembered file", info, err)
	}

	kr.stall(t)
	if _, _, err := Open(ctx, autoConfig(dir, "r", kr)); !errors.Is(err, ErrTimeout) {
		t.Fatalf("first open during a stall: %v", err)
	}
	kr.resume()
	if _, info, err := Open(ctx, autoConfig(dir, "r", kr)); err != nil || info.Backend != ModeKeyring {
		t.Fatalf("after the stall: %+v %v; want the keyring, nothing decided before", info, err)
	}

	// A session file from before choices were remembered keeps its profile.
	if err := os.WriteFile(filepath.Join(dir, "old.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, info, err := Open(ctx, autoConfig(dir, "old", kr)); err != nil || info.Backend != ModeFile {
		t.Fatalf("existing session file: %+v %v", info, err)
	}
}

// TestConcurrentFirstChoicesAgree: two processes deciding at once end up
// with the same backend.
func TestConcurrentFirstChoicesAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.storage")
	a, err := rememberChoice(path, choice{Backend: ModeKeyring})
	if err != nil {
		t.Fatal(err)
	}
	b, err := rememberChoice(path, choice{Backend: ModeFile, Reason: "slow"})
	if err != nil || a != b {
		t.Fatalf("second choice %+v (%v), want the first %+v", b, err, a)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp")); len(m) > 0 {
		t.Fatalf("temporary files left: %v", m)
	}
}
