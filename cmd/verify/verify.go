// Package verify implements `authctl verify`: confirm a sign-up, a magic
// link, a recovery or a change with the code or token hash that was sent.
package verify

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl verify`.
type Options struct {
	F            *cmdutil.Factory
	Client       func() (*auth.Client, error)
	Type         string
	Email, Phone string
	Token        string
	TokenStdin   bool
	TokenHash    string
	RedirectTo   string
	StepUp       shared.StepUpOptions
}

// NewCmdVerify builds `authctl verify`.
func NewCmdVerify(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "verify --type T (--email E | --phone P) (--token C | --token-stdin) | verify --type T --token-hash H",
		Short: "Verify a one-time code or token hash and sign in",
		Long: heredoc.Docf(`
			Verify the code (or the token hash of a link) that was sent by email or SMS. When the
			server answers with a session it is stored.

			Types: %s (email, token hash); %s (phone).
			A code is useless once used, so --token on the command line is accepted; --token-stdin
			keeps it out of argv, and on a terminal it is asked for (masked).
		`, strings.Join(shared.EmailOTPTypes, ", "), strings.Join(shared.PhoneOTPTypes, ", ")),
		Example: heredoc.Doc(`
			  authctl verify --type email --email me@example.com --token 123456
			  authctl verify --type sms --phone +15555550100 --token-stdin <<< 123456
			  authctl verify --type recovery --token-hash 5e8b…
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runVerify),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Type, "type", "", "OTP `TYPE`: "+strings.Join(shared.OTPTypes(), ", "))
	cmdutil.CompleteValues(cmd, "type", shared.OTPTypes()...)
	fl.StringVar(&opts.Email, "email", "", "`EMAIL` address the code was sent to")
	fl.StringVar(&opts.Phone, "phone", "", "`PHONE` number the code was sent to")
	fl.StringVar(&opts.Token, "token", "", "the `CODE` received")
	fl.BoolVar(&opts.TokenStdin, "token-stdin", false, "read the code from stdin")
	fl.StringVar(&opts.TokenHash, "token-hash", "", "the token `HASH` of an email link (instead of --email and a code)")
	fl.StringVar(&opts.RedirectTo, "redirect-to", "", "redirect `URL` recorded with the verification")
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

func runVerify(ctx context.Context, opts *Options) error {
	f := opts.F
	if opts.Type == "" {
		return cmdutil.FlagErrorf("--type is required: one of %s", strings.Join(shared.OTPTypes(), ", "))
	}
	p := auth.VerifyOTPParams{Type: auth.OTPType(opts.Type), RedirectTo: opts.RedirectTo}
	if opts.TokenHash != "" {
		if opts.Email != "" || opts.Phone != "" || opts.Token != "" || opts.TokenStdin {
			return cmdutil.FlagErrorf("--token-hash stands alone: drop --email, --phone and --token")
		}
		if err := shared.ValidateOTPType(opts.Type, false); err != nil {
			return err
		}
		p.TokenHash = opts.TokenHash
	} else {
		if err := shared.EmailOrPhone(f, &opts.Email, &opts.Phone); err != nil {
			return err
		}
		if err := shared.ValidateOTPType(opts.Type, opts.Phone != ""); err != nil {
			return err
		}
		tok, err := code(f, opts)
		if err != nil {
			return err
		}
		p.Email, p.Phone, p.Token = opts.Email, opts.Phone, tok
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ar, err := c.VerifyOTP(ctx, p)
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, f, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(f, ar, "is verified")
}

// code is --token, else stdin with --token-stdin, else a masked prompt.
func code(f *cmdutil.Factory, opts *Options) (string, error) {
	switch {
	case opts.Token != "" && opts.TokenStdin:
		return "", cmdutil.FlagErrorf("give either --token or --token-stdin, not both")
	case opts.Token != "":
		return opts.Token, nil
	}
	flag := "--token"
	if opts.TokenStdin {
		flag = "--token-stdin"
	}
	return shared.Secret(f, opts.TokenStdin, flag, "Code", shared.NotEmpty("the code"))
}
