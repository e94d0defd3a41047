package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// keys holds what signs and verifies tokens.
type keys struct {
	hs     []byte
	ec     *ecdsa.PrivateKey // nil unless asymmetric
	kid    string
	signer jose.Signer // user tokens
	hsSig  jose.Signer // API keys (always HS256, like supabase start)
}

// newKeys sets up signing. With asymmetric, saved (a private JWK from an
// earlier run, possibly nil) is reused so that tokens survive a restart;
// otherwise a new ES256 key is generated.
func newKeys(secret string, asymmetric bool, saved *jose.JSONWebKey) (*keys, error) {
	k := &keys{hs: []byte(secret)}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	var err error
	if k.hsSig, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: k.hs}, opts); err != nil {
		return nil, err
	}
	k.signer = k.hsSig
	if !asymmetric {
		return k, nil
	}
	if ec, ok := savedKey(saved); ok {
		k.ec, k.kid = ec, saved.KeyID
	} else {
		if k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return nil, err
		}
		k.kid = randomToken(16)
	}
	jwk := jose.JSONWebKey{Key: k.ec, KeyID: k.kid, Algorithm: string(jose.ES256), Use: "sig"}
	opts = (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", k.kid)
	if k.signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jwk}, opts); err != nil {
		return nil, err
	}
	return k, nil
}

func savedKey(saved *jose.JSONWebKey) (*ecdsa.PrivateKey, bool) {
	if saved == nil || saved.KeyID == "" {
		return nil, false
	}
	ec, ok := saved.Key.(*ecdsa.PrivateKey)
	return ec, ok && ec.Curve == elliptic.P256()
}

// privateJWK is the signing key to persist (nil with HS256 only).
func (k *keys) privateJWK() *jose.JSONWebKey {
	if k.ec == nil {
		return nil
	}
	return &jose.JSONWebKey{Key: k.ec, KeyID: k.kid, Algorithm: string(jose.ES256), Use: "sig"}
}

// sign serializes claims (an obj keeps their order) into a compact JWS.
func sign(s jose.Signer, claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := s.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// jwks returns the public keys: none with a shared secret only.
func (k *keys) jwks() jose.JSONWebKeySet {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	if k.ec != nil {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.ec.PublicKey, KeyID: k.kid, Algorithm: string(jose.ES256), Use: "sig"})
	}
	return set
}

// tokenClaims are the claims the emulator reads back from a bearer token.
type tokenClaims struct {
	Sub         string         `json:"sub"`
	Aud         any            `json:"aud"`
	Exp         int64          `json:"exp"`
	Iat         int64          `json:"iat"`
	Role        string         `json:"role"`
	SessionID   string         `json:"session_id"`
	AAL         string         `json:"aal"`
	IsAnonymous bool           `json:"is_anonymous"`
	AMR         []amrEntry     `json:"amr"`
	Extra       map[string]any `json:"-"`
}

const jwtPrefix = "invalid JWT: unable to parse or verify signature, "

// parse verifies a token and its expiry, with the server's messages.
func (k *keys) parse(token string, now time.Time) (*tokenClaims, error) {
	if strings.Count(token, ".") != 2 {
		return nil, errors.New(jwtPrefix + "token is malformed: token contains an invalid number of segments")
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.HS256, jose.ES256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, errors.New(jwtPrefix + "token is malformed: could not parse token")
	}
	var payload []byte
	if jws.Signatures[0].Header.Algorithm == string(jose.ES256) && k.ec != nil {
		payload, err = jws.Verify(&k.ec.PublicKey)
	} else {
		payload, err = jws.Verify(k.hs)
	}
	if err != nil {
		return nil, errors.New(jwtPrefix + "token signature is invalid: signature is invalid")
	}
	var c tokenClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, fmt.Errorf(jwtPrefix+"token is malformed: %v", err)
	}
	_ = json.Unmarshal(payload, &c.Extra)
	if c.Exp != 0 && now.Unix() >= c.Exp {
		return nil, errors.New(jwtPrefix + "token has invalid claims: token is expired")
	}
	return &c, nil
}
