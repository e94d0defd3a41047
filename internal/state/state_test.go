package state

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/authctl/authctl/internal/auth"
)

func TestAuthPathsAreRemembered(t *testing.T) {
	f := Open(filepath.Join(t.TempDir(), "state.json"))
	if _, ok := f.AuthPath("http://127.0.0.1:9999"); ok {
		t.Fatal("empty state knows a path")
	}
	if err := f.RememberAuthPath("http://127.0.0.1:9999", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.RememberAuthPath("http://127.0.0.1:54321", "/auth/v1"); err != nil {
		t.Fatal(err)
	}
	again := Open(f.path)
	if p, ok := again.AuthPath("http://127.0.0.1:9999"); !ok || p != "" {
		t.Errorf("bare server: %q, %v", p, ok)
	}
	if p, ok := again.AuthPath("http://127.0.0.1:54321"); !ok || p != "/auth/v1" {
		t.Errorf("project: %q, %v", p, ok)
	}
}

func TestTrackSessionsRecordsWhereAProfileIsSignedIn(t *testing.T) {
	ctx := context.Background()
	f := Open(filepath.Join(t.TempDir(), "state.json"))
	mem := auth.NewMemoryStorage()
	a := TrackSessions(mem, f, "default", "key-a", "http://a/auth/v1")
	b := TrackSessions(mem, f, "default", "key-b", "http://b")
	for _, step := range []func() error{
		func() error { return a.SetItem(ctx, "key-a", "{}") },
		func() error { return a.SetItem(ctx, "key-a-code-verifier", "v") }, // not the session
		func() error { return b.SetItem(ctx, "key-b", "{}") },
		func() error { return a.SetItem(ctx, "key-a", "{}") }, // a refresh: no duplicate
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Sessions("default"); !slices.Equal(got, []string{"http://a/auth/v1", "http://b"}) {
		t.Fatalf("sessions = %v", got)
	}
	if err := a.RemoveItem(ctx, "key-a"); err != nil {
		t.Fatal(err)
	}
	if got := f.Sessions("default"); !slices.Equal(got, []string{"http://b"}) {
		t.Fatalf("after sign-out of a: %v", got)
	}
	if got := f.Sessions("other"); got != nil {
		t.Fatalf("another profile: %v", got)
	}
}

func TestShowOncePerIDAndText(t *testing.T) {
	f := Open(filepath.Join(t.TempDir(), "state.json"))
	steps := []struct {
		id, text string
		want     bool
	}{
		{"keyring-fallback:default", "no D-Bus", true},
		{"keyring-fallback:default", "no D-Bus", false},
		{"keyring-fallback:staging", "no D-Bus", true}, // another profile
		{"keyring-fallback:default", "locked", true},   // another reason
		{"keyring-fallback:default", "locked", false},
	}
	for i, s := range steps {
		if got := f.ShowOnce(s.id, s.text); got != s.want {
			t.Errorf("step %d: ShowOnce(%s, %s) = %v, want %v", i, s.id, s.text, got, s.want)
		}
	}
	if err := f.RememberAuthPath("http://127.0.0.1:9", ""); err != nil || f.ShowOnce("keyring-fallback:default", "locked") {
		t.Error("another kind of state must not forget the notices shown")
	}
}

func TestShowOnceWithDamagedStateShowsAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := Open(path)
	if !f.ShowOnce("x", "y") || f.ShowOnce("x", "y") {
		t.Error("a damaged state file must show the notice once, then remember it")
	}
}
