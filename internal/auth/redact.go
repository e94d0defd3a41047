package auth

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// redacted replaces every secret in logs and error messages.
const redacted = "[REDACTED]"

// sensitiveExact are field, header and parameter names whose values are
// secrets although the name does not say "token" or "password".
var sensitiveExact = map[string]bool{
	"code": true, "auth_code": true, "key": true, "apikey": true, "api_key": true,
	"authorization": true, "proxy_authorization": true, "cookie": true, "set_cookie": true,
	"signature": true, "qr_code": true, "id_token": true, "x_api_key": true,
}

// sensitiveParts: a name containing one of these is a secret, except the
// names in notSensitive.
var sensitiveParts = []string{"token", "password", "secret", "verifier", "nonce", "otp", "hash", "captcha", "credential", "apikey", "api_key", "private"}

var notSensitive = map[string]bool{"token_type": true, "weak_password": true, "factor_type": true}

// publicSuffixes end names that contain a sensitive word but name a URL or
// an enumeration: token_endpoint, id_token_signing_alg_values_supported,
// token_endpoint_auth_method, code_challenge_method, grant_types.
var publicSuffixes = []string{"_endpoint", "_supported", "_method", "_methods", "_type", "_types"}

// IsSensitiveName reports whether a JSON field, header or URL parameter called
// name carries a secret (tokens, keys, passwords, codes, nonces, verifiers,
// OTPs, hashes, captcha tokens). The test is case-insensitive and treats "-"
// as "_" so header names match too. Exported so other redacting writers
// (the CLI's --debug trace) use the same rule.
func IsSensitiveName(name string) bool {
	n := strings.ReplaceAll(strings.ToLower(name), "-", "_")
	if notSensitive[n] {
		return false
	}
	for _, suf := range publicSuffixes {
		if strings.HasSuffix(n, suf) {
			return false
		}
	}
	if sensitiveExact[n] {
		return true
	}
	for _, p := range sensitiveParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// RedactHeaders returns a copy of h with secret header values replaced. The
// scheme of Authorization is kept ("Bearer [REDACTED]") because which kind of
// credential was sent is useful when debugging; URLs in Location are redacted
// parameter by parameter.
func RedactHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		nv := make([]string, len(vs))
		for i, v := range vs {
			switch {
			case strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "Proxy-Authorization"):
				if scheme, _, ok := strings.Cut(v, " "); ok {
					nv[i] = scheme + " " + redacted
				} else {
					nv[i] = redacted
				}
			case IsSensitiveName(k):
				nv[i] = redacted
			case strings.EqualFold(k, "Location") || strings.EqualFold(k, "Link"):
				nv[i] = redactText(RedactURL(v))
			default:
				nv[i] = redactText(v)
			}
		}
		out[k] = nv
	}
	return out
}

// RedactJSON returns body with the values of sensitive fields replaced,
// wherever they are nested, and JWT-looking strings and secret URL parameters
// replaced in every other string. A body that is not JSON is treated as text
// (form bodies: sensitive key=value pairs are redacted).
func RedactJSON(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return body
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []byte(redactText(string(body)))
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return []byte(redacted)
	}
	return out
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if val != nil && IsSensitiveName(k) && !isErrorCode(k, val) {
				t[k] = redacted
				continue
			}
			t[k] = redactValue(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
		return t
	case string:
		return redactString(t)
	default:
		return v
	}
}

// errorCodeRE is the shape of the server's error codes (invalid_credentials,
// weak_password): lowercase words joined by underscores. An authorization
// code is a UUID or random text, never that.
var errorCodeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)+$`) })

// isErrorCode reports that a "code" field holds a server error code (or the
// legacy body's HTTP status number), which is public, rather than an
// authorization code.
func isErrorCode(name string, v any) bool {
	if !strings.EqualFold(name, "code") {
		return false
	}
	switch t := v.(type) {
	case json.Number:
		return true
	case string:
		return errorCodeRE().MatchString(t)
	}
	return false
}

func redactString(s string) string {
	if strings.Contains(s, "://") {
		return redactText(RedactURL(s))
	}
	return redactText(s)
}

// RedactURL returns raw with secret query and fragment parameters (token,
// code, access_token, secret of an otpauth URI, ...) and any userinfo
// password replaced. The path is kept.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redactText(raw)
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "REDACTED")
		}
	}
	if u.RawQuery != "" {
		u.RawQuery = redactQuery(u.RawQuery)
	}
	if u.Fragment != "" {
		if strings.Contains(u.Fragment, "=") {
			u.Fragment = redactQuery(u.Fragment)
			u.RawFragment = ""
		}
	}
	return u.String()
}

func redactQuery(q string) string {
	vals, err := url.ParseQuery(q)
	if err != nil {
		return redactText(q)
	}
	for k, vs := range vals {
		for i, v := range vs {
			if IsSensitiveName(k) {
				vs[i] = redacted
			} else {
				vs[i] = redactString(v)
			}
		}
	}
	return vals.Encode()
}

var (
	jwtPattern    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`) })
	bearerPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`) })
	pairPattern   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_-]*)=([^&\s"',;]+)`) })
)

// redactText removes JWTs, bearer credentials and sensitive key=value pairs
// from free text (form bodies, non-JSON answers, header values).
func redactText(s string) string {
	s = jwtPattern().ReplaceAllString(s, redacted)
	s = bearerPattern().ReplaceAllString(s, "$1 "+redacted)
	s = pairPattern().ReplaceAllStringFunc(s, func(m string) string {
		k, _, _ := strings.Cut(m, "=")
		if IsSensitiveName(k) {
			return k + "=" + redacted
		}
		return m
	})
	return s
}

// collectSecrets returns the values of sensitive fields in a JSON-able value
// or form, so error messages can be scrubbed of them.
func collectSecrets(body any, form url.Values) []string {
	var out []string
	for k, vs := range form {
		if IsSensitiveName(k) {
			out = append(out, vs...)
		}
	}
	if body == nil {
		return out
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return out
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return out
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, val := range t {
				walk(k, val)
			}
		case []any:
			for _, val := range t {
				walk(key, val)
			}
		case string:
			if IsSensitiveName(key) {
				out = append(out, t)
			}
		}
	}
	walk("", v)
	return out
}
