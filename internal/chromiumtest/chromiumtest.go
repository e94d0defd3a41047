//go:build chromium

// Package chromiumtest runs a real, headless Chromium for the tests built
// with -tags chromium (.ci/chromium-tests.sh), with nothing beyond
// 127.0.0.1. chromedp drives it over the DevTools protocol; it is a
// test-only dependency, and this package is compiled only with the tag.
package chromiumtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Enabled skips the test unless AUTHCTL_TEST_CHROMIUM=1.
func Enabled(t *testing.T) {
	t.Helper()
	if os.Getenv("AUTHCTL_TEST_CHROMIUM") != "1" {
		t.Skip("set AUTHCTL_TEST_CHROMIUM=1 to run against a real Chromium (see .ci/chromium-tests.sh)")
	}
}

// Start starts a headless Chromium for the test and opens a tab; the
// browser ends with ctx or the test.
func Start(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, flags(path(t), t.TempDir())...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal("starting chromium:", err)
	}
	return browserCtx
}

// SaveScreenshot writes png under the test's temporary directory and, when
// AUTHCTL_TEST_ARTIFACTS names a directory, keeps a copy there as name
// (t.TempDir is removed after the test; CI keeps the copy to look at).
func SaveScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", p, len(png))
	if dir := os.Getenv("AUTHCTL_TEST_ARTIFACTS"); dir != "" {
		kept := filepath.Join(dir, name)
		if err := os.WriteFile(kept, png, 0o644); err == nil {
			t.Logf("kept a copy: %s", kept)
		}
	}
}

// path is AUTHCTL_CHROMIUM, or the first Chromium on PATH.
func path(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("AUTHCTL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("AUTHCTL_TEST_CHROMIUM=1 but no chromium on PATH (apt-get install chromium, or set AUTHCTL_CHROMIUM)")
	return ""
}

// flags run Chromium headless with nothing beyond 127.0.0.1: no sandbox
// (root in a container), no GPU, no QUIC, no first-run, sync, component or
// background traffic, every other host name unresolvable and every
// non-loopback request sent to a dead proxy.
func flags(exe, profileDir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profileDir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.ProxyServer("http://127.0.0.1:9"),
		chromedp.WindowSize(1000, 700),
	}
}
