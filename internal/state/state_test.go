package state

import (
	"context"
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
