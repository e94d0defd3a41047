// Package authurl decides where the Auth API behind a URL a user gave lives.
//
// The rule (documented in README "Configuration" and docs/urls.md):
//
//   - a URL with a path is the Auth URL itself: https://REF.supabase.co/auth/v1,
//     http://127.0.0.1:9999/gotrue (a trailing slash is dropped);
//   - a URL without a path ("/" counts as none, as browsers add it) on a
//     Supabase-hosted domain is a project URL: /auth/v1 is appended;
//   - any other URL without a path is probed once: GET /auth/v1/health (a
//     project gateway such as `supabase start`, or the emulator), then GET
//     /health (a bare Auth server). The answer is remembered per origin, so
//     later runs, `authctl token` included, make no request for it. When the
//     server cannot be reached the project form (/auth/v1) is used for this
//     run and nothing is remembered; when it answers but neither path is an
//     Auth API, the error names both URLs and the setting that fixes it.
package authurl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/authctl/authctl/internal/auth"
)

// ProjectPath is where Supabase projects (hosted, `supabase start`) serve Auth.
const ProjectPath = "/auth/v1"

// Endpoints are the two bases a command uses.
type Endpoints struct {
	Auth    string // base of every Auth request, no trailing slash
	Project string // base `authctl api` resolves paths against
	// Probed is true when the Auth path was found by probing (now or in an
	// earlier run) rather than read from the URL.
	Probed bool
}

// Given is a URL as the user gave it, checked and split.
type Given struct {
	Origin string // scheme://host[:port], lower case, no default port
	Path   string // without trailing slash; "" for none
}

// Parse checks raw and splits it. Credentials, a query and a fragment have
// no place in it: the first is refused, the others dropped.
func Parse(raw string) (Given, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return Given{}, fmt.Errorf("invalid URL %q: want http(s)://host[:port][/path]", raw)
	}
	if u.User != nil {
		return Given{}, fmt.Errorf("invalid URL %q: credentials do not belong in the URL", u.Redacted())
	}
	norm := auth.NormalizeAuthURL(u.String())
	n, _ := url.Parse(norm)
	return Given{Origin: n.Scheme + "://" + n.Host, Path: n.EscapedPath()}, nil
}

// at is the endpoints when Auth is served under path.
func (g Given) at(path string) Endpoints {
	return Endpoints{Auth: g.Origin + path, Project: g.Origin + strings.TrimSuffix(path, ProjectPath)}
}

// Static is the endpoints when the URL alone decides them (a path is given,
// or the host is Supabase-hosted); ok is false when a probe must decide.
func (g Given) Static() (Endpoints, bool) {
	switch {
	case g.Path != "" && strings.HasSuffix(g.Path, ProjectPath):
		return g.at(g.Path), true
	case g.Path != "":
		return Endpoints{Auth: g.Origin + g.Path, Project: g.Origin}, true
	case auth.HostedProjectRef(g.Origin) != "":
		return g.at(ProjectPath), true
	}
	return Endpoints{}, false
}

// Cache remembers the Auth path found per origin between runs.
type Cache interface {
	AuthPath(origin string) (path string, ok bool)
	RememberAuthPath(origin, path string) error
}

// Resolver applies the package's rule.
type Resolver struct {
	HTTP   *http.Client
	APIKey string // sent as apikey, which a project gateway wants even for /health
	Cache  Cache
	// Source names where the URL came from ("--url", "SUPABASE_URL", …), for
	// the error that says what to change.
	Source string
}

// Resolve returns the endpoints of raw, probing once when needed.
func (r *Resolver) Resolve(ctx context.Context, raw string) (Endpoints, error) {
	g, err := Parse(raw)
	if err != nil {
		return Endpoints{}, err
	}
	if e, ok := g.Static(); ok {
		return e, nil
	}
	if path, ok := r.Cache.AuthPath(g.Origin); ok {
		e := g.at(path)
		e.Probed = true
		return e, nil
	}
	path, err := r.probe(ctx, g.Origin)
	var nf *NotFoundError
	switch {
	case errors.As(err, &nf):
		nf.Source = r.Source
		return Endpoints{}, nf
	case err != nil:
		// Unreachable: requests will say so; nothing is learnt.
		return g.at(ProjectPath), nil
	}
	_ = r.Cache.RememberAuthPath(g.Origin, path) // only saves a probe next time
	e := g.at(path)
	e.Probed = true
	return e, nil
}

// NotFoundError says that the server answered but serves no Auth API at
// either place the rule looks.
type NotFoundError struct {
	Origin  string
	Answers []string // "GET URL answered …", one per probe
	Source  string
}

func (e *NotFoundError) Error() string {
	fix := "--url " + e.Origin + "/PATH"
	if e.Source != "" && e.Source != "--url" {
		fix += " (the URL came from " + e.Source + ")"
	}
	return fmt.Sprintf("no Supabase Auth API found at %s: %s; if Auth is served under another path, give the Auth URL with that path: %s",
		e.Origin, strings.Join(e.Answers, ", "), fix)
}

// probe returns the Auth path at origin: ProjectPath or "" (bare server).
// A network failure is returned as is; a server that answers at neither
// path gives *NotFoundError.
func (r *Resolver) probe(ctx context.Context, origin string) (string, error) {
	nf := &NotFoundError{Origin: origin}
	for _, path := range []string{ProjectPath, ""} {
		u := origin + path + "/health"
		status, isAuth, err := r.get(ctx, u, path == ProjectPath)
		if err != nil {
			return "", err
		}
		if isAuth {
			return path, nil
		}
		nf.Answers = append(nf.Answers, fmt.Sprintf("GET %s answered HTTP %d", u, status))
	}
	return "", nf
}

// get asks u and reports whether an Auth API answered: a JSON object with
// 200, or, under a gateway, a JSON refusal of the API key (401/403), which
// every request there would get too and which the key hints explain.
func (r *Resolver) get(ctx context.Context, u string, gateway bool) (int, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, false, err
	}
	if r.APIKey != "" {
		req.Header.Set("apikey", r.APIKey)
	}
	resp, err := r.HTTP.Do(req)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	var obj map[string]any
	isJSON := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&obj) == nil
	switch {
	case resp.StatusCode == http.StatusOK:
		return resp.StatusCode, isJSON, nil
	case gateway && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden):
		_, hasMessage := obj["message"]
		return resp.StatusCode, isJSON && hasMessage, nil
	}
	return resp.StatusCode, false, nil
}
