package loopback

import (
	"bufio"
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// maxPasteLine bounds one pasted line: a callback URL is a few hundred bytes.
const maxPasteLine = 16 << 10

// codeRE is what a bare pasted code may look like: URL-safe characters, long
// enough that a stray "y" or "q" typed at the terminal is not sent as a code.
var codeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._~+/=-]{8,1000}$`) })

// readPaste completes the flow from the first acceptable line of r.
func (s *Server) readPaste(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), maxPasteLine)
	for sc.Scan() {
		if s.isDone() {
			return
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		o, reason := s.parsePasted(line)
		if reason != "" {
			s.say(reason)
			continue
		}
		s.deliver(o)
		return
	}
}

func (s *Server) isDone() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// parsePasted reads a pasted callback URL, query string or bare code. A URL
// must be this flow's callback: an address from another (older) flow would
// be exchanged against the wrong verifier and fail obscurely.
func (s *Server) parsePasted(line string) (outcome, string) {
	switch {
	case strings.HasPrefix(line, "http://") || strings.HasPrefix(line, "https://"):
		u, err := url.Parse(line)
		if err != nil {
			return outcome{}, "that does not look like a URL; paste the whole address from the browser, or just the code"
		}
		if u.Path != s.path {
			return outcome{}, "that address is not this sign-in's callback (its path differs); paste the address the browser ended on, or just the code"
		}
		return pastedParams(line, u.Query(), u.Fragment)
	case strings.Contains(line, "code=") || strings.Contains(line, "error"):
		// "?code=…" or "code=…&…" copied without the address part.
		q := strings.TrimPrefix(line, "?")
		frag := ""
		if i := strings.IndexByte(q, '#'); i >= 0 {
			q, frag = q[:i], q[i+1:]
		}
		params, err := url.ParseQuery(strings.TrimPrefix(q, "#"))
		if err != nil {
			return outcome{}, "could not read that; paste the whole address from the browser, or just the code"
		}
		return pastedParams(s.redirect+"?"+params.Encode(), params, frag)
	case codeRE().MatchString(line):
		return outcome{res: &Result{Code: line, URL: s.redirect + "?" + url.Values{"code": {line}}.Encode(), Pasted: true}}, ""
	}
	return outcome{}, "that is neither an address nor a code; paste the whole address from the browser, or just the code"
}

// pastedParams merges fragment parameters (an error sent in the #fragment)
// into the query's and reads the outcome.
func pastedParams(raw string, params url.Values, fragment string) (outcome, string) {
	if fragment != "" {
		if fp, err := url.ParseQuery(fragment); err == nil {
			for k, vs := range fp {
				if !params.Has(k) {
					params[k] = vs
				}
			}
		}
	}
	o, ok := outcomeFrom(raw, params, true)
	if !ok {
		return outcome{}, "that address carries neither a code nor an error; paste the address the browser ended on"
	}
	return o, ""
}
