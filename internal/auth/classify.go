package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// sessionMissingCodes are the server codes that mean the session is gone for
// good. refresh_token_not_found and refresh_token_already_used are in the set
// because the real server revokes a whole token family on reuse: the stored
// session can never be refreshed again, so the caller is signed out (DESIGN.md,
// "Refresh-token rotation").
var sessionMissingCodes = map[string]bool{
	CodeSessionNotFound:         true,
	CodeRefreshTokenNotFound:    true,
	CodeRefreshTokenAlreadyUsed: true,
}

// errorBody is the union of the three error shapes of the real server:
//
//	2024-01-01:  {"code":"invalid_credentials","message":"…"}
//	legacy:      {"code":400,"error_code":"invalid_credentials","msg":"…","error_id":"…"}
//	OAuth-style: {"error":"invalid_request","error_description":"…"}
//
// plus "weak_password":{"reasons":[…]} on weak password refusals.
type errorBody struct {
	Code             json.RawMessage `json:"code"`
	ErrorCode        string          `json:"error_code"`
	Msg              string          `json:"msg"`
	Message          string          `json:"message"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	WeakPassword     *WeakPassword   `json:"weak_password"`
	// Hint is what a project gateway adds to its own refusals
	// ({"message":"Invalid API key","hint":"Double check your Supabase …"}).
	Hint string `json:"hint"`
}

// classifyResponse turns a non-2xx answer into the error kind of the spec's
// table (§5). secrets are scrubbed from the message in case the server echoes
// something we sent.
func classifyResponse(status int, header http.Header, body []byte, secrets []string) error {
	err := classifyAnswer(status, header, body, secrets)
	// The code is printed too (--json, debug): a server that echoes a secret
	// into it must not get it printed.
	var e Error
	if errors.As(err, &e) {
		e.Base().Code = scrubCode(e.Base().Code, secrets)
	}
	return err
}

func classifyAnswer(status int, header http.Header, body []byte, secrets []string) error {
	base := AuthError{Status: status}

	if status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout {
		base.Name = NameRetryableFetchError
		base.Message = scrub(messageOr(body, httpStatusMessage(status)), secrets)
		base.Code = codeOf(header, body)
		return &RetryableFetchError{AuthError: base}
	}

	var eb errorBody
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &eb) != nil {
		base.Message = scrub(fmt.Sprintf("unexpected non-JSON answer (%s)%s", httpStatusMessage(status), snippet([]byte(scrub(string(body), secrets)))), secrets)
		base.Code = header.Get("X-Sb-Error-Code")
		if status >= 500 {
			// The spec's table: a 5xx other than 502/503/504 is an API error
			// whatever its body (a crashed server is still the server's answer).
			base.Name = NameAPIError
			return &APIError{base}
		}
		base.Name = NameUnknownError
		return &UnknownError{AuthError: base}
	}

	base.Code = eb.code(header)
	base.Message = scrub(eb.message(status), secrets)

	if status >= 500 {
		// §5: any other 5xx is an API error whatever its code. A broken
		// server's 500 saying session_not_found must not sign the user out
		// (the refresh path removes the session on SessionMissingError).
		base.Name = NameAPIError
		return &APIError{base}
	}

	if base.Code == CodeWeakPassword || (eb.WeakPassword != nil && len(eb.WeakPassword.Reasons) > 0) {
		base.Name = NameWeakPasswordError
		if base.Code == "" {
			base.Code = CodeWeakPassword
		}
		var reasons []string
		if eb.WeakPassword != nil {
			reasons = append(reasons, eb.WeakPassword.Reasons...)
		}
		return &WeakPasswordError{APIError: APIError{base}, Reasons: reasons}
	}
	if sessionMissingCodes[base.Code] {
		base.Name = NameSessionMissingError
		return &SessionMissingError{base}
	}
	base.Name = NameAPIError
	return &APIError{base}
}

// code picks the machine-readable code from whichever shape the server used.
func (eb *errorBody) code(header http.Header) string {
	var s string
	if len(eb.Code) > 0 && eb.Code[0] == '"' && json.Unmarshal(eb.Code, &s) == nil && s != "" {
		return s // 2024-01-01 shape: code is the string code
	}
	if eb.ErrorCode != "" {
		return eb.ErrorCode // legacy shape: code is the HTTP status
	}
	if eb.Error != "" {
		return eb.Error // OAuth shape
	}
	return header.Get("X-Sb-Error-Code")
}

func (eb *errorBody) message(status int) string {
	m := eb.rawMessage()
	if m == "" {
		m = httpStatusMessage(status)
	}
	if eb.Hint != "" {
		m += " (server hint: " + eb.Hint + ")"
	}
	return m
}

// rawMessage is the first message field the server filled, in the order the
// reference client reads them.
func (eb *errorBody) rawMessage() string {
	for _, m := range []string{eb.Msg, eb.Message, eb.ErrorDescription, eb.Error} {
		if m != "" {
			return m
		}
	}
	return ""
}

func codeOf(header http.Header, body []byte) string {
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		return eb.code(header)
	}
	return header.Get("X-Sb-Error-Code")
}

func messageOr(body []byte, fallback string) string {
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		if m := eb.rawMessage(); m != "" {
			return m
		}
	}
	return fallback
}

func httpStatusMessage(status int) string {
	if t := http.StatusText(status); t != "" {
		return fmt.Sprintf("HTTP %d %s", status, t)
	}
	return fmt.Sprintf("HTTP %d", status)
}

// snippet returns a short, printable, redacted excerpt of a non-JSON body
// ("404 page not found" tells the user the URL is wrong).
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return ""
	}
	if len(s) > 120 {
		// Cut on a rune boundary so the message stays valid UTF-8.
		cut := 120
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return ": " + redactText(s)
}

// longSecret is the length from which a secret is scrubbed wherever it
// appears: keys, tokens and long passwords never occur inside a server's
// words by chance. A shorter one (a password like "word", an OTP) does, so it
// is scrubbed only where it stands alone: replacing it inside
// "weak_password" mangled the message and showed where the password was.
const longSecret = 16

// scrub replaces the secrets the request carried (of 4 characters or more)
// in a message: long ones everywhere, short ones as whole words.
func scrub(msg string, secrets []string) string {
	for _, s := range secrets {
		switch {
		case len(s) >= longSecret:
			msg = strings.ReplaceAll(msg, s, redacted)
		case len(s) >= 4:
			msg = replaceWholeWords(msg, s)
		}
	}
	return msg
}

// replaceWholeWords replaces the occurrences of s that are not glued to a
// letter, digit or underscore on either side.
func replaceWholeWords(msg, s string) string {
	var b strings.Builder
	for {
		i := strings.Index(msg, s)
		if i < 0 {
			break
		}
		end := i + len(s)
		whole := (i == 0 || !isWordByte(msg[i-1])) && (end == len(msg) || !isWordByte(msg[end]))
		b.WriteString(msg[:i])
		if whole {
			b.WriteString(redacted)
		} else {
			b.WriteString(s)
		}
		msg = msg[end:]
	}
	b.WriteString(msg)
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// codeRE is what a server's error code looks like (weak_password,
// invalid_credentials): an identifier scripts branch on.
var codeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9_]{1,100}$`) })

// scrubCode keeps a server's error code intact unless it is itself a secret
// the request carried; anything that is not a plain code is scrubbed like a
// message.
func scrubCode(code string, secrets []string) string {
	for _, s := range secrets {
		if s != "" && code == s {
			return redacted
		}
	}
	if codeRE().MatchString(code) {
		return code
	}
	return scrub(code, secrets)
}
