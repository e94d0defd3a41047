package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// CodeChallengeMethodS256 is the method name the server expects (lower case,
// as the reference client sends it).
const CodeChallengeMethodS256 = "s256"

// codeVerifierBytes: 56 random bytes give a 112-character hex verifier
// (§13), inside RFC 7636's 43..128 characters.
const codeVerifierBytes = 56

// GenerateCodeVerifier returns a PKCE code verifier: 56 bytes from the
// operating system's CSPRNG, hex-encoded (112 characters). There is no weaker
// fallback: without secure randomness it fails.
func GenerateCodeVerifier() (string, error) {
	b := make([]byte, codeVerifierBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: generating a PKCE code verifier: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// CodeChallengeS256 returns BASE64URL(SHA-256(verifier)) without padding
// (RFC 7636 §4.2).
func CodeChallengeS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return Base64URLEncode(sum[:])
}
