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
