package keyring

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// failingProvider fails every Set after the first ok ones, as a keyring does
// when the command is interrupted (the context ends) or a call times out.
type failingProvider struct {
	*fakeProvider
	ok int
}

func (f *failingProvider) Set(s, u, p string) error {
	if f.ok == 0 {
		return errors.New("interrupted")
	}
	f.ok--
	return f.fakeProvider.Set(s, u, p)
}

// Regression: overwriting a chunked value rewrote the same chunk names before
// the manifest, so a write cut short left new chunks under the old manifest:
// a session mixing two values, unreadable, i.e. signed out.
func TestKeyringInterruptedOverwriteKeepsTheOldValue(t *testing.T) {
	ctx := context.Background()
	base := newFake()
	k := testKeyring(base)
	values := []string{
		strings.Repeat("a", 3*chunkSize-7),
		strings.Repeat("b", 5*chunkSize+1),
		strings.Repeat("c", 2*chunkSize+3),
		"small",
		strings.Repeat("d", 4*chunkSize),
	}
	if err := k.SetItem(ctx, "key", values[0]); err != nil {
		t.Fatal(err)
	}
	want := values[0]
	for _, next := range values[1:] {
		// Cut the overwrite short after each possible number of writes.
		for ok := 0; ok < len(next)/chunkSize+1; ok++ {
			fk := testKeyring(&failingProvider{fakeProvider: base, ok: ok})
			if err := fk.SetItem(ctx, "key", next); err == nil {
				continue // everything fitted in ok writes
			}
			got, found, err := k.GetItem(ctx, "key")
			if err != nil || !found || got != want {
				t.Fatalf("after a write cut at %d: found=%v err=%v, value intact=%v", ok, found, err, got == want)
			}
		}
		if err := k.SetItem(ctx, "key", next); err != nil {
			t.Fatal(err)
		}
		want = next
		if got, _, err := k.GetItem(ctx, "key"); err != nil || got != want {
			t.Fatalf("after the full write: %v, intact=%v", err, got == want)
		}
	}
	// Only the current value's items remain.
	if err := k.RemoveItem(ctx, "key"); err != nil {
		t.Fatal(err)
	}
	if len(base.items) != 0 {
		t.Fatalf("items left: %d", len(base.items))
	}
}
