package shared

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/pkg/browser"
	"github.com/spf13/pflag"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/loopback"
)

// DefaultBrowserTimeout is how long a browser sign-in may take by default.
const DefaultBrowserTimeout = 5 * time.Minute

// BrowserFlow holds what the browser sign-ins (login oauth, login sso,
// identities link) share: how to reach the browser and how long to wait.
type BrowserFlow struct {
	NoBrowser bool
	Port      int
	Timeout   time.Duration
	// OpenBrowser opens url in a browser. Nil means the system's: $BROWSER
	// when set, else github.com/pkg/browser. Tests and the real-browser test
	// point it at their own opener.
	OpenBrowser func(url string) error
}

// AddFlags registers --no-browser, --port and --timeout.
func (b *BrowserFlow) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVar(&b.NoBrowser, "no-browser", false, "print the URL instead of opening a browser (automatic over SSH or without a display)")
	fl.IntVar(&b.Port, "port", 0, "`PORT` of the local callback receiver on 127.0.0.1 (default: a free one)")
	fl.DurationVar(&b.Timeout, "timeout", DefaultBrowserTimeout, "how long to wait for the browser: a `DURATION` such as 90s or 10m")
}

// StartFunc asks the Auth server where to send the browser, given the
// loopback redirect URL; it is where the PKCE verifier gets stored.
type StartFunc func(ctx context.Context, redirectTo string) (browserURL string, err error)

// Validate checks the flags (usage errors), so a command can refuse them
// before it sends any request.
func (b BrowserFlow) Validate() error {
	if b.Timeout <= 0 {
		return cmdutil.FlagErrorf("--timeout must be positive")
	}
	if b.Port < 0 || b.Port > 65535 {
		return cmdutil.FlagErrorf("invalid --port %d: want 1-65535, or 0 for a free one", b.Port)
	}
	return nil
}

// RunBrowserFlow runs a PKCE sign-in through the browser: bind the loopback
// receiver, start the flow with its redirect URL, open (or print) the
// server's URL, wait for the callback or a pasted URL/code, and exchange the
// code for a session, which the client stores. c must be in PKCE flow.
// what names the sign-in in messages ("sign in with GitHub").
func RunBrowserFlow(ctx context.Context, f *cmdutil.Factory, c *auth.Client, b BrowserFlow, what string, start StartFunc) (*auth.AuthResponse, error) {
	if c.FlowType() != auth.FlowPKCE {
		return nil, errors.New("internal error: browser sign-ins need a PKCE client")
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	ios := f.IOStreams
	var paste io.Reader
	if !f.Flags.NoInput {
		paste = ios.In
	}
	recv, err := loopback.Start(loopback.Options{Port: b.Port, Paste: paste,
		Notify: func(msg string) { fmt.Fprintln(ios.ErrOut, "  "+msg) }})
	if err != nil {
		return nil, err
	}
	defer recv.Close()

	// start stores a verifier (even when its request then fails): whatever
	// ends the flow early leaves none behind. The exchange removes it itself.
	done := false
	defer func() {
		if !done {
			removeCodeVerifier(f, c)
		}
	}()
	browserURL, err := start(ctx, recv.RedirectURL())
	if err != nil {
		return nil, err
	}

	open, why := chooseOpener(b, ios.Getenv, ios.ErrOut)
	if open != nil {
		// The browser's command line is readable by every local user: it
		// gets a private page, never the authorize URL (see loopback.Handoff).
		entry, err := recv.Handoff(browserURL)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(ios.ErrOut, "Opening the browser to %s.\nIf it does not open, visit (once, on this machine):\n\n  %s\n\n", what, recv.StartURL())
		if err := open(entry); err != nil {
			fmt.Fprintf(ios.ErrOut, "Could not open the browser (%v): open the address above yourself.\n", err)
		}
	} else {
		fmt.Fprintf(ios.ErrOut, "To %s, open this address in a browser%s:\n\n  %s\n\n", what, why, browserURL)
	}
	if paste != nil {
		fmt.Fprintf(ios.ErrOut, "Waiting up to %s. If the browser is on another machine, paste here the address it ends on (or the code).\n", b.Timeout)
	} else {
		fmt.Fprintf(ios.ErrOut, "Waiting up to %s for the browser…\n", b.Timeout)
	}

	wctx, cancel := context.WithTimeout(ctx, b.Timeout)
	res, err := recv.Wait(wctx)
	cancel()
	var ce *loopback.CallbackError
	switch {
	case errors.As(err, &ce):
		// The SDK turns the callback's error parameters into its typed error
		// (name, code, status for --json), without a request.
		_, sdkErr := c.SessionFromURL(ctx, ce.URL)
		if sdkErr == nil {
			sdkErr = ce
		}
		return nil, sdkErr
	case errors.Is(err, loopback.ErrTimeout):
		return nil, fmt.Errorf("no sign-in result after %s: run the command again (a longer --timeout, or --no-browser and paste the address)", b.Timeout)
	case err != nil:
		return nil, err
	}
	done = true
	var ar *auth.AuthResponse
	if res.Code != "" {
		ar, err = c.ExchangeCodeForSession(ctx, res.Code)
	} else {
		ar, err = c.SessionFromURL(ctx, res.URL)
	}
	// The browser's page says "signed in" only now that the session is stored.
	recv.Finish(err)
	return ar, err
}

// removeCodeVerifier forgets the verifier of an abandoned flow (spec §13 key).
func removeCodeVerifier(f *cmdutil.Factory, c *auth.Client) {
	if f.Storage == nil {
		return
	}
	s, _, err := f.Storage()
	if err != nil || s == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = s.RemoveItem(ctx, c.StorageKey()+"-code-verifier")
}

// chooseOpener picks how to open the browser: nil with a reason when the URL
// should only be printed. --no-browser wins; an injected opener or $BROWSER
// is used as given; otherwise SSH sessions and Linux without a display get
// the printed URL, since a browser launched there would open on no screen.
func chooseOpener(b BrowserFlow, getenv func(string) string, errOut io.Writer) (func(string) error, string) {
	switch {
	case b.NoBrowser:
		return nil, ""
	case b.OpenBrowser != nil:
		return b.OpenBrowser, ""
	case strings.TrimSpace(getenv("BROWSER")) != "":
		return envBrowser(getenv("BROWSER"), errOut), ""
	case getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "":
		return nil, " (this is an SSH session)"
	case runtime.GOOS == "linux" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "":
		return nil, " (no display was found)"
	}
	return func(u string) error {
		// The launcher's chatter must not reach stdout: `… --json | jq`.
		browser.Stdout, browser.Stderr = errOut, errOut
		return browser.OpenURL(u)
	}, ""
}

// envBrowser runs $BROWSER: a command with arguments, the URL replacing %s
// or appended. It is started, not waited for: a browser may run until closed.
func envBrowser(spec string, errOut io.Writer) func(string) error {
	return func(u string) error {
		args := strings.Fields(spec)
		replaced := false
		for i, a := range args {
			if strings.Contains(a, "%s") {
				args[i], replaced = strings.ReplaceAll(a, "%s", u), true
			}
		}
		if !replaced {
			args = append(args, u)
		}
		cmd := exec.Command(args[0], args[1:]...)
		// Its output goes to our stderr when that is a file; never to stdout.
		if fh, ok := errOut.(*os.File); ok {
			cmd.Stdout, cmd.Stderr = fh, fh
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
}
