package loopback

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// A browser is started with its URL on the command line, where every local
// user can read it (ps, /proc/PID/cmdline). The authorize URL must not go
// there: it holds the callback path and the PKCE code_challenge, and whoever
// holds both can finish a flow with their own identity and deliver the code
// to this receiver, which would then exchange it with its verifier and sign
// the person in to the attacker's account.
//
// So the browser is handed a file instead: a page in a fresh 0700 directory,
// itself 0600, whose path reveals nothing. The page sends the browser to a
// one-time start URL on this receiver (/start/<random>), which redirects once
// to the authorize URL and then is dead; the page is deleted as soon as the
// start URL is served. A callback that arrives before the start URL was
// served cannot belong to this flow and is refused like any unknown path.

// entryFileName is the page's name inside its private directory.
const entryFileName = "sign-in.html"

var entryTmpl = template.Must(template.New("entry").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url={{.}}">
<title>authctl · Signing in</title></head>
<body><p>Continuing to the sign-in… If nothing happens, <a href="{{.}}">follow this link</a>.</p></body></html>
`))

// Handoff arms the one-time start URL with target (the authorize URL) and
// writes the page that leads the browser to it. It returns the page as a
// file:// URL: the only thing to put on a browser's command line. The page
// is removed when the start URL is served, or by Close.
func (s *Server) Handoff(target string) (string, error) {
	nonce, err := randomNonce()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "authctl-signin-") // 0700
	if err != nil {
		return "", fmt.Errorf("creating the browser's sign-in page: %w", err)
	}
	s.mu.Lock()
	s.startPath, s.target, s.entryDir = "/start/"+nonce, target, dir
	startURL := "http://" + s.hostPort + s.startPath
	s.mu.Unlock()

	page := filepath.Join(dir, entryFileName)
	f, err := os.OpenFile(page, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = entryTmpl.Execute(f, startURL)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		s.removeEntry()
		return "", fmt.Errorf("writing the browser's sign-in page: %w", err)
	}
	return fileURL(page), nil
}

// StartURL is the one-time start URL once Handoff armed it (empty before):
// what a person may open themselves when the browser did not start. It is
// printed on the terminal only.
func (s *Server) StartURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.startPath == "" {
		return ""
	}
	return "http://" + s.hostPort + s.startPath
}

// fileURL turns an absolute path into a file:// URL (file:///C:/… on Windows).
func fileURL(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// serveStart answers the start URL: one redirect to the target, then 410.
func (s *Server) serveStart(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	used := s.started || s.done
	s.started = true
	target := s.target
	s.mu.Unlock()
	if used {
		writePage(w, http.StatusGone, pageUsed, "")
		return
	}
	s.removeEntry()
	http.Redirect(w, r, target, http.StatusFound)
}

// isStartPath reports that path is the armed start URL's.
func (s *Server) isStartPath(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startPath != "" && path == s.startPath
}

// awaitingStart reports that a handoff is armed and its start URL not yet
// served: no callback can belong to this flow yet.
func (s *Server) awaitingStart() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startPath != "" && !s.started
}

// removeEntry deletes the handoff page and its directory.
func (s *Server) removeEntry() {
	s.mu.Lock()
	dir := s.entryDir
	s.entryDir = ""
	s.mu.Unlock()
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
}
