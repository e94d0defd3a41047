package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Request describes one call to the Auth server. It is the one door every
// operation goes through (client, admin, MFA, OAuth namespaces), so headers,
// size limits, error classification and redaction are decided once.
type Request struct {
	// Method is the HTTP method ("GET", "POST", ...).
	Method string
	// Path is appended to Options.URL, e.g. "/token" or "/admin/users/ID".
	// Escape path segments that come from users (url.PathEscape).
	Path string
	// Query is encoded into the URL (grant_type, scope, page, ...).
	Query url.Values
	// Body, when non-nil, is sent as JSON with
	// Content-Type: application/json;charset=UTF-8.
	Body any
	// Form, when non-nil and Body is nil, is sent form-encoded (the OAuth 2.1
	// token endpoint wants application/x-www-form-urlencoded).
	Form url.Values
	// Token, when non-empty, is sent as "Authorization: Bearer Token": the
	// user's access token, or Options.ServiceRoleKey for admin calls.
	Token string
	// Header adds or overrides headers for this request only (for example
	// Authorization: Basic for confidential OAuth clients).
	Header http.Header
	// MaxResponseBytes caps the body read; 0 means DefaultMaxResponseBytes. A
	// larger body fails with *UnknownError rather than being read unbounded.
	MaxResponseBytes int64
	// Into, when set, receives the body (reset first) instead of a fresh
	// slice: a caller reading many large answers in turn (the pages of a
	// listing, decoded into copies) reuses one buffer. Response.Body then
	// aliases Into until its next use.
	Into *bytes.Buffer
	// NoRedirect returns a redirect as it is (a Response with its 3xx status
	// and Location header) instead of following it: for asking an endpoint
	// that redirects to a third party what it would do, without going there.
	NoRedirect bool
}

// Response is what Do returns on success. Body is the raw body (already
// decoded into out when out was given); Header carries Link, X-Total-Count and
// the like for paginated admin lists.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Do sends req and, on a 2xx answer, decodes the JSON body into out (when out
// is non-nil and the body is not empty). Errors follow the spec's table (§5):
//
//   - 4xx with a JSON body: *APIError, *WeakPasswordError (weak_password) or
//     *SessionMissingError (session_not_found, refresh_token_not_found,
//     refresh_token_already_used);
//   - 4xx without a JSON body: *UnknownError;
//   - 502, 503, 504: *RetryableFetchError; other 5xx: *APIError;
//   - no answer (DNS, refused, reset) or a body cut short:
//     *RetryableFetchError with Status 0;
//   - a 2xx body that is not the expected JSON, or larger than the cap:
//     *UnknownError;
//   - ctx cancelled or expired: ctx.Err(), wrapped.
//
// Every request carries X-Supabase-Api-Version, X-Client-Info, apikey (when
// Options.APIKey is set), Options.Headers, and Authorization when req.Token is
// set. No error message contains a value the request carried as a secret.
func (c *Client) Do(ctx context.Context, req Request, out any) (*Response, error) {
	secrets := c.requestSecrets(req)

	// req.Path arrives escaped (url.PathEscape on user-given segments): it
	// becomes RawPath as is, so that u.String() does not escape its '%' again.
	path, err := url.PathUnescape(req.Path)
	if err != nil {
		return nil, fmt.Errorf("auth: request path %q: %w", req.Path, err)
	}
	u := *c.baseURL
	u.Path = c.baseURL.Path + path
	u.RawPath = c.baseURL.EscapedPath() + req.Path
	if len(req.Query) > 0 {
		u.RawQuery = req.Query.Encode()
	}

	var body io.Reader
	var contentType string
	var sent []byte
	switch {
	case req.Body != nil:
		b, err := json.Marshal(req.Body)
		if err != nil {
			return nil, fmt.Errorf("auth: encoding request body for %s %s: %w", req.Method, req.Path, err)
		}
		sent, body, contentType = b, bytes.NewReader(b), "application/json;charset=UTF-8"
	case req.Form != nil:
		b := []byte(req.Form.Encode())
		sent, body, contentType = b, bytes.NewReader(b), "application/x-www-form-urlencoded"
	}

	hreq, err := http.NewRequestWithContext(ctx, req.Method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("auth: building request %s %s: %s", req.Method, req.Path, scrub(err.Error(), secrets))
	}
	hreq.Header = c.headers.Clone()
	c.setHeaders(hreq.Header, req, contentType)

	start := time.Now()
	if c.opts.Debug != nil {
		c.debug("auth: request", "method", req.Method, "url", RedactURL(u.String()),
			"headers", RedactHeaders(hreq.Header), "body", logBody(sent))
	}

	httpc := c.httpc
	if req.NoRedirect {
		h := *c.httpc
		h.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		httpc = &h
	}
	resp, err := httpc.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("auth: %s %s: %w", req.Method, req.Path, ctx.Err())
		}
		cause := err
		var ue *url.Error
		if errors.As(err, &ue) {
			cause = ue.Err
		}
		c.debug("auth: network failure", "method", req.Method, "path", req.Path, "error", scrub(cause.Error(), secrets))
		return nil, &RetryableFetchError{
			AuthError: AuthError{Name: NameRetryableFetchError, Message: scrub("network failure: "+cause.Error(), secrets)},
			Err:       cause,
		}
	}
	defer resp.Body.Close()

	limit := req.MaxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	raw, err := readBody(resp, limit, req.Into)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("auth: %s %s: %w", req.Method, req.Path, ctx.Err())
		}
		return nil, &RetryableFetchError{
			AuthError: AuthError{Name: NameRetryableFetchError, Message: scrub("response interrupted: "+err.Error(), secrets)},
			Err:       err,
		}
	}
	if int64(len(raw)) > limit {
		return nil, &UnknownError{AuthError: AuthError{
			Name: NameUnknownError, Status: resp.StatusCode,
			Message: fmt.Sprintf("response body larger than %d bytes", limit),
		}}
	}

	if c.opts.Debug != nil {
		c.debug("auth: response", "method", req.Method, "path", req.Path, "status", resp.StatusCode,
			"duration", time.Since(start).Round(time.Millisecond), "headers", RedactHeaders(resp.Header), "body", logBody(raw))
	}

	if req.NoRedirect && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: raw}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, classifyResponse(resp.StatusCode, resp.Header, raw, secrets)
	}
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 {
		var err error
		switch rm, isRaw := out.(*json.RawMessage); {
		case isRaw:
			// The caller passes the server's object on as it came (an
			// export): check it is JSON, but do not copy it, as
			// json.Unmarshal into a RawMessage would (twice the scanning
			// and a copy of every user exported).
			if json.Valid(trimmed) {
				*rm = trimmed
			} else {
				err = errors.New("invalid JSON")
			}
		case out != nil:
			err = json.Unmarshal(raw, out)
		case trimmed[0] != '{' && trimmed[0] != '[':
			// The caller decodes the body itself; an HTML or text page
			// must not reach it (a cheap test: pages can be large).
			err = errors.New("not JSON")
		}
		if err != nil {
			// Go's parser error ("invalid character 'h' in literal true")
			// says nothing useful: say what was expected, from where, and
			// what came instead (a proxy's page, a wrong URL).
			msg := fmt.Sprintf("expected a JSON answer from %s %s, got %s (%s)%s", req.Method, RedactURL(u.String()),
				orUnknownType(resp.Header.Get("Content-Type")), httpStatusMessage(resp.StatusCode), snippet([]byte(scrub(string(raw), secrets))))
			return nil, &UnknownError{
				AuthError: AuthError{Name: NameUnknownError, Status: resp.StatusCode, Message: scrub(msg, secrets)},
				Err:       err,
			}
		}
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: raw}, nil
}

// readBody reads at most limit+1 bytes of resp's body, into into when given.
// Otherwise, when the server said how long the body is, the buffer is
// allocated once at that size instead of grown from 512 bytes: a user
// fetched by id is one allocation, not four.
func readBody(resp *http.Response, limit int64, into *bytes.Buffer) ([]byte, error) {
	n := resp.ContentLength
	switch {
	case into != nil:
		into.Reset()
	case n < 0 || n > limit:
		return io.ReadAll(io.LimitReader(resp.Body, limit+1))
	default:
		// bytes.MinRead of room left makes ReadFrom see the end without
		// growing.
		into = bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
	}
	_, err := into.ReadFrom(io.LimitReader(resp.Body, limit+1))
	return into.Bytes(), err
}

func orUnknownType(ct string) string {
	if ct == "" {
		return "an answer without a Content-Type"
	}
	return ct
}

// maxLoggedBody keeps debug traces readable: a 1000-user admin page is not
// worth printing whole.
const maxLoggedBody = 16 << 10

// logBody redacts first (the JSON must be whole to be parsed), then cuts.
func logBody(b []byte) string {
	s := string(RedactJSON(b))
	if len(s) > maxLoggedBody {
		return fmt.Sprintf("%s… (%d bytes)", s[:maxLoggedBody], len(s))
	}
	return s
}

// headersOf is what every request carries (§15): custom headers first, then
// the protocol headers, which custom headers cannot override. NewClient
// builds it once; each request clones it instead of canonicalising every
// name again (an export sends 10,000 requests).
func headersOf(opts Options) http.Header {
	h := http.Header{}
	for k, v := range opts.Headers {
		if strings.EqualFold(k, "Authorization") && !opts.HasCustomAuthorizationHeader {
			continue
		}
		h.Set(k, v)
	}
	h.Set(APIVersionHeader, APIVersion)
	h.Set("X-Client-Info", opts.ClientInfo)
	h.Set("Accept", "application/json")
	if opts.APIKey != "" {
		h.Set("apikey", opts.APIKey)
	}
	return h
}

// setHeaders adds to the common headers this request's own, then its
// per-request overrides.
func (c *Client) setHeaders(h http.Header, req Request, contentType string) {
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	if req.Token != "" {
		h.Set("Authorization", "Bearer "+req.Token)
	}
	for k, vs := range req.Header {
		h.Del(k)
		for _, v := range vs {
			h.Add(k, v)
		}
	}
}

// requestSecrets lists the values to scrub from error messages: the keys,
// the bearer token, credentials in headers, and sensitive body fields.
func (c *Client) requestSecrets(req Request) []string {
	s := []string{c.opts.APIKey, c.opts.ServiceRoleKey, req.Token}
	for k, v := range c.opts.Headers {
		if IsSensitiveName(k) {
			_, cred, _ := strings.Cut(v, " ")
			s = append(s, v, cred)
		}
	}
	for k, vs := range req.Header {
		if IsSensitiveName(k) {
			for _, v := range vs {
				_, cred, _ := strings.Cut(v, " ")
				s = append(s, v, cred)
			}
		}
	}
	for k, vs := range req.Query {
		if IsSensitiveName(k) {
			s = append(s, vs...)
		}
	}
	return append(s, collectSecrets(req.Body, req.Form)...)
}

// sessionFromTokenResponse checks a token answer and fills expires_at when
// the server left it out (§4: floor(now) + expires_in).
func (c *Client) sessionFromTokenResponse(tr *tokenResponse) (*Session, error) {
	s := tr.Session
	if s.AccessToken == "" || s.RefreshToken == "" || s.ExpiresIn == 0 {
		return nil, errInvalidTokenResponse()
	}
	if s.ExpiresAt == 0 {
		s.ExpiresAt = c.now().Unix() + s.ExpiresIn
	}
	if s.TokenType == "" {
		s.TokenType = "bearer"
	}
	return &s, nil
}
