package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"regexp"
)

// legacyRefreshToken is the shape of the refresh tokens the server issues
// by default (and the emulator always): 12 lowercase alphanumerics.
var legacyRefreshToken = regexp.MustCompile(`^[a-z0-9]{12}$`)

// Layout of the server's newer signed refresh tokens (base64url): version
// byte 0, a 16-byte session id, a uvarint counter, a 16-byte signature and
// a 4-byte checksum (the start of the SHA-256 of everything before it).
const (
	refreshSignatureLen = 16
	refreshChecksumLen  = 4
	minSignedRefreshLen = 1 + 16 + 1 + refreshSignatureLen + refreshChecksumLen
)

// wellFormedRefreshToken reports whether tok has the shape of a refresh
// token, the check the server makes before looking the token up: a
// malformed token is a validation failure, not an unknown session.
func wellFormedRefreshToken(tok string) bool {
	switch {
	case len(tok) < 12:
		return false
	case len(tok) == 12:
		return legacyRefreshToken.MatchString(tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < minSignedRefreshLen || b[0] != 0 {
		return false
	}
	body, sum := b[:len(b)-refreshChecksumLen], b[len(b)-refreshChecksumLen:]
	want := sha256.Sum256(body)
	if !bytes.Equal(want[:refreshChecksumLen], sum) {
		return false
	}
	rest := body[1+16:]
	_, n := binary.Uvarint(rest)
	return n > 0 && len(rest[n:]) == refreshSignatureLen
}
