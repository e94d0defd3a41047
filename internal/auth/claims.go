package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// GetClaimsOptions are getClaims' options (§6.24).
type GetClaimsOptions struct {
	// AllowExpired skips the expiry check (inspecting an old token).
	AllowExpired bool
	// Keys and JWKS give the verification keys explicitly; when either is set
	// the server's JWKS is not fetched and a token they cannot check is not
	// sent to the server (offline use: `authctl claims --jwks FILE`). A
	// symmetric ("oct") key given here can verify HS256 tokens.
	Keys []jose.JSONWebKey
	JWKS *jose.JSONWebKeySet
	// Cache keeps the server's JWKS between calls for JWKSTTL. Nil means a
	// process-wide in-memory cache.
	Cache JWKSCache
	// Offline sends no request at all: keys come from Keys/JWKS or a fresh
	// Cache entry, the stored session is read as it is (not refreshed), and
	// a token no local key can check is returned with Verified false and a
	// Reason instead of being sent to the server.
	Offline bool
	// CheckSession asks the server (GET /user) about the token even when its
	// signature was verified locally: it fails when the session was signed
	// out or revoked, or the user deleted or banned, which no signature can
	// tell. It cannot be combined with Offline.
	CheckSession bool
}

// How a ClaimsResult was verified.
const (
	VerifiedByKeys   = "keys"   // GetClaimsOptions.Keys / JWKS
	VerifiedByJWKS   = "jwks"   // the server's published keys
	VerifiedByServer = "server" // GET /user accepted the token
)

// ClaimsResult is getClaims' result: the decoded token and whether its
// signature was checked.
type ClaimsResult struct {
	Claims    Claims
	Header    JWTHeader
	Signature []byte
	// Verified is true only when the token was checked and found genuine:
	// its signature against a key, or by the server that issued it.
	// VerifiedBy says which (VerifiedByKeys, VerifiedByJWKS,
	// VerifiedByServer). Verified is false only in local-only modes (Offline,
	// explicit keys) for a token no given key could check, and for an expired
	// token the server would refuse to look at (AllowExpired): Reason then
	// says why, and the claims must not be trusted for anything that matters.
	Verified   bool
	VerifiedBy string
	// SessionChecked is true when the server accepted the token (GET /user):
	// its user exists and is not banned, and its session was not signed out
	// or revoked.
	SessionChecked bool
	Reason         string
}

// MarshalJSON renders the result for `--json`: every claim the token
// carries (not only the known ones), the header, the signature in base64url
// as it appeared in the token, and the verification outcome.
func (r *ClaimsResult) MarshalJSON() ([]byte, error) {
	claims := any(r.Claims)
	if r.Claims.Raw != nil {
		claims = r.Claims.Raw
	}
	return json.Marshal(struct {
		Claims         any       `json:"claims"`
		Header         JWTHeader `json:"header"`
		Signature      string    `json:"signature"`
		Verified       bool      `json:"verified"`
		VerifiedBy     string    `json:"verified_by,omitempty"`
		SessionChecked bool      `json:"session_checked"`
		Reason         string    `json:"reason,omitempty"`
	}{claims, r.Header, Base64URLEncode(r.Signature), r.Verified, r.VerifiedBy, r.SessionChecked, r.Reason})
}

// asymmetricAlgs are the JWS algorithms checked against public keys.
var asymmetricAlgs = map[string]bool{
	"RS256": true, "RS384": true, "RS512": true,
	"PS256": true, "PS384": true, "PS512": true,
	"ES256": true, "ES384": true, "ES512": true,
	"EdDSA": true,
}

var symmetricAlgs = map[string]bool{"HS256": true, "HS384": true, "HS512": true}

// GetClaims decodes a JWT and verifies it (§6.24). With jwt == "" it uses
// the current session's access token (refreshed if about to expire, unless
// Offline; none → *SessionMissingError).
//
//   - An expired token (exp in the past, or no exp) fails with
//     *InvalidJwtError unless opts.AllowExpired.
//   - A token a local key can check is checked with go-jose: the key its kid
//     names from opts.Keys/opts.JWKS when given, otherwise from the server's
//     /.well-known/jwks.json, cached for JWKSTTL and fetched again when the
//     kid is not in the cached set. A signature that does not match fails
//     with *InvalidJwtError.
//   - A token no local key can check (HS256 signed with the project's
//     unpublished secret, or a kid the JWKS does not hold) is verified by
//     the server, as the reference client does: GET /user with the token.
//     A refusal (forged, expired, signed-out session, deleted or banned
//     user) fails with *InvalidJwtError carrying the server's code; for the
//     stored session, session_not_found removes it and fails with
//     *SessionMissingError. With explicit keys or Offline the server is not
//     asked and the claims come back unverified, with a Reason.
//   - "none" and unknown algorithms fail with *InvalidJwtError.
//
// Error messages never quote the token.
func (c *Client) GetClaims(ctx context.Context, jwt string, opts GetClaimsOptions) (*ClaimsResult, error) {
	if opts.Offline && opts.CheckSession {
		return nil, errInvalidCredentials("checking the session needs the server: it cannot be done offline")
	}
	fromSession := jwt == ""
	if fromSession {
		var err error
		if jwt, err = c.sessionToken(ctx, opts.Offline); err != nil {
			return nil, err
		}
	}
	d, err := DecodeJWT(jwt)
	if err != nil {
		return nil, err
	}
	res := &ClaimsResult{Claims: d.Claims, Header: d.Header, Signature: d.Signature}
	expired := d.Claims.Exp == 0 || d.Claims.Exp <= c.now().Unix()
	if expired && !opts.AllowExpired {
		if d.Claims.Exp == 0 {
			return nil, errInvalidJWT("JWT has no exp claim")
		}
		return nil, errInvalidJWT("JWT has expired")
	}
	alg := d.Header.Alg
	if !symmetricAlgs[alg] && !asymmetricAlgs[alg] {
		if alg == "" || strings.EqualFold(alg, "none") {
			return nil, errInvalidJWT("JWT is not signed (alg %q)", alg)
		}
		return nil, errInvalidJWT("unsupported JWT algorithm %q", alg)
	}

	key, by, err := c.localKey(ctx, d.Header, opts)
	if err != nil {
		return nil, err
	}
	if by != "" {
		if err := verifySignature(jwt, alg, key); err != nil {
			return nil, err
		}
		res.Verified, res.VerifiedBy = true, by
	}
	askServer := opts.CheckSession || (!res.Verified && !opts.Offline && opts.Keys == nil && opts.JWKS == nil)
	switch {
	case askServer && expired && !opts.CheckSession:
		res.Reason = "the token has expired and the server checks only unexpired tokens: its signature cannot be checked without the key"
	case askServer:
		if err := c.askServer(ctx, jwt, fromSession); err != nil {
			return nil, err
		}
		res.SessionChecked = true
		if !res.Verified {
			res.Verified, res.VerifiedBy = true, VerifiedByServer
		}
	case !res.Verified:
		res.Reason = noLocalKeyReason(d.Header, opts)
	}
	return res, nil
}

// sessionToken is the stored session's access token: as stored when
// offline (no refresh request), otherwise as GetSession gives it.
func (c *Client) sessionToken(ctx context.Context, offline bool) (string, error) {
	var (
		s   *Session
		err error
	)
	if offline {
		s, err = c.loadSession(ctx)
	} else {
		s, err = c.GetSession(ctx)
	}
	if err != nil {
		return "", err
	}
	if s == nil {
		return "", errSessionMissing()
	}
	return s.AccessToken, nil
}

// localKey finds a key that can check the token without asking the server
// about the token itself: by is "" when there is none. Explicit keys that do
// not hold an asymmetric token's kid are an error (the caller said which
// keys to trust); the server's JWKS not holding it is not (the server
// decides).
func (c *Client) localKey(ctx context.Context, h JWTHeader, opts GetClaimsOptions) (jose.JSONWebKey, string, error) {
	if opts.Keys != nil || opts.JWKS != nil {
		keys := opts.Keys
		if opts.JWKS != nil {
			keys = append(append([]jose.JSONWebKey(nil), keys...), opts.JWKS.Keys...)
		}
		k, ok := pickKey(keys, h.Kid, h.Alg)
		switch {
		case ok:
			return k, VerifiedByKeys, nil
		case asymmetricAlgs[h.Alg]:
			return k, "", errInvalidJWT("no %s key with kid %q among the given keys", h.Alg, h.Kid)
		}
		return k, "", nil
	}
	// The server never publishes the shared secret of HS256 tokens: no
	// point fetching the JWKS for them.
	if symmetricAlgs[h.Alg] {
		return jose.JSONWebKey{}, "", nil
	}
	cache := opts.Cache
	if cache == nil {
		cache = defaultJWKSCache
	}
	var (
		k   jose.JSONWebKey
		ok  bool
		err error
	)
	if opts.Offline {
		k, ok = c.cachedKey(cache, h.Kid, h.Alg)
	} else {
		k, ok, err = c.serverKey(ctx, cache, h.Kid, h.Alg)
	}
	if err != nil || !ok {
		return k, "", err
	}
	return k, VerifiedByJWKS, nil
}

// noLocalKeyReason says why a token was left unverified in a local-only mode.
func noLocalKeyReason(h JWTHeader, opts GetClaimsOptions) string {
	if symmetricAlgs[h.Alg] {
		return h.Alg + " tokens are signed with the project's shared JWT secret, which is not published: the signature cannot be checked without it (or by the server)"
	}
	if opts.Offline {
		return fmt.Sprintf("offline, and no fresh cached %s key with kid %q: the signature was not checked", h.Alg, h.Kid)
	}
	return ""
}

// askServer sends the token to GET /user: the server checks its signature,
// its expiry, and that its user and session still exist and the user is
// not banned. A refusal becomes *InvalidJwtError with the server's code and
// message, except for the stored session's session_not_found: that session
// is gone, so it is removed and the *SessionMissingError returned (exit
// code "not signed in", as for every other command).
func (c *Client) askServer(ctx context.Context, jwt string, fromSession bool) error {
	_, err := c.fetchUser(ctx, jwt)
	if err == nil {
		return nil
	}
	if fromSession && IsAuthSessionMissingError(err) {
		_ = c.withLock(ctx, c.opts.LockAcquireTimeout, func(ctx context.Context) error {
			c.forgetIfRevoked(ctx, jwt, err)
			return nil
		})
		return err
	}
	var ae Error
	if errors.As(err, &ae) {
		if b := ae.Base(); b.Status == http.StatusUnauthorized || b.Status == http.StatusForbidden {
			return &InvalidJwtError{AuthError{Name: NameInvalidJwtError, Status: b.Status, Code: b.Code,
				Message: "the server rejected the token: " + b.Message}}
		}
	}
	return err
}

// verifySignature checks the compact JWS with go-jose, accepting only alg
// (the header's, already matched against the key's type).
func verifySignature(token, alg string, key jose.JSONWebKey) error {
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil {
		return errInvalidJWT("JWT cannot be parsed for verification")
	}
	verifyWith := any(key.Key)
	if !symmetricAlgs[alg] {
		pub := key.Public()
		if !pub.Valid() {
			return errInvalidJWT("the %s key with kid %q is not a usable public key", alg, key.KeyID)
		}
		verifyWith = pub.Key
	}
	if _, err := jws.Verify(verifyWith); err != nil {
		return errInvalidJWT("invalid JWT signature")
	}
	return nil
}
