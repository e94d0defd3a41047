package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/authctl/authctl/internal/cmdutil"
)

// resolveURL places path under the project URL. A full URL must name the
// project's own scheme and host: the session's token is sent with it.
func resolveURL(project, path string) (string, error) {
	base, err := url.Parse(project)
	if err != nil {
		return "", err
	}
	raw := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		raw = strings.TrimSuffix(project, "/") + path
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", cmdutil.FlagErrorf("invalid PATH %q: %v", path, err)
	}
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return "", cmdutil.FlagErrorf("refusing to send credentials to %s://%s: PATH must be on the project, %s",
			u.Scheme, u.Host, project)
	}
	return u.String(), nil
}

// parseHeaders turns -H 'Key: Value' into a header set. http.Header keys are
// canonical, so later lookups ignore the case the caller typed.
func parseHeaders(lines []string) (http.Header, error) {
	h := http.Header{}
	for _, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, cmdutil.FlagErrorf("invalid header %q: want 'Key: Value'", l)
		}
		h.Add(k, strings.TrimSpace(v))
	}
	return h, nil
}

// body is the request body: data holds up to replayCap bytes; rest is set
// when the input was longer, and then the body can be sent only once.
type body struct {
	present bool
	data    []byte
	rest    io.Reader
}

func (b *body) replayable() bool { return b.rest == nil }

// reader returns the request's body (nil when there is none): a
// *bytes.Reader, which http.NewRequest knows how to replay, unless the input
// was too long to keep.
func (b *body) reader() io.Reader {
	if !b.present {
		return nil
	}
	if b.rest != nil {
		return io.MultiReader(bytes.NewReader(b.data), b.rest)
	}
	return bytes.NewReader(b.data)
}

// openBody reads -d, -d @FILE or --input (FILE or - for stdin). The returned
// closer releases an opened file once the request is done.
func openBody(o *Options) (*body, func(), error) {
	noop := func() {}
	src := o.Input
	switch {
	case o.HasData && !strings.HasPrefix(o.Data, "@"):
		return &body{present: true, data: []byte(o.Data)}, noop, nil
	case o.HasData:
		src = strings.TrimPrefix(o.Data, "@")
	case src == "":
		return &body{}, noop, nil
	}
	r := o.F.IOStreams.In
	closer := noop
	if src != "-" {
		f, err := os.Open(src)
		if err != nil {
			return nil, nil, cmdutil.FlagErrorf("reading the request body: %v", err)
		}
		r, closer = f, func() { f.Close() }
	}
	data, err := io.ReadAll(io.LimitReader(r, replayCap+1))
	if err != nil {
		closer()
		return nil, nil, fmt.Errorf("reading the request body: %w", err)
	}
	b := &body{present: true, data: data}
	if len(data) > replayCap {
		b.rest = r
	}
	return b, closer, nil
}
