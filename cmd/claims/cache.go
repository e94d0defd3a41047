package claims

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/authctl/authctl/internal/atomicfile"
)

// diskCache is the auth.JWKSCache of the CLI: one file per JWKS URL under
// the configuration directory, so successive `authctl claims` runs share a
// fetch for auth.JWKSTTL (spec §6.24) instead of each paying a request.
// Failures are swallowed on purpose: a cache that cannot be read or written
// only costs a request, never a wrong answer (the SDK decides freshness).
type diskCache struct{ dir string }

// cacheEntry is the file's content. The URL is kept so that a name collision
// (or a hand-edited file) cannot serve one project's keys for another.
type cacheEntry struct {
	URL       string          `json:"url"`
	FetchedAt time.Time       `json:"fetched_at"`
	JWKS      json.RawMessage `json:"jwks"`
}

// path names the file by a hash of the URL: URLs hold characters that are
// not portable in file names.
func (c diskCache) path(url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(c.dir, "jwks-"+hex.EncodeToString(sum[:8])+".json")
}

// Get implements auth.JWKSCache.
func (c diskCache) Get(url string) ([]byte, time.Time, bool) {
	b, err := os.ReadFile(c.path(url))
	if err != nil {
		return nil, time.Time{}, false
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || e.URL != url || len(e.JWKS) == 0 {
		return nil, time.Time{}, false
	}
	return e.JWKS, e.FetchedAt, true
}

// Put implements auth.JWKSCache. The write is atomic (temporary file,
// fsync, rename), so a concurrent reader sees the old document or the new
// one, never half of one.
func (c diskCache) Put(url string, jwks []byte, fetchedAt time.Time) {
	if !json.Valid(jwks) {
		return
	}
	b, err := json.Marshal(cacheEntry{URL: url, FetchedAt: fetchedAt.UTC(), JWKS: jwks})
	if err != nil {
		return
	}
	_ = atomicfile.Write(c.path(url), b, 0o600, 0o700)
}
