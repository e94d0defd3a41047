package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

var b64Cases = []struct{ in, out string }{
	{"", ""},
	{"f", "Zg"},
	{"fo", "Zm8"},
	{"foo", "Zm9v"},
	{"Hello, World!", "SGVsbG8sIFdvcmxkIQ"},
	{"\xfb\xff", "-_8"}, // the URL-safe characters
	{"Привет", "0J_RgNC40LLQtdGC"},
	{"日本語", "5pel5pys6Kqe"},
	{"👋🌍", "8J-Ri_CfjI0"},
}

func TestB601_EncodesASCII(t *testing.T) {
	for _, c := range b64Cases[:6] {
		if got := Base64URLEncodeString(c.in); got != c.out {
			t.Errorf("encode %q = %q, want %q", c.in, got, c.out)
		}
	}
}

func TestB602_EncodesUnicode(t *testing.T) {
	for _, c := range b64Cases[6:] {
		if got := Base64URLEncodeString(c.in); got != c.out {
			t.Errorf("encode %q = %q, want %q", c.in, got, c.out)
		}
	}
}

func TestB603_DecodesToStrings(t *testing.T) {
	for _, c := range b64Cases {
		if c.in == "\xfb\xff" {
			b, err := Base64URLDecode(c.out)
			if err != nil || string(b) != c.in {
				t.Errorf("decode %q = %x, %v", c.out, b, err)
			}
			continue
		}
		got, err := Base64URLDecodeString(c.out)
		if err != nil || got != c.in {
			t.Errorf("decode %q = %q, %v; want %q", c.out, got, err, c.in)
		}
	}
	// Padding is tolerated.
	if got, err := Base64URLDecodeString("Zm8="); err != nil || got != "fo" {
		t.Errorf("padded: %q, %v", got, err)
	}
	if _, err := Base64URLDecodeString(Base64URLEncode([]byte{0xff, 0xfe})); err == nil {
		t.Error("invalid UTF-8 accepted as a string")
	}
}

func TestB604_HandlesWhitespace(t *testing.T) {
	for _, in := range []string{" 0J_R gNC4\n0LLQ\ttdGC\r\n", "0J_RgNC40LLQtdGC "} {
		got, err := Base64URLDecodeString(in)
		if err != nil || got != "Привет" {
			t.Errorf("decode %q = %q, %v", in, got, err)
		}
	}
}

func TestB605_RejectsInvalidCharacters(t *testing.T) {
	for _, in := range []string{"Zm9v+", "Zm9v/", "Zm!v", "Zm9v.", "Zm9vä", "Z"} {
		if b, err := Base64URLDecode(in); err == nil {
			t.Errorf("decode %q accepted: %q", in, b)
		}
	}
	_, err := Base64URLDecode("secret-token!")
	if err == nil || strings.Contains(err.Error(), "secret-token") {
		t.Fatalf("error must name the position, not quote the input: %v", err)
	}
	mustContain(t, err.Error(), "position 12")
}

func TestPKCEVerifierAndChallenge(t *testing.T) {
	v, err := GenerateCodeVerifier()
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 112 {
		t.Fatalf("verifier length %d, want 112", len(v))
	}
	if _, err := hex.DecodeString(v); err != nil {
		t.Fatalf("verifier is not hex: %v", err)
	}
	if v2, _ := GenerateCodeVerifier(); v2 == v {
		t.Fatal("two verifiers are equal")
	}
	// RFC 7636 appendix B.
	if got := CodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("challenge = %q", got)
	}
	sum := sha256.Sum256([]byte(v))
	if got := CodeChallengeS256(v); got != Base64URLEncode(sum[:]) || strings.ContainsAny(got, "=+/") || len(got) != 43 {
		t.Fatalf("challenge %q is not unpadded base64url of SHA-256", got)
	}
}
