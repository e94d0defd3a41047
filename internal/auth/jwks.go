package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// JWKSTTL is how long a fetched JWKS is trusted before it is fetched again
// (spec §20 JWKS_TTL). A token signed by a key the cached set does not hold
// triggers an earlier fetch, so a key rotation is picked up at once.
const JWKSTTL = 10 * time.Minute

// JWKSCache keeps fetched JWKS documents between GetClaims calls, keyed by
// the JWKS URL. The client decides freshness from fetchedAt and JWKSTTL, so
// an implementation only stores. Implementations must be safe for
// concurrent use; failures to store are the cache's own business (a cache
// that forgets only costs a request). The CLI backs it with a file so
// successive `authctl claims` runs share one fetch.
type JWKSCache interface {
	// Get returns the raw JWKS JSON stored for url and when it was fetched.
	Get(url string) (jwks []byte, fetchedAt time.Time, ok bool)
	// Put stores the raw JWKS JSON fetched from url at fetchedAt.
	Put(url string, jwks []byte, fetchedAt time.Time)
}

// MemoryJWKSCache is the in-process JWKSCache. The zero value is ready.
type MemoryJWKSCache struct {
	mu      sync.Mutex
	entries map[string]memoryJWKSEntry
}

type memoryJWKSEntry struct {
	raw []byte
	at  time.Time
}

// NewMemoryJWKSCache returns an empty in-memory cache.
func NewMemoryJWKSCache() *MemoryJWKSCache { return &MemoryJWKSCache{} }

// Get implements JWKSCache.
func (m *MemoryJWKSCache) Get(url string) ([]byte, time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[url]
	return e.raw, e.at, ok
}

// Put implements JWKSCache.
func (m *MemoryJWKSCache) Put(url string, raw []byte, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[string]memoryJWKSEntry{}
	}
	m.entries[url] = memoryJWKSEntry{raw: append([]byte(nil), raw...), at: at}
}

// defaultJWKSCache is shared by every client of the process that passes no
// cache of its own (entries are keyed by URL, so projects do not mix).
var defaultJWKSCache JWKSCache = NewMemoryJWKSCache()

// ParseJWKS reads a JWKS document ({"keys":[…]}), for `authctl claims --jwks
// FILE`. Keys this package cannot use (unknown key types, malformed
// members) are skipped rather than failing the whole set, as a verifier
// only needs the key a token names; a document that is not a JWKS at all is
// an error.
func ParseJWKS(raw []byte) (*jose.JSONWebKeySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("auth: not a JWKS document: %w", err)
	}
	if doc.Keys == nil {
		return nil, fmt.Errorf(`auth: not a JWKS document: no "keys" member`)
	}
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range doc.Keys {
		var jwk jose.JSONWebKey
		if err := jwk.UnmarshalJSON(k); err != nil || !jwk.Valid() {
			continue
		}
		set.Keys = append(set.Keys, jwk)
	}
	return set, nil
}

// JWKSURL is where the server publishes its signing keys.
func (c *Client) JWKSURL() string { return c.baseURL.String() + "/.well-known/jwks.json" }

// fetchJWKS gets the server's JWKS through the client's request path (same
// headers, limits and error classification as every other call).
func (c *Client) fetchJWKS(ctx context.Context) ([]byte, error) {
	resp, err := c.Do(ctx, Request{Method: "GET", Path: "/.well-known/jwks.json"}, nil)
	if err != nil {
		return nil, err
	}
	if _, err := ParseJWKS(resp.Body); err != nil {
		return nil, unexpectedAnswer(resp.StatusCode, err)
	}
	return resp.Body, nil
}

// serverKey finds the key kid of the server's JWKS: from cache when fresh
// and holding kid, otherwise fetched (and cached) once. ok is false when the
// server does not publish such a key.
func (c *Client) serverKey(ctx context.Context, cache JWKSCache, kid, alg string) (jose.JSONWebKey, bool, error) {
	if k, ok := c.cachedKey(cache, kid, alg); ok {
		return k, true, nil
	}
	raw, err := c.fetchJWKS(ctx)
	if err != nil {
		return jose.JSONWebKey{}, false, err
	}
	cache.Put(c.JWKSURL(), raw, c.now())
	set, _ := ParseJWKS(raw)
	k, ok := pickKey(set.Keys, kid, alg)
	return k, ok, nil
}

// cachedKey finds the key kid in the cached JWKS when that is still fresh,
// without any request (GetClaims' Offline mode uses it alone).
func (c *Client) cachedKey(cache JWKSCache, kid, alg string) (jose.JSONWebKey, bool) {
	raw, at, hit := cache.Get(c.JWKSURL())
	if !hit || !c.now().Before(at.Add(JWKSTTL)) {
		return jose.JSONWebKey{}, false
	}
	set, err := ParseJWKS(raw)
	if err != nil {
		return jose.JSONWebKey{}, false
	}
	return pickKey(set.Keys, kid, alg)
}

// pickKey returns the key with the given kid that can check alg (by key
// type, and by the key's own "alg" and "use" when it states them). A token
// without kid may use the only such key of the set: the signature still has
// to match.
func pickKey(keys []jose.JSONWebKey, kid, alg string) (jose.JSONWebKey, bool) {
	var found []jose.JSONWebKey
	for _, k := range keys {
		if (kid == "" || k.KeyID == kid) && keyFitsAlg(k, alg) {
			found = append(found, k)
		}
	}
	if len(found) == 0 || (kid == "" && len(found) > 1) {
		return jose.JSONWebKey{}, false
	}
	return found[0], true
}

func keyFitsAlg(k jose.JSONWebKey, alg string) bool {
	if (k.Algorithm != "" && k.Algorithm != alg) || (k.Use != "" && k.Use != "sig") {
		return false
	}
	switch k.Key.(type) {
	case *rsa.PublicKey, *rsa.PrivateKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case *ecdsa.PublicKey, *ecdsa.PrivateKey:
		return strings.HasPrefix(alg, "ES")
	case ed25519.PublicKey, ed25519.PrivateKey:
		return alg == "EdDSA"
	case []byte:
		return strings.HasPrefix(alg, "HS")
	}
	return false
}
