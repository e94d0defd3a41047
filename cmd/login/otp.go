package login

import (
	"cmp"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// OTPOptions of `authctl login otp`.
type OTPOptions struct {
	F          *cmdutil.Factory
	Client     func() (*auth.Client, error)
	PKCEClient func() (*auth.Client, error)
	shared.Contact
	NoCreateUser bool
	Code         string
	CodeStdin    bool
	Data         string
	RedirectTo   string
	Flow         shared.Flow
	StepUp       shared.StepUpOptions
}

// NewCmdOTP builds `authctl login otp`.
func NewCmdOTP(f *cmdutil.Factory, runF func(context.Context, *OTPOptions) error) *cobra.Command {
	opts := &OTPOptions{F: f, Client: f.Client, PKCEClient: f.PKCEClient}
	cmd := &cobra.Command{
		Use:   "otp (--email E | --phone P) [--no-create-user] [--code C | --code-stdin]",
		Short: "Sign in with a one-time code sent by email or SMS",
		Long: heredoc.Docf(`
			Send a one-time code (and, by email, a magic link), then sign in with it.

			On a terminal the code is asked for (masked) once it is sent. With --code or --code-stdin
			nothing is sent: the code you already received is verified. Without a terminal and without
			a code, the code is sent and the command exits 0 saying how to finish:
			%[1]sauthctl login otp --email E --code-stdin%[1]s (or %[1]sauthctl verify%[1]s). A code is useless once
			used, so --code on the command line is accepted.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl login otp --email me@example.com
			  authctl login otp --phone +15555550100 --no-create-user
			  echo 123456 | authctl login otp --phone +15555550100 --code-stdin
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runOTP),
	}
	fl := cmd.Flags()
	opts.Contact.AddFlags(cmd, true)
	fl.BoolVar(&opts.NoCreateUser, "no-create-user", false, "fail instead of creating a user for an unknown address")
	fl.StringVar(&opts.Code, "code", "", "the `CODE` received: verify it without sending a new one")
	fl.BoolVar(&opts.CodeStdin, "code-stdin", false, "read the code received from stdin (nothing is sent)")
	fl.StringVar(&opts.Data, "data", "", "metadata for a new user, as a `JSON` object or @file")
	fl.StringVar(&opts.RedirectTo, "redirect-to", "", "`URL` the magic link leads to")
	opts.Flow.AddFlag(fl)
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

func runOTP(ctx context.Context, opts *OTPOptions) error {
	f := opts.F
	if err := shared.ServerAnswers(ctx, f, opts.Client); err != nil {
		return err
	}
	if err := opts.Contact.Resolve(f); err != nil {
		return err
	}
	if opts.Code != "" && opts.CodeStdin {
		return cmdutil.FlagErrorf("give either --code or --code-stdin, not both")
	}
	data, err := shared.JSONObject("--data", opts.Data)
	if err != nil {
		return err
	}
	clientFn, err := opts.Flow.Pick(opts.Client, opts.PKCEClient)
	if err != nil {
		return err
	}
	c, err := clientFn()
	if err != nil {
		return err
	}
	otpType := auth.OTPEmail
	if opts.Phone != "" {
		otpType = auth.OTPSMS
	}
	code := opts.Code
	if code == "" && opts.CodeStdin {
		if code, err = shared.Secret(f, true, "--code-stdin", "", shared.NotEmpty("the code")); err != nil {
			return err
		}
	}
	if code == "" {
		create := !opts.NoCreateUser
		msgID, err := c.SignInWithOTP(ctx, auth.OTPCredentials{Email: opts.Email, Phone: opts.Phone,
			ShouldCreateUser: &create, Data: data, EmailRedirectTo: opts.RedirectTo,
			CaptchaToken: opts.CaptchaToken, Channel: opts.Channel.Value})
		if err != nil {
			return err
		}
		if !f.IOStreams.CanPrompt() {
			return printSent(f, opts, msgID)
		}
		to := cmp.Or(opts.Email, opts.Phone)
		f.Infof("Code sent to %s", to)
		if shared.IsEmulator(ctx, f, c, to) {
			// It sends nothing: say where the code is.
			fmt.Fprintf(f.IOStreams.ErrOut, "  Read it with: authctl emulator messages --to %s\n", to)
		}
		if code, err = f.Prompter().Password("Code", shared.NotEmpty("the code")); err != nil {
			return err
		}
	}
	ar, err := c.VerifyOTP(ctx, auth.VerifyOTPParams{Email: opts.Email, Phone: opts.Phone, Token: code,
		Type: otpType, RedirectTo: opts.RedirectTo})
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, f, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(f, ar, "")
}

// printSent reports a code sent by a script: nobody can type it here, so
// the output says how to finish (exit 0: sending was asked and done).
func printSent(f *cmdutil.Factory, opts *OTPOptions, msgID string) error {
	flag, to := "--email", opts.Email
	if opts.Phone != "" {
		flag, to = "--phone", opts.Phone
	}
	var id *string
	if msgID != "" {
		id = &msgID
	}
	return f.Print(map[string]*string{"message_id": id}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "Code sent to %s. Finish with:\n  authctl login otp %s %s --code-stdin\n", to, flag, to)
		return err
	})
}
