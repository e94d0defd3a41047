// Command fakebrowser stands in for a person's browser in the end-to-end
// tests: authctl runs it as $BROWSER with the sign-in URL, or with a file://
// page whose meta refresh it follows. It follows every redirect on this
// machine, submits the first POST form of a page as if its button were
// clicked (the emulator's mock identity provider), and writes to
// $AUTHCTL_E2E_BROWSER_LOG its command line ("argv:"), the entry page's mode
// ("entry-mode:"), every URL it visits ("visit:"), and where it ended and the
// final page's text. It never leaves the loopback addresses: a redirect to
// another host (a real identity provider) ends the run with "stopped-at:".
package main

import (
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

var (
	refreshRE = regexp.MustCompile(`(?is)<meta http-equiv="refresh" content="0;url=([^"]*)">`)
	formRE    = regexp.MustCompile(`(?is)<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	inputRE   = regexp.MustCompile(`(?is)<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"`)
)

func main() {
	logf("argv: %s\n", strings.Join(os.Args[1:], " "))
	err := run(os.Args[len(os.Args)-1])
	if err != nil {
		logf("error: %v\n", err)
	}
	logf("end\n")
	if err != nil {
		os.Exit(1)
	}
}

func run(start string) error {
	start, err := followEntryPage(start)
	if err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if ip := net.ParseIP(req.URL.Hostname()); ip == nil || !ip.IsLoopback() {
				logf("stopped-at: %s\n", req.URL.Host)
				return http.ErrUseLastResponse
			}
			logf("visit: %s\n", req.URL)
			return nil
		}}
	logf("visit: %s\n", start)
	resp, err := client.Get(start)
	for clicks := 0; err == nil && clicks < 3; clicks++ {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 == 3 {
			return nil // stopped at another host
		}
		m := formRE.FindSubmatch(body)
		if m == nil {
			logf("status: %d\nurl-host: %s\n%s", resp.StatusCode, resp.Request.URL.Host, body)
			return nil
		}
		action, _ := resp.Request.URL.Parse(html.UnescapeString(string(m[1])))
		form := url.Values{}
		for _, in := range inputRE.FindAllSubmatch(m[2], -1) {
			form.Set(html.UnescapeString(string(in[1])), html.UnescapeString(string(in[2])))
		}
		logf("visit: %s\n", action)
		resp, err = client.PostForm(action.String(), form)
	}
	if err != nil {
		return err
	}
	resp.Body.Close()
	return fmt.Errorf("too many forms")
}

// followEntryPage reads a file:// page and returns where its meta refresh
// leads; any other URL is returned as it is.
func followEntryPage(start string) (string, error) {
	u, err := url.Parse(start)
	if err != nil || u.Scheme != "file" {
		return start, err
	}
	if fi, err := os.Stat(u.Path); err == nil {
		logf("entry-mode: %s dir-mode: %s\n", fi.Mode(), dirMode(filepath.Dir(u.Path)))
	}
	b, err := os.ReadFile(u.Path)
	if err != nil {
		return "", err
	}
	m := refreshRE.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("the page %s has no meta refresh", u.Path)
	}
	return html.UnescapeString(string(m[1])), nil
}

func dirMode(dir string) string {
	fi, err := os.Stat(dir)
	if err != nil {
		return err.Error()
	}
	return fi.Mode().String()
}

func logf(format string, args ...any) {
	if p := os.Getenv("AUTHCTL_E2E_BROWSER_LOG"); p != "" {
		f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(f, format, args...)
			f.Close()
		}
	}
}
