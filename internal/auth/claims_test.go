package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// signingKey is a real key generated for the test, with its public JWK.
type signingKey struct {
	alg  jose.SignatureAlgorithm
	priv any
	pub  jose.JSONWebKey
}

func newES256Key(t *testing.T, kid string) signingKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return signingKey{alg: jose.ES256, priv: priv, pub: jose.JSONWebKey{Key: &priv.PublicKey, KeyID: kid, Algorithm: "ES256", Use: "sig"}}
}

func (k signingKey) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if k.pub.KeyID != "" {
		opts = opts.WithHeader("kid", k.pub.KeyID)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.priv}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	obj, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jwksBody(t *testing.T, keys ...jose.JSONWebKey) []byte {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func validClaims() map[string]any {
	return map[string]any{"sub": "user-1", "aud": "authenticated", "role": "authenticated", "aal": "aal1",
		"exp": testNow.Unix() + 3600, "iat": testNow.Unix(), "session_id": "s-1", "email": "u@example.com"}
}

// movableClock is a test clock that can jump forward.
type movableClock struct{ t atomic.Int64 }

func (m *movableClock) now() time.Time          { return time.Unix(m.t.Load(), 0) }
func (m *movableClock) advance(d time.Duration) { m.t.Add(int64(d / time.Second)) }
func newClock(at time.Time) *movableClock       { m := &movableClock{}; m.t.Store(at.Unix()); return m }
func wantInvalidJWT(t *testing.T, err error, sub string) {
	t.Helper()
	var ij *InvalidJwtError
	if !errors.As(err, &ij) {
		t.Fatalf("err = %T %v, want *InvalidJwtError", err, err)
	}
	mustContain(t, ij.Message, sub)
}

func TestGetClaimsES256FromServerJWKSAndCache(t *testing.T) {
	key := newES256Key(t, "key-1")
	srv := newFakeServer(t)
	srv.on("GET", "/.well-known/jwks.json", reply{status: 200, headers: map[string]string{"Content-Type": "application/json"}, body: jwksBody(t, key.pub)})
	clock := newClock(testNow)
	c := newTestClient(t, srv.URL, func(o *Options) { o.Now = clock.now })
	cache := NewMemoryJWKSCache()
	token := key.sign(t, validClaims())

	res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || res.Reason != "" || res.Claims.Sub != "user-1" || res.Claims.AAL != AAL1 || res.Header.Alg != "ES256" ||
		res.Header.Kid != "key-1" || len(res.Signature) != 64 || res.Claims.Raw["session_id"] != "s-1" {
		t.Fatalf("result = %+v", res)
	}
	if got := srv.calls("GET", "/.well-known/jwks.json"); len(got) != 1 || got[0].Header.Get("apikey") != testAnonKey {
		t.Fatalf("JWKS requests = %d", len(got))
	}

	// Within the TTL the cached set is used.
	clock.advance(9 * time.Minute)
	if res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Cache: cache}); err != nil || !res.Verified {
		t.Fatalf("cached: %v", err)
	}
	if n := len(srv.calls("GET", "/.well-known/jwks.json")); n != 1 {
		t.Fatalf("%d JWKS requests within the TTL", n)
	}
	// Past it, fetched again.
	clock.advance(2 * time.Minute)
	if res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Cache: cache}); err != nil || !res.Verified {
		t.Fatalf("after TTL: %v", err)
	}
	if n := len(srv.calls("GET", "/.well-known/jwks.json")); n != 2 {
		t.Fatalf("%d JWKS requests after the TTL, want 2", n)
	}
}

func TestGetClaimsTampered(t *testing.T) {
	key := newES256Key(t, "key-1")
	srv := newFakeServer(t)
	srv.on("GET", "/.well-known/jwks.json", reply{status: 200, body: jwksBody(t, key.pub)})
	c := newTestClient(t, srv.URL, nil)
	token := key.sign(t, validClaims())
	parts := strings.Split(token, ".")
	forged := validClaims()
	forged["role"] = "service_role"
	fp, _ := json.Marshal(forged)
	tampered := parts[0] + "." + Base64URLEncode(fp) + "." + parts[2]
	_, err := c.GetClaims(context.Background(), tampered, GetClaimsOptions{Cache: NewMemoryJWKSCache()})
	wantInvalidJWT(t, err, "invalid JWT signature")
	if strings.Contains(err.Error(), parts[1]) || strings.Contains(err.Error(), parts[2]) {
		t.Fatal("the error quotes the token")
	}

	// A signature by another key with the same kid.
	other := newES256Key(t, "key-1")
	_, err = c.GetClaims(context.Background(), other.sign(t, validClaims()), GetClaimsOptions{Cache: NewMemoryJWKSCache()})
	wantInvalidJWT(t, err, "invalid JWT signature")
}

func TestGetClaimsExpired(t *testing.T) {
	key := newES256Key(t, "key-1")
	// No route: explicit keys must not fetch the JWKS (an unexpected
	// request fails the test, and total() says so once more).
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	claims := validClaims()
	claims["exp"] = testNow.Unix() - 1
	token := key.sign(t, claims)
	_, err := c.GetClaims(context.Background(), token, GetClaimsOptions{JWKS: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{key.pub}}})
	wantInvalidJWT(t, err, "expired")
	res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{AllowExpired: true, JWKS: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{key.pub}}})
	if err != nil || !res.Verified {
		t.Fatalf("AllowExpired: %v", err)
	}
	claims["exp"] = testNow.Unix()
	_, err = c.GetClaims(context.Background(), key.sign(t, claims), GetClaimsOptions{Keys: []jose.JSONWebKey{key.pub}})
	wantInvalidJWT(t, err, "expired")
	delete(claims, "exp")
	_, err = c.GetClaims(context.Background(), key.sign(t, claims), GetClaimsOptions{Keys: []jose.JSONWebKey{key.pub}})
	wantInvalidJWT(t, err, "exp")
	if srv.total() != 0 {
		t.Fatal("explicit keys fetched the JWKS")
	}
}

func TestGetClaimsUnknownKid(t *testing.T) {
	key := newES256Key(t, "key-1")
	stranger := newES256Key(t, "key-9")
	srv := newFakeServer(t)
	srv.on("GET", "/.well-known/jwks.json", reply{status: 200, body: jwksBody(t, key.pub)})
	c := newTestClient(t, srv.URL, nil)
	cache := NewMemoryJWKSCache()
	if _, err := c.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	// A kid missing from a fresh cached set: fetched again once (rotation),
	// then refused.
	_, err := c.GetClaims(context.Background(), stranger.sign(t, validClaims()), GetClaimsOptions{Cache: cache})
	wantInvalidJWT(t, err, `kid "key-9"`)
	if n := len(srv.calls("GET", "/.well-known/jwks.json")); n != 2 {
		t.Fatalf("%d JWKS requests, want 2", n)
	}
	// With explicit keys: refused without any request.
	_, err = c.GetClaims(context.Background(), stranger.sign(t, validClaims()), GetClaimsOptions{Keys: []jose.JSONWebKey{key.pub}})
	wantInvalidJWT(t, err, `kid "key-9"`)
	if n := srv.total(); n != 2 {
		t.Fatalf("%d requests", n)
	}
}

func TestGetClaimsKeyRotationPickedUp(t *testing.T) {
	oldKey := newES256Key(t, "old")
	newKey := newES256Key(t, "new")
	srv := newFakeServer(t)
	srv.on("GET", "/.well-known/jwks.json",
		reply{status: 200, body: jwksBody(t, oldKey.pub)},
		reply{status: 200, body: jwksBody(t, oldKey.pub, newKey.pub)})
	c := newTestClient(t, srv.URL, nil)
	cache := NewMemoryJWKSCache()
	if _, err := c.GetClaims(context.Background(), oldKey.sign(t, validClaims()), GetClaimsOptions{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	res, err := c.GetClaims(context.Background(), newKey.sign(t, validClaims()), GetClaimsOptions{Cache: cache})
	if err != nil || !res.Verified {
		t.Fatalf("rotated key: %v", err)
	}
}

func TestGetClaimsHS256Unverifiable(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	token := makeJWT(t, validClaims())
	res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verified || res.Reason == "" || res.Claims.Sub != "user-1" || res.Header.Alg != "HS256" {
		t.Fatalf("result = %+v", res)
	}
	mustContain(t, res.Reason, "HS256")
	if srv.total() != 0 {
		t.Fatal("the JWKS was fetched for an HS256 token")
	}
	// Asymmetric keys cannot verify it either.
	key := newES256Key(t, "")
	res, err = c.GetClaims(context.Background(), token, GetClaimsOptions{Keys: []jose.JSONWebKey{key.pub}})
	if err != nil || res.Verified {
		t.Fatalf("HS256 with an EC key: verified=%v err=%v", res != nil && res.Verified, err)
	}
	// Expired HS256 still fails on expiry.
	claims := validClaims()
	claims["exp"] = testNow.Unix() - 10
	_, err = c.GetClaims(context.Background(), makeJWT(t, claims), GetClaimsOptions{})
	wantInvalidJWT(t, err, "expired")

	// The secret given explicitly as an oct key: verified; a wrong one fails.
	secret := jose.JSONWebKey{Key: []byte(testJWTSecret + "-padded-to-32-bytes"), Algorithm: "HS256"}
	longToken := hs256(t, validClaims(), secret.Key.([]byte))
	res, err = c.GetClaims(context.Background(), longToken, GetClaimsOptions{Keys: []jose.JSONWebKey{secret}})
	if err != nil || !res.Verified {
		t.Fatalf("oct key: %v", err)
	}
	wrong := jose.JSONWebKey{Key: []byte("another-secret-of-at-least-32-bytes!!"), Algorithm: "HS256"}
	_, err = c.GetClaims(context.Background(), longToken, GetClaimsOptions{Keys: []jose.JSONWebKey{wrong}})
	wantInvalidJWT(t, err, "invalid JWT signature")
}

func hs256(t *testing.T, claims map[string]any, secret []byte) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: secret}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := json.Marshal(claims)
	obj, err := signer.Sign(p)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := obj.CompactSerialize()
	return s
}

func TestGetClaimsRS256AndAlgConfusion(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	key := signingKey{alg: jose.RS256, priv: priv, pub: jose.JSONWebKey{Key: &priv.PublicKey, KeyID: "rsa-1"}}
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{key.pub}}
	res, err := c.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{JWKS: set})
	if err != nil || !res.Verified {
		t.Fatalf("RS256: %v", err)
	}
	// An ES256 token naming the RSA key's kid does not find a usable key.
	es := newES256Key(t, "rsa-1")
	_, err = c.GetClaims(context.Background(), es.sign(t, validClaims()), GetClaimsOptions{JWKS: set})
	wantInvalidJWT(t, err, "rsa-1")

	// alg none is refused.
	h, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
	p, _ := json.Marshal(validClaims())
	_, err = c.GetClaims(context.Background(), Base64URLEncode(h)+"."+Base64URLEncode(p)+".", GetClaimsOptions{})
	if err == nil {
		t.Fatal("alg none accepted")
	}
	h, _ = json.Marshal(map[string]string{"alg": "XX999"})
	_, err = c.GetClaims(context.Background(), Base64URLEncode(h)+"."+Base64URLEncode(p)+".c2ln", GetClaimsOptions{})
	wantInvalidJWT(t, err, "unsupported")
	if srv.total() != 0 {
		t.Fatal("requests sent")
	}
}

func TestGetClaimsRealServerEmptyJWKS(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "jwks", 0)
	c := newTestClient(t, srv.URL, nil)
	key := newES256Key(t, "key-1")
	_, err := c.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{Cache: NewMemoryJWKSCache()})
	wantInvalidJWT(t, err, "publishes no ES256 key")
}

func TestGetClaimsJWKSFetchFailure(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("GET", "/.well-known/jwks.json", reply{status: 503, body: []byte(`{"message":"down"}`)}, reply{status: 200, body: []byte(`<html>`)})
	c := newTestClient(t, srv.URL, nil)
	key := newES256Key(t, "key-1")
	token := key.sign(t, validClaims())
	_, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Cache: NewMemoryJWKSCache()})
	if !IsAuthRetryableFetchError(err) {
		t.Fatalf("503: %v", err)
	}
	_, err = c.GetClaims(context.Background(), token, GetClaimsOptions{Cache: NewMemoryJWKSCache()})
	var ue *UnknownError
	if !errors.As(err, &ue) {
		t.Fatalf("non-JSON JWKS: %T %v", err, err)
	}
}

// recordingCache is a JWKSCache backed elsewhere (the CLI uses a file).
type recordingCache struct {
	mu         sync.Mutex
	raw        []byte
	at         time.Time
	gets, puts int
}

func (r *recordingCache) Get(string) ([]byte, time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gets++
	return r.raw, r.at, r.raw != nil
}

func (r *recordingCache) Put(_ string, raw []byte, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.puts++
	r.raw, r.at = raw, at
}

func TestGetClaimsPluggableCache(t *testing.T) {
	key := newES256Key(t, "key-1")
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	// A pre-filled cache (another process fetched a minute ago): no request.
	cache := &recordingCache{raw: jwksBody(t, key.pub), at: testNow.Add(-time.Minute)}
	res, err := c.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{Cache: cache})
	if err != nil || !res.Verified {
		t.Fatal(err)
	}
	if srv.total() != 0 || cache.gets != 1 || cache.puts != 0 {
		t.Fatalf("requests=%d gets=%d puts=%d", srv.total(), cache.gets, cache.puts)
	}
	// A stale entry is replaced by a fetch, stored with the fetch time.
	cache.at = testNow.Add(-JWKSTTL)
	srv.on("GET", "/.well-known/jwks.json", reply{status: 200, body: jwksBody(t, key.pub)})
	if _, err := c.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	if srv.total() != 1 || cache.puts != 1 || !cache.at.Equal(testNow) {
		t.Fatalf("requests=%d puts=%d at=%v", srv.total(), cache.puts, cache.at)
	}
	// The default (nil) cache is process-wide.
	srv2 := newFakeServer(t)
	srv2.on("GET", "/.well-known/jwks.json", reply{status: 200, body: jwksBody(t, key.pub)})
	c2 := newTestClient(t, srv2.URL, nil)
	c3 := newTestClient(t, srv2.URL, nil)
	for _, cl := range []*Client{c2, c3} {
		if _, err := cl.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if srv2.total() != 1 {
		t.Fatalf("%d fetches through the default cache", srv2.total())
	}
}

func TestGetClaimsFromSession(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.GetClaims(context.Background(), "", GetClaimsOptions{}); !IsAuthSessionMissingError(err) {
		t.Fatalf("signed out: %v", err)
	}
	s := testSession(t, "rt", testNow.Unix()+3600)
	storeSession(t, c, s)
	res, err := c.GetClaims(context.Background(), "", GetClaimsOptions{})
	if err != nil || res.Claims.Sub != "user-1" || res.Verified {
		t.Fatalf("res=%+v err=%v", res, err)
	}
	if _, err := c.GetClaims(context.Background(), "a.b", GetClaimsOptions{}); err == nil {
		t.Fatal("malformed accepted")
	}
}

func TestParseJWKS(t *testing.T) {
	key := newES256Key(t, "k")
	good, _ := json.Marshal(key.pub)
	raw := []byte(`{"keys":[{"kty":"weird","kid":"x"},` + string(good) + `,{"kty":"EC","crv":"P-256","x":"bad"}]}`)
	set, err := ParseJWKS(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 || set.Keys[0].KeyID != "k" {
		t.Fatalf("keys = %+v", set.Keys)
	}
	for _, bad := range []string{`[]`, `{}`, `nope`} {
		if _, err := ParseJWKS([]byte(bad)); err == nil {
			t.Errorf("ParseJWKS(%s) accepted", bad)
		}
	}
	if set, err := ParseJWKS([]byte(`{"keys":[]}`)); err != nil || len(set.Keys) != 0 {
		t.Fatalf("empty set: %v", err)
	}
}

func TestClaimsResultJSON(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	claims := validClaims()
	claims["custom"] = "kept"
	token := makeJWT(t, claims)
	res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(b, &got)
	if got["claims"].(map[string]any)["custom"] != "kept" || got["verified"] != false || got["reason"] == "" ||
		got["signature"] != strings.Split(token, ".")[2] || got["header"].(map[string]any)["alg"] != "HS256" {
		t.Fatalf("json = %s", b)
	}
}
