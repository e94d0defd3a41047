package loopback

import (
	"net/http"
)

// fragmentMarker tells a request forwarded by the page's script (the
// parameters came from the #fragment) from a first visit without parameters.
const fragmentMarker = "authctl_fragment"

// ServeHTTP answers the browser. Only GET on the flow's path counts; any
// other path is a 404 and the flow goes on (browsers ask for /favicon.ico,
// and a scanner that found the port does not end the sign-in).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the URL holds the code
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'")

	// A request naming another host came through DNS rebinding or a proxy,
	// not from the redirect we gave out.
	if r.Host != s.hostPort {
		writePage(w, http.StatusMisdirectedRequest, pageNotFound, "")
		return
	}
	if r.Method == http.MethodGet && s.isStartPath(r.URL.Path) {
		s.serveStart(w, r)
		return
	}
	if r.URL.Path != s.path || s.awaitingStart() {
		writePage(w, http.StatusNotFound, pageNotFound, "")
		return
	}
	if r.Method != http.MethodGet {
		h.Set("Allow", http.MethodGet)
		writePage(w, http.StatusMethodNotAllowed, pageNotFound, "")
		return
	}
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done {
		writePage(w, http.StatusGone, pageUsed, "")
		return
	}

	params := r.URL.Query()
	forwarded := params.Has(fragmentMarker)
	params.Del(fragmentMarker)
	raw := s.redirect
	if len(params) > 0 {
		raw += "?" + params.Encode()
	}
	o, ok := outcomeFrom(raw, params, false)
	if !ok {
		if forwarded {
			// The fragment held nothing we know: say so and keep waiting
			// (the URL can still be pasted into the terminal).
			writePage(w, http.StatusBadRequest, pageEmpty, "")
			return
		}
		// No query: the result may be in the #fragment, which browsers
		// never send. The page's script forwards it as a query.
		writePage(w, http.StatusOK, pageForward, "")
		return
	}
	if !s.claim() {
		writePage(w, http.StatusGone, pageUsed, "")
		return
	}
	s.result <- o
	if o.err != nil {
		writePage(w, http.StatusOK, pageFailed, o.err.(*CallbackError).message())
		return
	}
	// "Signed in" only once the caller has the session stored: the code
	// can still be refused (flow_state_not_found, an expired flow).
	select {
	case err := <-s.verdict:
		if err != nil {
			writePage(w, http.StatusOK, pageNotStored, err.Error())
			return
		}
		writePage(w, http.StatusOK, pageSuccess, "")
	case <-s.closed:
		writePage(w, http.StatusOK, pageNotStored, "authctl stopped before the session was stored.")
	case <-r.Context().Done():
	}
}

// message is the error as the page shows it: the server's own words.
func (e *CallbackError) message() string {
	switch {
	case e.Description != "":
		return e.Description
	case e.Err != "":
		return e.Err
	}
	return e.Code
}
