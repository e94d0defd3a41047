package api

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

func runAPI(ctx context.Context, o *Options) error {
	t, err := o.Target()
	if err != nil {
		return err
	}
	u, err := resolveURL(t.ProjectURL, o.Path)
	if err != nil {
		return err
	}
	hdr, err := parseHeaders(o.Headers)
	if err != nil {
		return err
	}
	b, closeBody, err := openBody(o)
	if err != nil {
		return err
	}
	defer closeBody()
	method := strings.ToUpper(o.Method)
	if method == "" {
		method = http.MethodGet
		if b.present {
			method = http.MethodPost
		}
	}

	// A caller's own Authorization is theirs to manage: no session is read,
	// and a 401 is not ours to fix. Without one, a session is required
	// (exit 3): falling back to the anon key as supabase-js does would turn a
	// lost session into silently empty row-level-security answers in CI.
	var c *auth.Client
	var sess *auth.Session
	if hdr.Get("Authorization") == "" {
		if c, err = o.Client(); err != nil {
			return err
		}
		if sess, err = c.GetSession(ctx); err != nil {
			return err
		}
		if sess == nil {
			return cmdutil.ErrNotSignedIn()
		}
	}
	send := func(s *auth.Session) (*http.Response, error) {
		return o.send(ctx, method, u, withAuth(hdr, s, t.AnonKey, b.present), b)
	}
	resp, err := send(sess)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusUnauthorized && sess != nil {
		if !b.replayable() {
			o.F.Warnf("not retrying the 401 after a refresh: the request body was larger than %d MiB and is gone", replayCap>>20)
		} else {
			resp.Body.Close()
			// nil: refresh whatever is stored now, which another process
			// may already have refreshed; its refresh token is the live one.
			fresh, err := c.RefreshSession(ctx, nil)
			if err != nil {
				return err
			}
			if resp, err = send(fresh); err != nil {
				return err
			}
		}
	}
	defer resp.Body.Close()
	return o.printResponse(resp)
}

// withAuth adds what fetchWithAuth adds (spec §17) to the caller's headers
// without overriding any of them: the session's bearer token (s is nil when
// the caller brought their own), apikey, and a JSON content type for a body.
func withAuth(caller http.Header, s *auth.Session, anonKey string, hasBody bool) http.Header {
	h := caller.Clone()
	setDefault := func(k, v string) {
		if v != "" && h.Get(k) == "" {
			h.Set(k, v)
		}
	}
	if s != nil {
		setDefault("Authorization", "Bearer "+s.AccessToken)
	}
	setDefault("apikey", anonKey)
	if hasBody {
		setDefault("Content-Type", "application/json")
	}
	return h
}

func (o *Options) send(ctx context.Context, method, u string, h http.Header, b *body) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, b.reader())
	if err != nil {
		return nil, err
	}
	req.Header = h
	if o.F.Flags.Debug {
		o.trace("> "+method+" "+auth.RedactURL(u), h)
	}
	resp, err := o.httpClient().Do(req)
	if err != nil {
		return nil, unreachable(err)
	}
	if o.F.Flags.Debug {
		o.trace("< "+resp.Proto+" "+resp.Status, resp.Header)
	}
	return resp, nil
}

// trace writes a --debug line and the headers, secrets redacted by the SDK's
// rules so the trace and the SDK's own log agree.
func (o *Options) trace(line string, h http.Header) {
	var sb strings.Builder
	sb.WriteString(line + "\n")
	writeHeaders(&sb, auth.RedactHeaders(h), "  ")
	fmt.Fprint(o.F.IOStreams.ErrOut, sb.String())
}

// writeHeaders writes "Key: value" lines in key order.
func writeHeaders(sb *strings.Builder, h http.Header, indent string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			sb.WriteString(indent + k + ": " + v + "\n")
		}
	}
}
