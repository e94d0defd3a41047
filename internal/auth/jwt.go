package auth

import (
	"bytes"
	"encoding/json"
	"strings"
)

// JWTHeader is the decoded JOSE header.
type JWTHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ,omitempty"`
	Kid string `json:"kid,omitempty"`
}

// Audience is the aud claim, a string or a list of strings.
type Audience []string

// UnmarshalJSON accepts both forms of aud.
func (a *Audience) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = Audience{s}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	*a = l
	return nil
}

// Claims are the payload claims of a Supabase access token. Raw holds every
// claim, including ones not listed here.
type Claims struct {
	Iss          string         `json:"iss,omitempty"`
	Sub          string         `json:"sub,omitempty"`
	Aud          Audience       `json:"aud,omitempty"`
	Exp          int64          `json:"exp,omitempty"`
	Iat          int64          `json:"iat,omitempty"`
	Role         string         `json:"role,omitempty"`
	AAL          AAL            `json:"aal,omitempty"`
	AMR          []AMREntry     `json:"amr,omitempty"`
	SessionID    string         `json:"session_id,omitempty"`
	Email        string         `json:"email,omitempty"`
	Phone        string         `json:"phone,omitempty"`
	IsAnonymous  bool           `json:"is_anonymous,omitempty"`
	AppMetadata  map[string]any `json:"app_metadata,omitempty"`
	UserMetadata map[string]any `json:"user_metadata,omitempty"`
	Raw          map[string]any `json:"-"`
}

// DecodedJWT is a JWT split and decoded, not verified.
type DecodedJWT struct {
	Header    JWTHeader
	Claims    Claims
	Signature []byte
	// SigningInput is "header.payload" as it appeared, what a verifier signs.
	SigningInput string
}

// DecodeJWT splits a compact JWT and decodes its header, payload and
// signature without verifying anything (§18.20). It fails with
// *InvalidJwtError for anything that is not three base64url parts of which
// the first two are JSON objects. Error messages never quote the token.
func DecodeJWT(token string) (*DecodedJWT, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return nil, errInvalidJWT("Invalid JWT structure")
	}
	for _, p := range parts {
		if strings.ContainsAny(p, " \t\r\n=") {
			return nil, errInvalidJWT("JWT is not valid base64url")
		}
	}
	hb, err := Base64URLDecode(parts[0])
	if err != nil {
		return nil, errInvalidJWT("JWT header is not valid base64url")
	}
	pb, err := Base64URLDecode(parts[1])
	if err != nil {
		return nil, errInvalidJWT("JWT payload is not valid base64url")
	}
	sig, err := Base64URLDecode(parts[2])
	if err != nil {
		return nil, errInvalidJWT("JWT signature is not valid base64url")
	}
	d := &DecodedJWT{Signature: sig, SigningInput: parts[0] + "." + parts[1]}
	if !isJSONObject(hb) || json.Unmarshal(hb, &d.Header) != nil {
		return nil, errInvalidJWT("JWT header is not a JSON object")
	}
	if !isJSONObject(pb) || json.Unmarshal(pb, &d.Claims) != nil || json.Unmarshal(pb, &d.Claims.Raw) != nil {
		return nil, errInvalidJWT("JWT payload is not a JSON object of claims")
	}
	return d, nil
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}
