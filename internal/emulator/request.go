package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// decode reads a JSON (or form-encoded) body into v, with the server's
// bad_json error for bodies that are not JSON.
func decode(r *http.Request, v any) error { return decodeBody(r, v, false) }

// decodeOptional is decode for endpoints whose body may be empty.
func decodeOptional(r *http.Request, v any) error { return decodeBody(r, v, true) }

func decodeBody(r *http.Request, v any, optional bool) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return badRequest("bad_json", "Could not read request body: %v", err)
	}
	if optional && len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" {
		vals, err := url.ParseQuery(string(b))
		if err != nil {
			return badRequest("bad_json", "Could not parse request body: %v", err)
		}
		m := map[string]string{}
		for k := range vals {
			m[k] = vals.Get(k)
		}
		b, _ = json.Marshal(m)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return badRequest("bad_json", "Could not parse request body as JSON: %v", err)
	}
	return nil
}

var (
	emailPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[a-zA-Z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$`)
	})
	phonePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[1-9]\d{6,14}$`) })
)

// validateEmail lower-cases an email address or fails like the server: the
// address as given (spaces around it make it invalid), at most 255 bytes,
// in the HTML form of an email address (no quoted local parts, no
// non-ASCII, a dotless domain such as localhost allowed).
func validateEmail(email string) (string, error) {
	switch {
	case email == "":
		return "", validation("An email address is required")
	case len(email) > 255:
		return "", validation("An email address is too long")
	case !emailPattern().MatchString(email):
		return "", validation("Unable to validate email address: invalid format")
	}
	return strings.ToLower(email), nil
}

// validatePhone strips formatting and checks E.164.
func validatePhone(phone string) (string, error) {
	p := strings.TrimPrefix(strings.TrimSpace(phone), "+")
	p = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(p)
	if !phonePattern().MatchString(p) {
		return "", validation("Invalid phone number format (E.164 required)")
	}
	return p, nil
}

// checkPasswordStrength applies the project's password rules as the server
// does: the length in bytes, then each required character set, every
// failed rule a reason of one weak_password error.
func (s *Server) checkPasswordStrength(pw string) error {
	var msgs, reasons []string
	if len(pw) < s.cfg.PasswordMinLength {
		reasons = append(reasons, "length")
		msgs = append(msgs, fmt.Sprintf("Password should be at least %d characters.", s.cfg.PasswordMinLength))
	}
	for _, set := range s.cfg.PasswordRequiredCharacters {
		if set != "" && !strings.ContainsAny(pw, set) {
			reasons = append(reasons, "characters")
			msgs = append(msgs, fmt.Sprintf("Password should contain at least one character of each: %s.",
				strings.Join(s.cfg.PasswordRequiredCharacters, ", ")))
			break
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	e := unprocessable("weak_password", "%s", strings.Join(msgs, " "))
	e.Weak = reasons
	return e
}
