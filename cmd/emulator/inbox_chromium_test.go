//go:build chromium

package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authctl/authctl/internal/chromiumtest"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/emulator"
)

// TestInboxInChromium: the inbox page the banner links to, in a real
// headless Chromium. A message whose redirect URL carries markup is shown
// with its code and a working link and nothing of it runs; a message sent
// while the page is open appears on its own (the page's script, under its
// CSP), newest first. Run with -tags chromium and AUTHCTL_TEST_CHROMIUM=1
// (.ci/chromium-tests.sh); AUTHCTL_TEST_ARTIFACTS keeps the screenshot.
func TestInboxInChromium(t *testing.T) {
	chromiumtest.Enabled(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// The emulator command itself, for the inbox URL its banner gives.
	h := cmdutiltest.New(t, nil)
	h.F.Flags.JSON = true
	h.F.IOStreams.ErrOut = io.Discard // the request log, written from the server's goroutines
	ready := make(chan string, 1)
	opts := &Options{F: h.F, Config: emulator.DefaultConfig(), Ready: func(addr string) { ready <- addr }}
	opts.Config.Port = 0
	emuCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runEmulator(emuCtx, opts) }()
	defer func() { stop(); <-done }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal("emulator:", err)
	}
	var info Info
	if err := json.Unmarshal(h.Stdout.Bytes(), &info); err != nil || info.Inbox == "" {
		t.Fatalf("banner: %v %s", err, h.Stdout)
	}

	sendOTP := func(email, redirect string) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"email": email, "data": map[string]string{"name": "<script>window.pwned=1</script>"}})
		resp, err := http.Post(info.URL+"/otp?redirect_to="+redirect, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST /otp: %s", resp.Status)
		}
	}
	sendOTP("first@example.com", `http://127.0.0.1:3000/welcome?next=%22%3E%3Cscript%3Ewindow.pwned%3D2%3C/script%3E`)
	var sent []struct {
		To         string `json:"to"`
		OTP        string `json:"otp"`
		ActionLink string `json:"action_link"`
	}
	resp, err := http.Get(info.URL + "/emulator/messages") // no key: from this machine
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&sent)
	resp.Body.Close()
	if err != nil || len(sent) != 1 {
		t.Fatalf("messages: %v %+v", err, sent)
	}

	browser := chromiumtest.Start(t, ctx)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal("driving chromium:", err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(browser, chromedp.Text(chromedp.CSS(sel)))
		must(err)
		return s
	}
	must(chromedp.Do(browser, chromedp.Navigate(info.Inbox), chromedp.WaitVisible(chromedp.CSS(`tr.message`))))
	code, shownLink := text(`tr.message .code`), text(`tr.message .link a`)
	href, err := chromedp.Run(browser, chromedp.AttributeValue(chromedp.CSS(`tr.message .link a`), "href"))
	must(err)
	// html/template percent-encodes what a URL attribute must not hold raw;
	// the browser sends the same link.
	if code != sent[0].OTP || unescape(t, href.Value) != unescape(t, sent[0].ActionLink) || shownLink != sent[0].ActionLink || !strings.Contains(shownLink, `"><script>`) {
		t.Fatalf("shown: code %q link %q (text %q); sent %+v", code, href.Value, shownLink, sent[0])
	}

	// Sent while the page is open: it appears on its own, first.
	sendOTP("second@example.com", "")
	must(chromedp.Do(browser, chromedp.WaitVisible(chromedp.CSS(`tr.message:nth-of-type(2)`))))
	newest := text(`tr.message .to`)
	rows, err := chromedp.Run(browser, chromedp.Evaluate[int](`document.querySelectorAll("tr.message").length`))
	must(err)
	scripts, err := chromedp.Run(browser, chromedp.Evaluate[int](`document.scripts.length`))
	must(err)
	pwned, err := chromedp.Run(browser, chromedp.Evaluate[bool](`window.pwned !== undefined`))
	must(err)
	if newest != "second@example.com" || rows != 2 || scripts != 1 || pwned {
		t.Fatalf("after a new message: newest %q, %d rows, %d scripts, injected script ran: %v", newest, rows, scripts, pwned)
	}
	shot, err := chromedp.Run(browser, chromedp.FullScreenshot(100))
	must(err)
	chromiumtest.SaveScreenshot(t, "inbox-chromium.png", shot)
	if len(shot) < 1000 {
		t.Fatalf("screenshot of %d bytes", len(shot))
	}
}

func unescape(t *testing.T, u string) string {
	t.Helper()
	s, err := url.PathUnescape(u)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
