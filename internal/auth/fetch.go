package auth

import (
	"net/http"
)

// Fetcher is spec §17's fetchWithAuth: it sends requests to the project's
// other services (PostgREST, Storage, Functions) with the session's access
// token and the API key, and on a 401 refreshes the session once and
// retries once.
type Fetcher struct {
	// Client is asked for only when a request carries no Authorization of
	// its own, so a caller who brings a token opens no session storage.
	Client func() (*Client, error)
	// APIKey is sent as apikey (and as the bearer when falling back).
	APIKey string
	// Do sends one request; nil means http.DefaultClient.Do. A retry goes
	// through it again.
	Do func(*http.Request) (*http.Response, error)
	// MissingSession, when set, is returned instead of sending a request
	// that has no Authorization while nobody is signed in. Nil falls back to
	// the API key as the bearer, as supabase-js does.
	MissingSession error
}

// Fetch sends req with the Authorization and apikey headers added, never
// overriding a header the caller set. A 401 to a request that carried the
// session's token is answered by refreshing whatever session is stored now
// (another process may have refreshed it already) and sending the request
// once more; that needs req.GetBody when req has a body (http.NewRequest
// sets it for in-memory bodies). Without it the 401 is returned as it is.
func (f *Fetcher) Fetch(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if req.Header.Get("Authorization") != "" {
		return f.send(req, "")
	}
	c, err := f.Client()
	if err != nil {
		return nil, err
	}
	s, err := c.GetSession(ctx)
	if err != nil {
		return nil, err
	}
	if s == nil {
		if f.MissingSession != nil {
			return nil, f.MissingSession
		}
		return f.send(req, f.APIKey)
	}
	resp, err := f.send(req, s.AccessToken)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !replayable(req) {
		return resp, err
	}
	resp.Body.Close()
	fresh, err := c.RefreshSession(ctx, nil)
	if err != nil {
		return nil, err
	}
	retry := req.Clone(ctx)
	if req.GetBody != nil {
		if retry.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	return f.send(retry, fresh.AccessToken)
}

// replayable reports whether req's body can be sent a second time.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// send adds the headers (bearer may be empty: the caller's own
// Authorization stays) and sends one attempt.
func (f *Fetcher) send(req *http.Request, bearer string) (*http.Response, error) {
	h := req.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	setDefault := func(k, v string) {
		if v != "" && h.Get(k) == "" {
			h.Set(k, v)
		}
	}
	if bearer != "" {
		setDefault("Authorization", "Bearer "+bearer)
	}
	setDefault("apikey", f.APIKey)
	out := req.Clone(req.Context())
	out.Header = h
	do := f.Do
	if do == nil {
		do = http.DefaultClient.Do
	}
	return do(out)
}
