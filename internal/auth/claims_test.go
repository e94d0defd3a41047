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

// Real-server answers of GET /user refusing a token (v2.196, API version
// 2024-01-01).
var (
	userBadJWT          = reply{status: 403, body: []byte(`{"code":"bad_jwt","message":"invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid"}`)}
	userSessionNotFound = reply{status: 403, body: []byte(`{"code":"session_not_found","message":"Session from session_id claim in JWT does not exist"}`)}
	userNotFound        = reply{status: 403, body: []byte(`{"code":"user_not_found","message":"User from sub claim in JWT does not exist"}`)}
	userBanned          = reply{status: 403, body: []byte(`{"code":"user_banned","message":"User is banned"}`)}
	userOK              = reply{status: 200, body: []byte(`{"id":"user-1","aud":"authenticated","email":"u@example.com"}`)}
)

// wantRejected checks the error of a token the server refused: an
// *InvalidJwtError with the server's code, exit 1 rather than "not signed in".
func wantRejected(t *testing.T, err error, code string) {
	t.Helper()
	wantInvalidJWT(t, err, "the server rejected the token")
	if ErrorCode(err) != code || IsAuthSessionMissingError(err) {
		t.Fatalf("code %q (session missing: %v), want %q", ErrorCode(err), IsAuthSessionMissingError(err), code)
	}
}

func TestGetClaimsUnknownKid(t *testing.T) {
	key := newES256Key(t, "key-1")
	stranger := newES256Key(t, "key-9")
	srv := newFakeServer(t)
	srv.on("GET", "/.well-known/jwks.json", reply{status: 200, body: jwksBody(t, key.pub)})
	srv.on("GET", "/user", userBadJWT)
	c := newTestClient(t, srv.URL, nil)
	cache := NewMemoryJWKSCache()
	if _, err := c.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	// A kid missing from a fresh cached set: fetched again once (rotation),
	// then the server is asked about the token, and refuses it.
	token := stranger.sign(t, validClaims())
	_, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Cache: cache})
	wantRejected(t, err, "bad_jwt")
	if n := len(srv.calls("GET", "/.well-known/jwks.json")); n != 2 {
		t.Fatalf("%d JWKS requests, want 2", n)
	}
	if calls := srv.calls("GET", "/user"); len(calls) != 1 || calls[0].Header.Get("Authorization") != "Bearer "+token {
		t.Fatalf("GET /user calls %+v, want one with the token as bearer", calls)
	}
	// With explicit keys: refused without any request.
	_, err = c.GetClaims(context.Background(), stranger.sign(t, validClaims()), GetClaimsOptions{Keys: []jose.JSONWebKey{key.pub}})
	wantInvalidJWT(t, err, `kid "key-9"`)
	if n := srv.total(); n != 3 {
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

// HS256 tokens are signed with a secret the server never publishes: like
// the reference client, GetClaims has the server check them (GET /user), and
// returns them unverified only in local-only modes.
func TestGetClaimsHS256VerifiedByServer(t *testing.T) {
	srv := newFakeServer(t)
	down := reply{status: 503, body: []byte(`{"message":"down"}`)}
	srv.on("GET", "/user", userOK, userBadJWT, userSessionNotFound, userNotFound, userBanned, down)
	c := newTestClient(t, srv.URL, nil)
	token := makeJWT(t, validClaims())
	res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || res.VerifiedBy != VerifiedByServer || !res.SessionChecked || res.Reason != "" || res.Claims.Sub != "user-1" {
		t.Fatalf("result = %+v", res)
	}
	if srv.total() != 1 || len(srv.calls("GET", "/user")) != 1 {
		t.Fatal("want exactly one request, GET /user (no JWKS fetch for an HS256 token)")
	}

	// Every refusal of the server is an invalid token, with its code.
	for _, code := range []string{"bad_jwt", "session_not_found", "user_not_found", "user_banned"} {
		_, err := c.GetClaims(context.Background(), token, GetClaimsOptions{})
		wantRejected(t, err, code)
		if strings.Contains(err.Error(), token) {
			t.Fatal("the error quotes the token")
		}
	}
	// A server that cannot answer is not a verdict on the token.
	if _, err := c.GetClaims(context.Background(), token, GetClaimsOptions{}); !IsAuthRetryableFetchError(err) {
		t.Fatalf("503: %v", err)
	}
	before := srv.total()

	// Expired HS256 fails on expiry, without asking.
	claims := validClaims()
	claims["exp"] = testNow.Unix() - 10
	expired := makeJWT(t, claims)
	_, err = c.GetClaims(context.Background(), expired, GetClaimsOptions{})
	wantInvalidJWT(t, err, "expired")
	// With AllowExpired it decodes, unverified: the server refuses to look
	// at expired tokens.
	res, err = c.GetClaims(context.Background(), expired, GetClaimsOptions{AllowExpired: true})
	if err != nil || res.Verified || !strings.Contains(res.Reason, "expired") {
		t.Fatalf("expired, allowed: %+v %v", res, err)
	}
	// Offline: no request, unverified with a reason.
	res, err = c.GetClaims(context.Background(), token, GetClaimsOptions{Offline: true})
	if err != nil || res.Verified || res.SessionChecked || !strings.Contains(res.Reason, "HS256") {
		t.Fatalf("offline: %+v %v", res, err)
	}
	// Asymmetric keys given explicitly cannot verify it either, and keep it
	// local.
	key := newES256Key(t, "")
	res, err = c.GetClaims(context.Background(), token, GetClaimsOptions{Keys: []jose.JSONWebKey{key.pub}})
	if err != nil || res.Verified {
		t.Fatalf("HS256 with an EC key: verified=%v err=%v", res != nil && res.Verified, err)
	}
	if srv.total() != before {
		t.Fatal("a local-only check sent a request")
	}

	// The secret given explicitly as an oct key: verified; a wrong one fails.
	secret := jose.JSONWebKey{Key: []byte(testJWTSecret + "-padded-to-32-bytes"), Algorithm: "HS256"}
	longToken := hs256(t, validClaims(), secret.Key.([]byte))
	res, err = c.GetClaims(context.Background(), longToken, GetClaimsOptions{Keys: []jose.JSONWebKey{secret}})
	if err != nil || !res.Verified || res.VerifiedBy != VerifiedByKeys || res.SessionChecked {
		t.Fatalf("oct key: %+v %v", res, err)
	}
	wrong := jose.JSONWebKey{Key: []byte("another-secret-of-at-least-32-bytes!!"), Algorithm: "HS256"}
	_, err = c.GetClaims(context.Background(), longToken, GetClaimsOptions{Keys: []jose.JSONWebKey{wrong}})
	wantInvalidJWT(t, err, "invalid JWT signature")
}

// CheckSession asks the server about a token whose signature was verified
// locally: a signed-out session or a deleted user fails even though the
// signature matches.
func TestGetClaimsCheckSession(t *testing.T) {
	key := newES256Key(t, "key-1")
	srv := newFakeServer(t)
	srv.on("GET", "/.well-known/jwks.json", reply{status: 200, body: jwksBody(t, key.pub)})
	srv.on("GET", "/user", userOK, userSessionNotFound)
	c := newTestClient(t, srv.URL, nil)
	token := key.sign(t, validClaims())
	opts := GetClaimsOptions{Cache: NewMemoryJWKSCache(), CheckSession: true}
	res, err := c.GetClaims(context.Background(), token, opts)
	if err != nil || !res.Verified || res.VerifiedBy != VerifiedByJWKS || !res.SessionChecked {
		t.Fatalf("alive: %+v %v", res, err)
	}
	_, err = c.GetClaims(context.Background(), token, opts)
	wantRejected(t, err, "session_not_found")
	// Without CheckSession the local verification is enough: no GET /user.
	if _, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Cache: opts.Cache}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.calls("GET", "/user")); n != 2 {
		t.Fatalf("%d GET /user, want 2", n)
	}
	// Offline cannot check a session.
	if _, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Offline: true, CheckSession: true}); err == nil {
		t.Fatal("Offline+CheckSession accepted")
	}
}

// Offline uses a fresh cached JWKS and nothing else.
func TestGetClaimsOfflineUsesOnlyTheCache(t *testing.T) {
	key := newES256Key(t, "key-1")
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	token := key.sign(t, validClaims())
	cache := &recordingCache{}
	res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Offline: true, Cache: cache})
	if err != nil || res.Verified || !strings.Contains(res.Reason, "offline") {
		t.Fatalf("empty cache: %+v %v", res, err)
	}
	cache.raw, cache.at = jwksBody(t, key.pub), testNow.Add(-time.Minute)
	res, err = c.GetClaims(context.Background(), token, GetClaimsOptions{Offline: true, Cache: cache})
	if err != nil || !res.Verified || res.VerifiedBy != VerifiedByJWKS {
		t.Fatalf("fresh cache: %+v %v", res, err)
	}
	if srv.total() != 0 {
		t.Fatal("offline sent a request")
	}
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
	srv.on("GET", "/user", userBadJWT)
	c := newTestClient(t, srv.URL, nil)
	key := newES256Key(t, "key-1")
	_, err := c.GetClaims(context.Background(), key.sign(t, validClaims()), GetClaimsOptions{Cache: NewMemoryJWKSCache()})
	wantRejected(t, err, "bad_jwt")
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
	srv.on("GET", "/user", userOK, userNotFound, userSessionNotFound)
	res, err := c.GetClaims(context.Background(), "", GetClaimsOptions{})
	if err != nil || res.Claims.Sub != "user-1" || !res.Verified {
		t.Fatalf("res=%+v err=%v", res, err)
	}
	if got := srv.calls("GET", "/user"); got[0].Header.Get("Authorization") != "Bearer "+s.AccessToken {
		t.Fatalf("GET /user sent %q", got[0].Header.Get("Authorization"))
	}
	if _, err := c.GetClaims(context.Background(), "a.b", GetClaimsOptions{}); err == nil {
		t.Fatal("malformed accepted")
	}
	// A deleted user: rejected, the session stays (only the server's
	// "session gone" removes it).
	_, err = c.GetClaims(context.Background(), "", GetClaimsOptions{})
	wantRejected(t, err, "user_not_found")
	if storedSession(t, c) == nil {
		t.Fatal("user_not_found removed the session")
	}
	// The stored session signed out elsewhere: removed, "not signed in".
	_, err = c.GetClaims(context.Background(), "", GetClaimsOptions{})
	if !IsAuthSessionMissingError(err) || storedSession(t, c) != nil {
		t.Fatalf("session_not_found: %v, stored %v", err, storedSession(t, c))
	}
	// Offline reads the stored session without refreshing it, even when it
	// is about to expire.
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+5))
	res, err = c.GetClaims(context.Background(), "", GetClaimsOptions{Offline: true})
	if err != nil || res.Verified {
		t.Fatalf("offline: %+v %v", res, err)
	}
	if n := srv.total(); n != 3 {
		t.Fatalf("%d requests, want 3 GET /user and no refresh", n)
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
	res, err := c.GetClaims(context.Background(), token, GetClaimsOptions{Offline: true})
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
