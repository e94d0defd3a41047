package auth

import "context"

// Storage is the spec's StorageAdapter (§3, §16) in Go form: every call takes a
// context so a slow backend (an OS keyring behind D-Bus) can be bounded by the
// caller, and GetItem reports absence with ok=false instead of a nil string.
//
// Implementations must be safe for concurrent use. Values are opaque strings;
// the client stores the Session as JSON under the storage key and the PKCE
// verifier under "{key}-code-verifier".
type Storage interface {
	GetItem(ctx context.Context, key string) (value string, ok bool, err error)
	SetItem(ctx context.Context, key, value string) error
	RemoveItem(ctx context.Context, key string) error
}

type refreshWriteKey struct{}

// IsRefreshWrite reports whether a Storage.SetItem called with ctx saves a
// refreshed session: the stored user's own session with new tokens. A storage
// that watches sign-ins (who is signed in, where) need not read back what it
// is about to overwrite for these, the most frequent writes.
func IsRefreshWrite(ctx context.Context) bool {
	return ctx.Value(refreshWriteKey{}) != nil
}

// WithRefreshWrite marks ctx for a write of a refreshed session, as the
// client's refresh does (and tests of a Storage may).
func WithRefreshWrite(ctx context.Context) context.Context {
	return context.WithValue(ctx, refreshWriteKey{}, true)
}
