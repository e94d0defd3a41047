package auth

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The fuzz targets cover every parser that reads what a server, a browser or
// a user hands authctl. Seeds live in testdata/fuzz/FuzzXxx (checked in);
// scripts/fuzz.sh runs each target briefly in CI, and any crasher Go writes
// there becomes a regression seed that `go test` replays from then on.

// fuzzSecret stands for a key or token the request carried: it must never
// come back in an error, whatever the server echoes.
const fuzzSecret = "sk-fuzz-SECRET-4f1c9a7e"

func FuzzDecodeJWT(f *testing.F) {
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2ln")
	f.Add("a.b.c")
	f.Add("..")
	f.Add("e30.e30.")
	f.Fuzz(func(t *testing.T, token string) {
		d, err := DecodeJWT(token)
		if err != nil {
			var ij *InvalidJwtError
			if !errors.As(err, &ij) {
				t.Fatalf("error %T, want *InvalidJwtError", err)
			}
			if len(token) >= 8 && strings.Contains(err.Error(), token) {
				t.Fatalf("error quotes the token: %q", err)
			}
			return
		}
		if !strings.HasPrefix(token, d.SigningInput+".") {
			t.Fatalf("signing input %q is not the token's first two parts", d.SigningInput)
		}
	})
}

func FuzzBase64URL(f *testing.F) {
	f.Add([]byte("hello"), "aGVsbG8")
	f.Add([]byte{0xff, 0xfe, 0x00}, "__4A")
	f.Add([]byte("Привет 👋"), "0J_RgNC40LLQtdGCIPCfkYs=")
	f.Add([]byte{}, "a")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		// Round trip: encode then decode is the identity.
		got, err := Base64URLDecode(Base64URLEncode(data))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("round trip of %x: %x, %v", data, got, err)
		}
		// Arbitrary text: never panics; what decodes re-encodes to text that
		// decodes to the same bytes.
		b, err := Base64URLDecode(text)
		if err != nil {
			if len(text) >= 8 && strings.Contains(err.Error(), text) {
				t.Fatalf("error quotes the input: %q", err)
			}
			return
		}
		again, err := Base64URLDecode(Base64URLEncode(b))
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-decode of %q: %x vs %x, %v", text, again, b, err)
		}
		if s, err := Base64URLDecodeString(text); err == nil && s != string(b) {
			t.Fatalf("DecodeString %q vs Decode %q", s, b)
		}
	})
}

// checkClassified is what every non-2xx answer must become: an auth error of
// a kind the CLI maps to an exit code, with no secret in any field it prints.
// Even a prefix of the secret is a leak, unless the server sent that prefix
// on its own (outside a whole secret).
func checkClassified(t *testing.T, status int, body []byte, err error) {
	t.Helper()
	var ae Error
	if !errors.As(err, &ae) {
		t.Fatalf("status %d: error %T %v is not an auth error", status, err, err)
	}
	b := ae.Base()
	if b.Name == "" {
		t.Fatalf("status %d: error without a name: %+v", status, b)
	}
	prefix := fuzzSecret[:12]
	if strings.Contains(strings.ReplaceAll(string(body), fuzzSecret, ""), prefix) {
		prefix = fuzzSecret
	}
	for _, s := range []string{err.Error(), b.Message, b.Code} {
		if strings.Contains(s, prefix) {
			t.Fatalf("status %d: secret leaked: %q", status, s)
		}
	}
	switch {
	case status == 502 || status == 503 || status == 504:
		if !IsAuthRetryableFetchError(err) {
			t.Fatalf("status %d: %T, want *RetryableFetchError", status, err)
		}
	case status >= 500:
		// Regression: a 5xx with a session-missing code was a
		// *SessionMissingError, and a refresh answered so removed the session.
		if !IsAuthAPIError(err) {
			t.Fatalf("status %d: %T, want *APIError", status, err)
		}
	}
}

// fuzzStatus maps any int onto a non-2xx HTTP status.
func fuzzStatus(n int) int {
	if n < 0 {
		n = -n
	}
	s := 300 + n%300
	if s < 0 { // -minInt
		s = 500
	}
	return s
}

func FuzzClassifyResponse(f *testing.F) {
	f.Add(400, "application/json", []byte(`{"code":"invalid_credentials","message":"Invalid login credentials"}`))
	f.Add(400, "application/json", []byte(`{"code":400,"error_code":"weak_password","msg":"weak","weak_password":{"reasons":["length"]}}`))
	f.Add(401, "application/json", []byte(`{"error":"invalid_grant","error_description":"bad `+fuzzSecret+`"}`))
	f.Add(403, "application/json", []byte(`{"code":"session_not_found","message":"Session not found"}`))
	f.Add(502, "text/html", []byte("<html>Bad Gateway</html>"))
	f.Add(503, "application/json", []byte(`{"message":"`+fuzzSecret+`"}`))
	f.Add(500, "text/plain", []byte("panic: "+fuzzSecret))
	f.Add(404, "text/plain", []byte(strings.Repeat("x", 110)+fuzzSecret))
	f.Add(429, "application/json", []byte(`{"code":"`+fuzzSecret+`"}`))
	f.Add(400, "", []byte{})
	f.Fuzz(func(t *testing.T, n int, ct string, body []byte) {
		status := fuzzStatus(n)
		h := http.Header{}
		h.Set("Content-Type", ct)
		h.Set("X-Sb-Error-Code", fuzzSecret)
		checkClassified(t, status, body, classifyResponse(status, h, body, []string{fuzzSecret}))
	})
}

// FuzzDoErrorBody goes through Do itself, with a real HTTP exchange on
// 127.0.0.1, so header handling and the body cap are covered too.
func FuzzDoErrorBody(f *testing.F) {
	f.Add(400, "application/json", []byte(`{"code":"validation_failed","message":"bad"}`))
	f.Add(504, "text/html", []byte("<h1>timeout</h1>"))
	f.Add(500, "application/json", []byte(`{"msg":"echo `+fuzzSecret+`"}`))
	f.Add(418, "", []byte(strings.Repeat("é", 70)+fuzzSecret))
	type answer struct {
		status int
		ct     string
		body   []byte
	}
	next := make(chan answer, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := <-next
		w.Header().Set("Content-Type", a.ct)
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	f.Cleanup(srv.Close)
	opts := DefaultOptions()
	opts.URL, opts.APIKey, opts.HTTPClient = srv.URL, "anon-key-public", srv.Client()
	c, err := NewClient(opts)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, n int, ct string, body []byte) {
		status := fuzzStatus(n)
		if status < 200 || status > 599 || status/100 == 3 {
			// A 3xx is followed by the HTTP client; keep to error answers.
			status = 400 + status%200
		}
		// Header values with control characters cannot be sent at all.
		ct = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f || r > 0x7e {
				return -1
			}
			return r
		}, ct)
		next <- answer{status, ct, body}
		_, err := c.Do(context.Background(), Request{Method: "POST", Path: "/token", Token: fuzzSecret,
			Body: map[string]string{"password": fuzzSecret}}, nil)
		checkClassified(t, status, body, err)
	})
}

// Regression: the non-JSON snippet was cut at 120 bytes before the secrets
// were scrubbed, so a secret straddling the cut survived as a prefix; and a
// code echoed by the server was never scrubbed.
func TestClassifyScrubsSecretAcrossSnippetCut(t *testing.T) {
	for pad := 100; pad <= 120; pad++ {
		body := []byte(strings.Repeat("x", pad) + fuzzSecret)
		err := classifyResponse(404, http.Header{}, body, []string{fuzzSecret})
		if strings.Contains(err.Error(), fuzzSecret[:8]) {
			t.Fatalf("pad %d: secret prefix in %q", pad, err)
		}
	}
	h := http.Header{}
	h.Set("X-Sb-Error-Code", fuzzSecret)
	err := classifyResponse(400, h, []byte(`{"message":"m"}`), []string{fuzzSecret})
	if c := ErrorCode(err); strings.Contains(c, fuzzSecret) {
		t.Fatalf("code %q carries the secret", c)
	}
}
