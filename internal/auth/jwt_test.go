package auth

import (
	"errors"
	"testing"
)

func TestJW01_DecodeJWTRejectsNonJWT(t *testing.T) {
	for _, s := range []string{"", "abc", "a.b", "a.b.c.d", ".payload.sig", "header..sig"} {
		_, err := DecodeJWT(s)
		var ij *InvalidJwtError
		if !errors.As(err, &ij) {
			t.Fatalf("DecodeJWT(%q) = %v, want *InvalidJwtError", s, err)
		}
	}
}

func TestJW02_DecodeJWTRejectsInvalidBase64URL(t *testing.T) {
	good := Base64URLEncodeString(`{"alg":"HS256"}`)
	payload := Base64URLEncodeString(`{"sub":"x"}`)
	for _, s := range []string{
		"ey!J." + payload + ".sig",
		good + ".pay+load/." + "sig",
		good + "." + payload + ".si%g",
		good + "." + Base64URLEncodeString("not json") + ".sig",
		good + "." + payload + "=.sig",
	} {
		if _, err := DecodeJWT(s); err == nil {
			t.Fatalf("DecodeJWT(%q) accepted", s)
		}
	}
}

func TestJW03_DecodeJWTDecodesValidJWT(t *testing.T) {
	tok := makeJWT(t, map[string]any{
		"sub": "5be8200f", "aud": "authenticated", "exp": 1795389772, "iat": 1795386172, "role": "authenticated",
		"aal": "aal1", "session_id": "d3d6cf21", "is_anonymous": false, "email": "a@example.com",
		"amr": []map[string]any{{"method": "password", "timestamp": 1795386172}},
	})
	d, err := DecodeJWT(tok)
	if err != nil {
		t.Fatal(err)
	}
	if d.Header.Alg != "HS256" || d.Header.Typ != "JWT" {
		t.Fatalf("header = %+v", d.Header)
	}
	c := d.Claims
	if c.Sub != "5be8200f" || c.Exp != 1795389772 || c.Iat != 1795386172 || c.AAL != AAL1 || c.SessionID != "d3d6cf21" ||
		len(c.Aud) != 1 || c.Aud[0] != "authenticated" || len(c.AMR) != 1 || c.AMR[0].Method != "password" || c.Email != "a@example.com" {
		t.Fatalf("claims = %+v", c)
	}
	if c.Raw["role"] != "authenticated" {
		t.Fatalf("raw claims = %v", c.Raw)
	}
	if len(d.Signature) != 32 {
		t.Fatalf("signature has %d bytes, want 32 (HMAC-SHA256)", len(d.Signature))
	}
	// aud as a list, amr as RFC 8176 strings.
	d, err = DecodeJWT(makeJWT(t, map[string]any{"aud": []string{"a", "b"}, "amr": []string{"pwd"}}))
	if err != nil || len(d.Claims.Aud) != 2 || d.Claims.AMR[0].Method != "pwd" {
		t.Fatalf("list aud / string amr: %+v, %v", d, err)
	}
}
