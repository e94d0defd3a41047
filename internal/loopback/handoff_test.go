package loopback

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const authorizeURL = "https://auth.example.com/authorize?provider=github&code_challenge=SECRETCHALLENGE&redirect_to=x"

// noFollow fetches u without following a redirect.
func noFollow(t *testing.T, u string) *http.Response {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func entryPath(t *testing.T, entry string) string {
	t.Helper()
	u, err := url.Parse(entry)
	if err != nil || u.Scheme != "file" {
		t.Fatalf("entry %q: want a file:// URL", entry)
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		p = strings.TrimPrefix(p, "/") // file:///C:/…
	}
	return filepath.FromSlash(p)
}

// TestHandoffRevealsNothingAndWorksOnce: what goes on the browser's command
// line names neither the callback nor the authorize URL; the page behind it
// is private; the start URL redirects once, then the page is gone and the
// start URL is dead.
func TestHandoffRevealsNothingAndWorksOnce(t *testing.T) {
	s := start(t, Options{})
	entry, err := s.Handoff(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(entry, s.path) || strings.Contains(entry, "SECRETCHALLENGE") || strings.Contains(entry, s.StartURL()) {
		t.Fatalf("entry %q reveals the flow", entry)
	}
	page := entryPath(t, entry)
	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{page: 0o600, filepath.Dir(page): 0o700 | os.ModeDir} {
			if fi, err := os.Stat(p); err != nil || fi.Mode() != want {
				t.Fatalf("%s: mode %v (%v), want %v", p, fi.Mode(), err, want)
			}
		}
	}
	b, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(b), s.StartURL()) || strings.Contains(string(b), "SECRETCHALLENGE") {
		t.Fatalf("page: %s (%v); want a link to the start URL only", b, err)
	}

	resp := noFollow(t, s.StartURL())
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != authorizeURL {
		t.Fatalf("start URL: %s → %q", resp.Status, resp.Header.Get("Location"))
	}
	if _, err := os.Stat(filepath.Dir(page)); !os.IsNotExist(err) {
		t.Fatalf("the page's directory is still there after the start: %v", err)
	}
	if resp := noFollow(t, s.StartURL()); resp.StatusCode != http.StatusGone {
		t.Fatalf("start URL a second time: %s, want 410", resp.Status)
	}
	// The flow goes on to its callback.
	if code, _, res, err := complete(t, s, s.RedirectURL()+"?code=abc", nil); code != http.StatusOK || err != nil || res.Code != "abc" {
		t.Fatalf("callback: %d %+v %v", code, res, err)
	}
}

// TestCallbackBeforeStartIsRefused: a code delivered before the browser was
// sent to the authorize URL cannot belong to this flow.
func TestCallbackBeforeStartIsRefused(t *testing.T) {
	s := start(t, Options{})
	if _, err := s.Handoff(authorizeURL); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, s.RedirectURL()+"?code=planted"); code != http.StatusNotFound {
		t.Fatalf("callback before the start: %d, want 404", code)
	}
	noFollow(t, s.StartURL())
	if code, _, res, err := complete(t, s, s.RedirectURL()+"?code=real", nil); code != http.StatusOK || err != nil || res.Code != "real" {
		t.Fatalf("callback after the start: %d %+v %v", code, res, err)
	}
}

// TestCloseRemovesTheUnusedPage: a flow that ends before the browser came
// leaves nothing behind.
func TestCloseRemovesTheUnusedPage(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	entry, err := s.Handoff(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Dir(entryPath(t, entry))); !os.IsNotExist(err) {
		t.Fatalf("the page's directory survived Close: %v", err)
	}
}
