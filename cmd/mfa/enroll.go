package mfa

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
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
		Long: "Enroll a second factor. For TOTP, a terminal shows the QR code of the otpauth:// URI to\n" +
			"scan with an authenticator app, then the secret and URI to copy; the command then asks for\n" +
			"the first code and verifies it, which stores an aal2 session. For a phone factor the code\n" +
			"comes by SMS. --no-verify stops after enrolling.\n\n" +
			"Without a terminal, or with --json, no QR code is drawn and nothing is asked: --json gives\n" +
			"{id, type, totp: {secret, uri, qr_code}} (qr_code is the server's SVG as a data URI); finish\n" +
			"with `authctl mfa challenge-and-verify ID --code CODE`. WebAuthn factors need a browser.",
		Example: "  authctl mfa enroll --type totp --friendly-name laptop\n" +
			"  authctl mfa enroll --type phone --phone +15555550100\n" +
			"  authctl mfa enroll --type totp --json --jq .totp.secret",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEnrollFlags(opts); err != nil {
				return err
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runEnroll)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Type, "type", "totp", "factor type: totp or phone")
	fl.StringVar(&opts.FriendlyName, "friendly-name", "", "a name to tell your factors apart")
	fl.StringVar(&opts.Issuer, "issuer", "", "TOTP: the name the authenticator app shows (default: the project's)")
	fl.StringVar(&opts.Phone, "phone", "", "phone: the number that receives codes, international format")
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
	if err := printEnrollment(f.Printer(), f, res); err != nil {
		return err
	}
	next := fmt.Sprintf("authctl mfa challenge-and-verify %s --code CODE", res.ID)
	if opts.NoVerify || !f.IOStreams.CanPrompt() {
		_, err := fmt.Fprintf(f.IOStreams.Out, "Verify it with: %s\n", next)
		return err
	}
	s, err := shared.VerifyFactor(ctx, f, c, res.ID, "", "")
	if err != nil {
		f.Warnf("the factor stays unverified; retry with `%s`", next)
		return err
	}
	return printVerified(f, s)
}

// printEnrollment shows the new factor: for TOTP the QR code (terminals
// only: it is useless in a file or pipe) and the secret and URI for apps
// that cannot scan.
func printEnrollment(p *cmdutil.Printer, f *cmdutil.Factory, res *auth.MFAEnrollResponse) error {
	w := p.Out
	if res.TOTP != nil {
		if p.IsTTY {
			if err := drawQR(p, f, res.TOTP.URI); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "Secret: %s\nURI:    %s\n", res.TOTP.Secret, res.TOTP.URI); err != nil {
			return err
		}
	}
	if res.Phone != "" {
		if _, err := fmt.Fprintf(w, "Phone:  +%s\n", strings.TrimPrefix(res.Phone, "+")); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "Factor: %s (%s, unverified)\n", res.ID, res.Type)
	return err
}

// drawQR draws the code (one column per module) unless the terminal is too narrow to show it whole:
// a wrapped QR code cannot be scanned, and the secret is printed anyway.
func drawQR(p *cmdutil.Printer, f *cmdutil.Factory, uri string) error {
	var buf bytes.Buffer
	if err := render.QR(&buf, uri); err != nil {
		return err
	}
	first, _, _ := strings.Cut(buf.String(), "\n")
	if width := utf8.RuneCountInString(stripSGR(first)); p.Width > 0 && width > p.Width {
		f.Warnf("the terminal is %d columns wide and the QR code needs %d: widen it, or type the secret below into the app", p.Width, width)
		return nil
	}
	fmt.Fprintln(p.Out, "Scan this QR code with your authenticator app:")
	_, err := p.Out.Write(buf.Bytes())
	return err
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
