package auth

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Base64URLEncode encodes data with the URL-safe alphabet and no padding
// (RFC 4648 §5), as JWTs and PKCE challenges need.
func Base64URLEncode(data []byte) string {
	return base64.RawURLEncoding.EncodeToString(data)
}

// Base64URLEncodeString encodes the UTF-8 bytes of s, so Cyrillic, CJK and
// emoji round-trip (§18.21).
func Base64URLEncodeString(s string) string {
	return Base64URLEncode([]byte(s))
}

// Base64URLDecode decodes base64url text leniently where that is safe and
// strictly where it is not: ASCII whitespace (space, tab, CR, LF) and '='
// padding are ignored wherever they appear, any other character outside
// [A-Za-z0-9_-] is an error naming its position (the input itself is never
// quoted: it may be a token).
func Base64URLDecode(s string) ([]byte, error) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'A' && ch <= 'Z', ch >= 'a' && ch <= 'z', ch >= '0' && ch <= '9', ch == '-', ch == '_':
			b.WriteByte(ch)
		case ch == ' ', ch == '\t', ch == '\r', ch == '\n', ch == '=':
		default:
			return nil, fmt.Errorf("auth: invalid base64url character at position %d", i)
		}
	}
	clean := b.String()
	if len(clean)%4 == 1 {
		return nil, fmt.Errorf("auth: invalid base64url length")
	}
	out, err := base64.RawURLEncoding.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("auth: invalid base64url input")
	}
	return out, nil
}

// Base64URLDecodeString decodes s and requires valid UTF-8.
func Base64URLDecodeString(s string) (string, error) {
	b, err := Base64URLDecode(s)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("auth: base64url input is not valid UTF-8")
	}
	return string(b), nil
}
