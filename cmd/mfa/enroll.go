package mfa

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// EnrollOptions of `authctl mfa enroll`.
type EnrollOptions struct {
	F                    *cmdutil.Factory
	Type                 string
	FriendlyName, Issuer string
	Phone                string
	NoVerify             bool
}

// NewCmdEnroll builds `authctl mfa enroll`.
func NewCmdEnroll(f *cmdutil.Factory, runF func(context.Context, *EnrollOptions) error) *cobra.Command {
	opts := &EnrollOptions{F: f}
	cmd := &cobra.Command{
		Use:   "enroll --type totp|phone [--friendly-name N] [--issuer I] [--phone P] [--no-verify]",
		Short: "Enroll a TOTP or phone factor and verify it",
		Long: heredoc.Docf(`
			Enroll a second factor. For TOTP, a terminal shows the QR code of the otpauth:// URI to
			scan with an authenticator app and the secret to type; the URI too when the screen has room
			(a screen too small for the code gets the secret and URI only). The command then asks for
			the first code and verifies it, which stores an aal2 session. For a phone factor the code
			comes by SMS. --no-verify stops after enrolling.

			Without a terminal, or with --json, no QR code is drawn and nothing is asked: --json gives
			{id, type, totp: {secret, uri, qr_code}} (qr_code is the server's SVG as a data URI); finish
			with %[1]sauthctl mfa challenge-and-verify ID --code CODE%[1]s. WebAuthn factors need a browser.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl mfa enroll --type totp --friendly-name laptop
			  authctl mfa enroll --type phone --phone +15555550100
			  authctl mfa enroll --type totp --json --jq .totp.secret
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, checkEnrollFlags, runF, runEnroll),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Type, "type", "totp", "factor `TYPE`: totp or phone")
	cmdutil.CompleteValues(cmd, "type", "totp", "phone")
	fl.StringVar(&opts.FriendlyName, "friendly-name", "", "a `NAME` to tell your factors apart")
	fl.StringVar(&opts.Issuer, "issuer", "", "TOTP: the `NAME` the authenticator app shows (default: the project's)")
	fl.StringVar(&opts.Phone, "phone", "", "phone: the `PHONE` number that receives codes, international format")
	fl.BoolVar(&opts.NoVerify, "no-verify", false, "stop after enrolling; verify later with challenge-and-verify")
	return cmd
}

func checkEnrollFlags(o *EnrollOptions) error {
	switch o.Type {
	case auth.FactorTypeTOTP:
		if o.Phone != "" {
			return cmdutil.FlagErrorf("--phone is for --type phone")
		}
	case auth.FactorTypePhone:
		if o.Issuer != "" {
			return cmdutil.FlagErrorf("--issuer is for --type totp")
		}
		return shared.Ask(o.F, &o.Phone, "--phone", "Phone", shared.ValidatePhone)
	case auth.FactorTypeWebAuthn:
		return auth.ErrWebAuthnUnsupported
	default:
		return cmdutil.FlagErrorf("--type must be totp or phone, not %q", o.Type)
	}
	return nil
}

func runEnroll(ctx context.Context, opts *EnrollOptions) error {
	f := opts.F
	c, err := f.Client()
	if err != nil {
		return err
	}
	res, err := c.MFA().Enroll(ctx, auth.MFAEnrollParams{FactorType: opts.Type, FriendlyName: opts.FriendlyName,
		Issuer: opts.Issuer, Phone: opts.Phone})
	if err != nil {
		return shared.ExplainAAL(err)
	}
	// Machine output is the enrolment itself: nothing is drawn or asked.
	if f.WantsJSON() {
		return f.PrintJSON(res)
	}
	next := fmt.Sprintf("authctl mfa challenge-and-verify %s --code CODE", res.ID)
	verify := !opts.NoVerify && f.IOStreams.CanPrompt()
	var after []string // what must stay on the screen below the QR code
	if !verify {
		after = append(after, "Verify it with: "+next)
	}
	if err := printEnrollment(f, res, after); err != nil {
		return err
	}
	if !verify {
		return nil
	}
	s, err := shared.VerifyFactor(ctx, f, c, res.ID, "", "")
	if err != nil {
		f.Warnf("the factor stays unverified; retry with `%s`", next)
		return err
	}
	return printVerified(f, s)
}

// promptRows is what the code prompt takes below the enrolment: one line.
const promptRows = 1

// printEnrollment shows the new factor, then the lines of after. For TOTP
// on a terminal it draws the QR code so that the code, the secret and
// what follows (the code prompt, or after) fit the screen together: a code
// whose top scrolled away cannot be scanned. It picks the widest quiet zone
// that fits and leaves out the URI and factor lines (the URI is what the
// code holds) before giving up; when nothing fits it says so and prints
// the secret and URI to type or paste instead.
func printEnrollment(f *cmdutil.Factory, res *auth.MFAEnrollResponse, after []string) error {
	p := f.Printer()
	var details []string
	if res.TOTP != nil {
		details = append(details, "URI:    "+res.TOTP.URI)
	}
	if res.Phone != "" {
		details = append(details, "Phone:  +"+strings.TrimPrefix(res.Phone, "+"))
	}
	details = append(details, fmt.Sprintf("Factor: %s (%s, unverified)", res.ID, res.Type))
	var head []string
	if res.TOTP != nil {
		head = append(head, "Secret: "+res.TOTP.Secret)
		if p.IsTTY {
			code, full, err := fitQR(f, scanURI(res.TOTP.URI), head, details, after)
			if err != nil {
				return err
			}
			if code != "" {
				if _, err := io.WriteString(p.Out, code); err != nil {
					return err
				}
				if !full {
					details = nil
				}
			}
		}
	}
	return printLines(p.Out, head, details, after)
}

// fitQR draws uri as a QR code in a terminal of the screen's size with text
// below it: with the details (full) if they fit, else without. It returns
// "" when no quiet zone fits, after saying so.
func fitQR(f *cmdutil.Factory, uri string, head, details, after []string) (code string, full bool, err error) {
	width, height := f.IOStreams.TerminalSize()
	below := rows(width, head...) + rows(width, after...)
	if len(after) == 0 {
		below += promptRows
	}
	needW, needH := 0, 0
	for _, withDetails := range []bool{true, false} {
		for _, zone := range []int{render.QRQuietZone, 2, 1} {
			var buf bytes.Buffer
			if err := render.QR(&buf, uri, zone); err != nil {
				return "", false, err
			}
			first, _, _ := strings.Cut(buf.String(), "\n")
			w, h := utf8.RuneCountInString(stripSGR(first)), strings.Count(buf.String(), "\n")
			needW, needH = w, h+below
			if withDetails {
				h += rows(width, details...)
			}
			if w <= width && h+below <= height {
				return buf.String(), withDetails, nil
			}
		}
	}
	f.Warnf("no room for the QR code (the terminal is %d×%d, it needs %d×%d): enlarge the terminal, or type the secret into your app",
		width, height, needW, needH)
	return "", false, nil
}

// totpDefaults are the otpauth:// parameters whose values are the Key URI
// Format's defaults, which every authenticator app assumes when they are
// absent.
var totpDefaults = map[string]string{"algorithm": "SHA1", "digits": "6", "period": "30"}

// scanURI is the URI to draw: the server's, without parameters that merely
// state the defaults. The code gets one or two versions smaller (the
// server's URI for a typical address needs 45 modules, too many for 24
// rows) and means the same key to every app.
func scanURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" {
		return uri
	}
	q := u.Query()
	for k, def := range totpDefaults {
		if strings.EqualFold(q.Get(k), def) {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// rows counts the screen rows lines take when wrapped at width.
func rows(width int, lines ...string) int {
	n := 0
	for _, l := range lines {
		n += max(1, (utf8.RuneCountInString(l)+width-1)/width)
	}
	return n
}

func printLines(w io.Writer, blocks ...[]string) error {
	for _, b := range blocks {
		for _, l := range b {
			if _, err := fmt.Fprintln(w, l); err != nil {
				return err
			}
		}
	}
	return nil
}

// stripSGR removes the colour escapes render.QR writes.
func stripSGR(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], 'm')
		if j < 0 {
			return b.String()
		}
		s = s[i+j+1:]
	}
}
