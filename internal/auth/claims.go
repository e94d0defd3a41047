package auth

import (
	"context"
	"encoding/json"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// GetClaimsOptions are getClaims' options (§6.24).
type GetClaimsOptions struct {
	// AllowExpired skips the expiry check (inspecting an old token).
	AllowExpired bool
	// Keys and JWKS give the verification keys explicitly; when either is set
	// the server's JWKS is not fetched (offline use: `authctl claims --jwks
	// FILE`). A symmetric ("oct") key given here can verify HS256 tokens.
	Keys []jose.JSONWebKey
	JWKS *jose.JSONWebKeySet
	// Cache keeps the server's JWKS between calls for JWKSTTL. Nil means a
	// process-wide in-memory cache.
	Cache JWKSCache
}

// ClaimsResult is getClaims' result: the decoded token and whether its
// signature was checked.
type ClaimsResult struct {
	Claims    Claims
	Header    JWTHeader
	Signature []byte
	// Verified is true only when the signature was checked against a key and
	// matched. It is false for tokens signed with a shared secret (HS256) that
	// no given key could check: Reason then says why, and the claims must not
	// be trusted for anything that matters.
	Verified bool
	Reason   string
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
		Claims    any       `json:"claims"`
		Header    JWTHeader `json:"header"`
		Signature string    `json:"signature"`
		Verified  bool      `json:"verified"`
		Reason    string    `json:"reason,omitempty"`
	}{claims, r.Header, Base64URLEncode(r.Signature), r.Verified, r.Reason})
}

// asymmetricAlgs are the JWS algorithms checked against public keys.
var asymmetricAlgs = map[string]bool{
	"RS256": true, "RS384": true, "RS512": true,
	"PS256": true, "PS384": true, "PS512": true,
	"ES256": true, "ES384": true, "ES512": true,
	"EdDSA": true,
}

var symmetricAlgs = map[string]bool{"HS256": true, "HS384": true, "HS512": true}

// GetClaims decodes a JWT and verifies its signature (§6.24). With jwt == ""
// it uses the current session's access token (refreshed if about to expire;
// none → *SessionMissingError).
//
//   - An expired token (exp in the past, or no exp) fails with
//     *InvalidJwtError unless opts.AllowExpired.
//   - An asymmetric token (ES256, RS256, PS256, EdDSA, …) is checked with go-jose
//     against the key its kid names: from opts.Keys/opts.JWKS when given,
//     otherwise from the server's /.well-known/jwks.json, cached for
//     JWKSTTL and fetched again when the kid is not in the cached set. A
//     signature that does not match, or a kid no key answers to, fails with
//     *InvalidJwtError.
//   - An HS256/384/512 token is signed with the project's shared secret,
//     which is never published: unless a symmetric key was given explicitly,
//     the claims are returned with Verified false and a Reason. It is never
//     reported as verified.
//   - "none" and unknown algorithms fail with *InvalidJwtError.
//
// Error messages never quote the token.
func (c *Client) GetClaims(ctx context.Context, jwt string, opts GetClaimsOptions) (*ClaimsResult, error) {
	if jwt == "" {
		s, err := c.GetSession(ctx)
		if err != nil {
			return nil, err
		}
		if s == nil {
			return nil, errSessionMissing()
		}
		jwt = s.AccessToken
	}
	d, err := DecodeJWT(jwt)
	if err != nil {
		return nil, err
	}
	res := &ClaimsResult{Claims: d.Claims, Header: d.Header, Signature: d.Signature}
	if !opts.AllowExpired {
		if d.Claims.Exp == 0 {
			return nil, errInvalidJWT("JWT has no exp claim")
		}
		if d.Claims.Exp <= c.now().Unix() {
			return nil, errInvalidJWT("JWT has expired")
		}
	}

	alg := d.Header.Alg
	explicit := opts.Keys
	if opts.JWKS != nil {
		explicit = append(append([]jose.JSONWebKey(nil), explicit...), opts.JWKS.Keys...)
	}
	haveExplicit := opts.Keys != nil || opts.JWKS != nil

	var key jose.JSONWebKey
	switch {
	case symmetricAlgs[alg]:
		k, ok := pickKey(explicit, d.Header.Kid, alg)
		if !ok {
			res.Reason = alg + " tokens are signed with the project's shared JWT secret, which is not published: the signature cannot be checked without it"
			return res, nil
		}
		key = k
	case asymmetricAlgs[alg]:
		if haveExplicit {
			k, ok := pickKey(explicit, d.Header.Kid, alg)
			if !ok {
				return nil, errInvalidJWT("no %s key with kid %q among the given keys", alg, d.Header.Kid)
			}
			key = k
		} else {
			cache := opts.Cache
			if cache == nil {
				cache = defaultJWKSCache
			}
			k, ok, err := c.serverKey(ctx, cache, d.Header.Kid, alg)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, errInvalidJWT("the server publishes no %s key with kid %q: the token was not issued by this project or its key was removed", alg, d.Header.Kid)
			}
			key = k
		}
	case alg == "" || strings.EqualFold(alg, "none"):
		return nil, errInvalidJWT("JWT is not signed (alg %q)", alg)
	default:
		return nil, errInvalidJWT("unsupported JWT algorithm %q", alg)
	}

	if err := verifySignature(jwt, alg, key); err != nil {
		return nil, err
	}
	res.Verified = true
	return res, nil
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
