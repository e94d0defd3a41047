//go:build chromium

package login

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/chromiumtest"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/emulator"
	"github.com/authctl/authctl/internal/loopback"
)

// TestOAuthInChromium signs in with a real, headless Chromium as the
// command's browser: the emulator's /authorize, its mock identity
// provider's page (the "Sign in" button is clicked), the redirect to the
// loopback receiver, its success page, the code exchange. chromedp drives
// Chromium over the DevTools protocol, which a click and reading the final
// page need; it is a test-only dependency.
//
// Built with -tags chromium only, so the ordinary unit tests of this package
// depend neither on Chromium nor on the emulator. Run with -tags chromium
// and AUTHCTL_TEST_CHROMIUM=1 (.ci/chromium-tests.sh installs Chromium);
// AUTHCTL_CHROMIUM names the executable when it is not on PATH, and
// AUTHCTL_TEST_ARTIFACTS a directory that keeps a copy of the screenshot.
func TestOAuthInChromium(t *testing.T) {
	chromiumtest.Enabled(t)
	begin := time.Now()

	emuURL, anonKey := startEmulator(t)
	h := cmdutiltest.New(t, nil)
	h.Connect(t, emuURL+"/auth/v1", anonKey)
	h.F.Storage = func() (auth.Storage, cmdutil.StorageInfo, error) { return h.Storage, cmdutil.StorageInfo{}, nil }

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Chromium starts before the flow, so its start-up is not part of --timeout.
	browserCtx := chromiumtest.Start(t, ctx)
	started := time.Now()

	type finalPage struct {
		heading, url string
		shot         []byte
		err          error
	}
	pageDone := make(chan finalPage, 1)
	opener := func(u string) error {
		go func() {
			var p finalPage
			defer func() { pageDone <- p }()
			submit := chromedp.CSS(`form button[type=submit]`)
			if p.err = chromedp.Do(browserCtx, chromedp.Navigate(u), chromedp.WaitVisible(submit), chromedp.Click(submit),
				chromedp.WaitVisible(chromedp.CSS(`#authctl-result`))); p.err != nil {
				return
			}
			if p.heading, p.err = chromedp.Run(browserCtx, chromedp.Text(chromedp.CSS(`#authctl-result h1`))); p.err != nil {
				return
			}
			if p.url, p.err = chromedp.Run(browserCtx, chromedp.Location()); p.err != nil {
				return
			}
			p.shot, p.err = chromedp.Run(browserCtx, chromedp.FullScreenshot(100))
		}()
		return nil
	}
	const email = "chromium-user@example.com"
	err := runOAuth(ctx, &OAuthOptions{F: h.F, Client: h.F.PKCEClient, Provider: "github",
		Query:       []string{"login_hint=" + email},
		BrowserFlow: shared.BrowserFlow{Timeout: time.Minute, OpenBrowser: opener}})
	if err != nil {
		t.Fatalf("runOAuth: %v\nstderr: %s", err, h.Stderr)
	}
	page := <-pageDone
	if page.err != nil {
		t.Fatal("driving chromium:", page.err)
	}
	chromiumtest.SaveScreenshot(t, "oauth-chromium-success.png", page.shot)

	if page.heading != "You are signed in" {
		t.Fatalf("final page heading %q", page.heading)
	}
	if u, err := url.Parse(page.url); err != nil || u.Hostname() != "127.0.0.1" || !strings.HasPrefix(u.Path, "/callback/") {
		t.Fatalf("final URL %q is not the loopback callback", redact(page.url))
	}
	if s := h.Stored(t); s == nil || s.User.Email != email {
		t.Fatalf("stored session: %+v", s)
	}
	if _, ok, _ := h.Storage.GetItem(context.Background(), h.PKCE.StorageKey()+"-code-verifier"); ok {
		t.Fatal("the code verifier is still stored")
	}
	if len(page.shot) < 1000 {
		t.Fatalf("screenshot of %d bytes", len(page.shot))
	}
	t.Logf("chromium start-up %s, sign-in %s", started.Sub(begin).Round(time.Millisecond), time.Since(started).Round(time.Millisecond))
}

// TestLoopbackFragmentInChromium: an error the server puts in the #fragment
// (which browsers never send) reaches the CLI through the result page's
// script, in a real browser.
func TestLoopbackFragmentInChromium(t *testing.T) {
	chromiumtest.Enabled(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	browserCtx := chromiumtest.Start(t, ctx)
	recv, err := loopback.Start(loopback.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer recv.Close()
	u := recv.RedirectURL() + "#error=access_denied&error_code=provider_denied&error_description=Denied+in+the+fragment"
	if err := chromedp.Do(browserCtx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(`#authctl-result[data-ok="false"] pre`))); err != nil {
		t.Fatal("driving chromium:", err)
	}
	detail, err := chromedp.Run(browserCtx, chromedp.Text(chromedp.CSS(`#authctl-result pre`)))
	if err != nil || detail != "Denied in the fragment" {
		t.Fatalf("page detail %q, %v", detail, err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	_, err = recv.Wait(wctx)
	var ce *loopback.CallbackError
	if !errors.As(err, &ce) || ce.Code != "provider_denied" || ce.Description != "Denied in the fragment" {
		t.Fatalf("Wait: %v", err)
	}
}

// redact drops the query (the code) from a URL for a failure message.
func redact(u string) string {
	before, _, _ := strings.Cut(u, "?")
	return before
}

// startEmulator serves an in-memory emulator on a free loopback port.
func startEmulator(t *testing.T) (baseURL, anonKey string) {
	t.Helper()
	cfg := emulator.DefaultConfig()
	cfg.Logf = func(string, ...any) {}
	emu, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = emu.Serve(ctx, l) }()
	return "http://" + l.Addr().String(), emu.AnonKey()
}
