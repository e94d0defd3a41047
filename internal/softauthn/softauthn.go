// Package softauthn is a software WebAuthn authenticator and client for
// tests: it answers the options a relying party gives to
// navigator.credentials.create and .get with the JSON a browser would send
// back, so passkey ceremonies can be completed without a browser or a
// security key.
//
// Credentials are discoverable ECDSA P-256 keys (COSE ES256) with "none"
// attestation and a zero AAGUID; the user is always present and verified.
// It knows nothing of Supabase Auth: it only speaks WebAuthn Level 3's JSON
// forms (base64url members, as PublicKeyCredential.toJSON gives them).
package softauthn

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/fxamacker/cbor/v2"
)

// Authenticator flags of the authenticator data (WebAuthn §6.1).
const (
	flagUserPresent  = 0x01
	flagUserVerified = 0x04
	flagAttested     = 0x40
)

// COSE key parameters of an EC2 P-256 key for ES256 (RFC 9053).
const (
	coseKty, coseAlg, coseCrv, coseX, coseY = 1, 3, -1, -2, -3
	coseEC2, coseES256, coseP256            = 2, -7, 1
)

var b64 = base64.RawURLEncoding

// Authenticator holds the credentials it created. It acts as the client too:
// clientDataJSON names Origin, the page the ceremony runs on.
type Authenticator struct {
	Origin string

	mu    sync.Mutex
	creds []*credential
}

type credential struct {
	id         []byte
	key        *ecdsa.PrivateKey
	rpID       string
	userHandle []byte
	signCount  uint32
}

// New is an authenticator without credentials whose client runs on origin.
func New(origin string) *Authenticator { return &Authenticator{Origin: origin} }

// descriptor is a PublicKeyCredentialDescriptor.
type descriptor struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// creationOptions is the part of PublicKeyCredentialCreationOptionsJSON an
// authenticator reads.
type creationOptions struct {
	RP struct {
		ID string `json:"id"`
	} `json:"rp"`
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	Challenge          string       `json:"challenge"`
	PubKeyCredParams   []credParam  `json:"pubKeyCredParams"`
	ExcludeCredentials []descriptor `json:"excludeCredentials"`
}

// credParam is a PublicKeyCredentialParameters: an algorithm the relying
// party accepts.
type credParam struct {
	Alg int `json:"alg"`
}

// Create makes a credential for the creation options (the JSON of
// PublicKeyCredentialCreationOptions) and answers as
// navigator.credentials.create would, in RegistrationResponseJSON form.
func (a *Authenticator) Create(options []byte) ([]byte, error) {
	var o creationOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("softauthn: creation options: %w", err)
	}
	if o.RP.ID == "" || o.Challenge == "" || o.User.ID == "" {
		return nil, errors.New("softauthn: creation options without rp.id, user.id or challenge")
	}
	if !slices.Contains(o.PubKeyCredParams, credParam{Alg: coseES256}) {
		return nil, errors.New("softauthn: the relying party does not accept ES256")
	}
	userHandle, err := b64.DecodeString(o.User.ID)
	if err != nil {
		return nil, fmt.Errorf("softauthn: user.id: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, ex := range o.ExcludeCredentials {
		if a.find(o.RP.ID, ex.ID) != nil {
			return nil, errors.New("softauthn: InvalidStateError: a credential of excludeCredentials is on this authenticator")
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	c := &credential{id: make([]byte, 32), key: key, rpID: o.RP.ID, userHandle: userHandle}
	if _, err := rand.Read(c.id); err != nil {
		return nil, err
	}
	point, err := key.PublicKey.Bytes() // uncompressed: 0x04 || X || Y
	if err != nil {
		return nil, err
	}
	coseKey, err := cbor.Marshal(map[int]any{
		coseKty: coseEC2, coseAlg: coseES256, coseCrv: coseP256, coseX: point[1:33], coseY: point[33:],
	})
	if err != nil {
		return nil, err
	}
	authData := c.authData(flagUserPresent | flagUserVerified | flagAttested)
	authData = append(authData, make([]byte, 16)...) // AAGUID: zero, as "none" attestation allows
	authData = binary.BigEndian.AppendUint16(authData, uint16(len(c.id)))
	authData = append(authData, c.id...)
	authData = append(authData, coseKey...)
	attestation, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData})
	if err != nil {
		return nil, err
	}
	a.creds = append(a.creds, c)
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(c.id), "rawId": b64.EncodeToString(c.id), "type": "public-key",
		"authenticatorAttachment": "platform",
		"response": map[string]any{
			"clientDataJSON":    a.clientData("webauthn.create", o.Challenge),
			"attestationObject": b64.EncodeToString(attestation),
			"transports":        []string{"internal"},
		},
		"clientExtensionResults": map[string]any{},
	})
}

// requestOptions is the part of PublicKeyCredentialRequestOptionsJSON an
// authenticator reads.
type requestOptions struct {
	Challenge        string       `json:"challenge"`
	RPID             string       `json:"rpId"`
	AllowCredentials []descriptor `json:"allowCredentials"`
}

// Get signs the request options (the JSON of
// PublicKeyCredentialRequestOptions) with the newest matching credential —
// one of allowCredentials, or any of the relying party's when the list is
// empty (a discoverable sign-in) — and answers as navigator.credentials.get
// would, in AuthenticationResponseJSON form.
func (a *Authenticator) Get(options []byte) ([]byte, error) {
	var o requestOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("softauthn: request options: %w", err)
	}
	if o.RPID == "" || o.Challenge == "" {
		return nil, errors.New("softauthn: request options without rpId or challenge")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var c *credential
	for i := len(a.creds) - 1; i >= 0 && c == nil; i-- {
		cand := a.creds[i]
		if cand.rpID == o.RPID && (len(o.AllowCredentials) == 0 || slices.ContainsFunc(o.AllowCredentials, func(d descriptor) bool {
			return d.ID == b64.EncodeToString(cand.id)
		})) {
			c = cand
		}
	}
	if c == nil {
		return nil, fmt.Errorf("softauthn: NotAllowedError: no credential for %s", o.RPID)
	}
	c.signCount++
	authData := c.authData(flagUserPresent | flagUserVerified)
	clientData := a.clientData("webauthn.get", o.Challenge)
	raw, _ := b64.DecodeString(clientData)
	digest := sha256.Sum256(raw)
	signed := sha256.Sum256(append(slices.Clone(authData), digest[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, c.key, signed[:])
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(c.id), "rawId": b64.EncodeToString(c.id), "type": "public-key",
		"authenticatorAttachment": "platform",
		"response": map[string]any{
			"clientDataJSON":    clientData,
			"authenticatorData": b64.EncodeToString(authData),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        b64.EncodeToString(c.userHandle),
		},
		"clientExtensionResults": map[string]any{},
	})
}

func (a *Authenticator) find(rpID, id string) *credential {
	for _, c := range a.creds {
		if c.rpID == rpID && b64.EncodeToString(c.id) == id {
			return c
		}
	}
	return nil
}

// authData is the authenticator data's fixed part: the RP ID's hash, flags
// and the signature counter.
func (c *credential) authData(flags byte) []byte {
	h := sha256.Sum256([]byte(c.rpID))
	return binary.BigEndian.AppendUint32(append(h[:], flags), c.signCount)
}

// clientData is the base64url clientDataJSON of a ceremony of type typ;
// challenge is kept as the relying party encoded it.
func (a *Authenticator) clientData(typ, challenge string) string {
	raw, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b64.EncodeToString(raw)
}
