// Command fakebrowser stands in for a person's browser in the end-to-end
// tests: authctl runs it as $BROWSER with the sign-in URL. It follows every
// redirect, submits the first POST form of a page as if its button were
// clicked (the emulator's mock identity provider), and writes where it ended
// and the final page's text to $AUTHCTL_E2E_BROWSER_LOG.
package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"time"
)

var (
	formRE  = regexp.MustCompile(`(?is)<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	inputRE = regexp.MustCompile(`(?is)<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"`)
)

func main() {
	if err := run(os.Args[len(os.Args)-1]); err != nil {
		logf("error: %v\n", err)
		os.Exit(1)
	}
}

func run(start string) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := client.Get(start)
	for clicks := 0; err == nil && clicks < 3; clicks++ {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
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
		resp, err = client.PostForm(action.String(), form)
	}
	if err != nil {
		return err
	}
	resp.Body.Close()
	return fmt.Errorf("too many forms")
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
