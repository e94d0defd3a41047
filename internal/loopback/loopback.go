// Package loopback receives the end of a browser sign-in on the machine the
// CLI runs on: the loopback redirect of RFC 8252 §7.3.
//
// Start binds 127.0.0.1 first (a random free port, or the one asked for) and
// only then builds the redirect URL from the port it really got, with an
// unguessable path, /callback/<43 base64url characters of 32 random bytes>.
// The Auth server keeps `state` for its own flow state, so that path is the
// client's only proof that a callback belongs to this flow: nothing else is
// accepted, and it is accepted once. That path and the PKCE challenge must
// therefore never reach a command line, where other local users read them:
// Handoff gives the browser a private page and a one-time start URL instead
// of the authorize URL (handoff.go).
//
// Wait returns the first of:
//   - a callback on that path carrying ?code=… (or error=… / error_description=…,
//     in the query or in a #fragment the result page forwards);
//   - a line read from Options.Paste: the final URL copied from the address
//     bar of a browser on another machine, or the bare code;
//   - the end of the context (Ctrl-C, or the caller's timeout).
//
// The package never logs a code: the HTTP server's own log is discarded and
// errors name the problem, not the values.
package loopback

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Host is the only address the receiver binds and redirects to: an IP
// literal, because the server skips its allow list only for loopback IP
// literals and `localhost` may resolve to ::1 while we listen on IPv4.
const Host = "127.0.0.1"

// nonceBytes of randomness in the callback path: 256 bits, far beyond guessing.
const nonceBytes = 32

// ErrTimeout is returned by Wait when its context's deadline passes first.
var ErrTimeout = errors.New("timed out waiting for the sign-in to finish in the browser")

// Options configure Start.
type Options struct {
	// Port to bind on 127.0.0.1; 0 picks a free one.
	Port int
	// Paste, when set, is read line by line concurrently with the listener:
	// a pasted callback URL or bare code completes the flow like a callback.
	// The reading goroutine may outlive Wait when Paste blocks (a terminal);
	// it stops at EOF and ignores everything after the flow ended.
	Paste io.Reader
	// Notify, when set, receives short messages for the person waiting, such
	// as why a pasted line was not accepted. They never contain a code.
	Notify func(msg string)
}

// Result is a completed callback.
type Result struct {
	// Code is the authorization code (empty for an implicit-flow fragment
	// carrying tokens, which the caller finds in URL).
	Code string
	// URL is the callback as received: the redirect URL with the query the
	// browser sent (fragment parameters forwarded into the query), or the
	// pasted URL. It carries secrets: never print or log it.
	URL string
	// Pasted reports that the result came from Options.Paste.
	Pasted bool
}

// CallbackError is an error the identity provider or the Auth server sent
// back instead of a code (error, error_description, error_code).
type CallbackError struct {
	Err         string
	Description string
	Code        string
	// URL is the callback URL, for callers that hand it to an SDK's own
	// error decoding (auth.Client.SessionFromURL).
	URL string
}

func (e *CallbackError) Error() string {
	msg := e.Description
	if msg == "" {
		msg = e.Err
	}
	if msg == "" {
		msg = e.Code
	}
	if e.Code != "" && e.Code != msg {
		msg += " (" + e.Code + ")"
	}
	return "the sign-in failed: " + msg
}

// Server is one running loopback receiver, good for one flow.
type Server struct {
	redirect string
	path     string
	hostPort string
	ln       net.Listener
	srv      *http.Server
	notify   func(string)

	mu     sync.Mutex
	done   bool // a result (or an error) was delivered: later callbacks are refused
	result chan outcome

	// The browser handoff (handoff.go), armed by Handoff.
	startPath string // "/start/<random>"; empty until armed
	target    string // where the start URL redirects: the authorize URL
	started   bool   // the start URL was served (it works once)
	entryDir  string // the private directory of the entry page, until removed

	// verdict receives the caller's Finish: whether the session that the
	// callback's code was exchanged for is stored. The browser is told it
	// is signed in only then. closed ends the wait when the caller never
	// says (interrupted).
	verdict chan error
	closed  chan struct{}

	closeOnce sync.Once
}

type outcome struct {
	res *Result
	err error
}

// Start binds the listener and serves callbacks until Close.
func Start(opts Options) (*Server, error) {
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("invalid port %d", opts.Port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(Host, strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, fmt.Errorf("listening on %s port %d for the browser's redirect: %w", Host, opts.Port, err)
	}
	nonce, err := randomNonce()
	if err != nil {
		ln.Close()
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	s := &Server{
		path:     "/callback/" + nonce,
		hostPort: net.JoinHostPort(Host, strconv.Itoa(port)),
		ln:       ln,
		notify:   opts.Notify,
		result:   make(chan outcome, 1),
		verdict:  make(chan error, 1),
		closed:   make(chan struct{}),
	}
	s.redirect = "http://" + s.hostPort + s.path
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// The standard logger would print malformed requests, which may
		// carry a code: discard it.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() { _ = s.srv.Serve(ln) }()
	if opts.Paste != nil {
		go s.readPaste(opts.Paste)
	}
	return s, nil
}

func randomNonce() (string, error) {
	b := make([]byte, nonceBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating the callback path: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// RedirectURL is the URL to give the Auth server as redirect_to.
func (s *Server) RedirectURL() string { return s.redirect }

// Addr is the address the listener is bound to.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Wait blocks until a callback or a pasted line completes the flow, or ctx
// ends: ErrTimeout for a deadline, ctx.Err() (context.Canceled) otherwise.
// A *CallbackError reports an error sent back by the server or provider.
func (s *Server) Wait(ctx context.Context) (*Result, error) {
	select {
	case o := <-s.result:
		return o.res, o.err
	case <-ctx.Done():
		// Refuse callbacks that arrive after we stopped waiting.
		s.mu.Lock()
		s.done = true
		s.mu.Unlock()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrTimeout
		}
		return nil, ctx.Err()
	}
}

// Finish tells the browser how the sign-in ended once the caller has
// exchanged the code and stored the session (err nil), or failed to (err).
// The callback's page waits for it. Call it at most once, after Wait.
func (s *Server) Finish(err error) {
	select {
	case s.verdict <- err:
	default:
	}
}

// Close stops the listener and removes the handoff page if it is still
// there. A callback page still waiting for Finish says the sign-in did not
// complete; the short grace period covers requests in flight, and
// connections a browser opened ahead of use (which Shutdown would otherwise
// wait on for seconds) are cut.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closed)
		s.removeEntry()
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if err = s.srv.Shutdown(ctx); err != nil {
			err = s.srv.Close()
		}
	})
	return err
}

// claim marks the flow complete; it reports false when it already was, so
// the loser of a race (callback vs paste) is refused. Only the winner sends
// on s.result (buffered), so the send never blocks.
func (s *Server) claim() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return false
	}
	s.done = true
	return true
}

// deliver completes the flow with o unless it is already complete.
func (s *Server) deliver(o outcome) bool {
	if !s.claim() {
		return false
	}
	s.result <- o
	return true
}

func (s *Server) say(msg string) {
	if s.notify != nil {
		s.notify(msg)
	}
}

// outcomeFrom reads a callback's parameters: an error when the server or the
// provider sent one, the code otherwise; ok is false when there is neither.
func outcomeFrom(rawURL string, params url.Values, pasted bool) (o outcome, ok bool) {
	if e, d, c := params.Get("error"), params.Get("error_description"), params.Get("error_code"); e != "" || d != "" || c != "" {
		return outcome{err: &CallbackError{Err: e, Description: d, Code: c, URL: rawURL}}, true
	}
	code := params.Get("code")
	if code == "" && params.Get("access_token") == "" {
		return outcome{}, false
	}
	return outcome{res: &Result{Code: code, URL: rawURL, Pasted: pasted}}, true
}
