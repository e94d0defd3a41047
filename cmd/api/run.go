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

	if b.present && hdr.Get("Content-Type") == "" {
		hdr.Set("Content-Type", "application/json")
	}
	// A streamed body (io.MultiReader) gets no GetBody from NewRequest, so
	// the fetcher does not retry it; an in-memory one is replayed.
	req, err := http.NewRequestWithContext(ctx, method, u, b.reader())
	if err != nil {
		return err
	}
	req.Header = hdr
	// A caller's own Authorization is theirs to manage: no session is read,
	// and a 401 is not ours to fix. Without one, a session is required
	// (exit 3): falling back to the anon key as supabase-js does would turn a
	// lost session into silently empty row-level-security answers in CI.
	fetcher := &auth.Fetcher{Client: o.Client, APIKey: t.AnonKey, Do: o.do, MissingSession: cmdutil.ErrNotSignedIn()}
	resp, err := fetcher.Fetch(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized && hdr.Get("Authorization") == "" && !b.replayable() {
		o.F.Warnf("not retrying the 401 after a refresh: the request body was larger than %d MiB and is gone", replayCap>>20)
	}
	return o.printResponse(resp)
}

// do sends one attempt, traced with --debug; a transport failure exits 5.
func (o *Options) do(req *http.Request) (*http.Response, error) {
	if o.F.Flags.Debug {
		o.trace("> "+req.Method+" "+auth.RedactURL(req.URL.String()), req.Header)
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
