// Package resend implements `authctl resend`.
package resend

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// types maps each resend type to whether it goes to a phone (spec §6.17).
var types = map[string]bool{"signup": false, "email_change": false, "sms": true, "phone_change": true}

// Options of `authctl resend`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	Type   string
	shared.Contact
	RedirectTo string
}

// NewCmdResend builds `authctl resend`.
func NewCmdResend(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "resend --type signup|email_change|sms|phone_change (--email E | --phone P)",
		Short: "Send a confirmation or one-time code again",
		Long: heredoc.Doc(`
			Send the sign-up confirmation, email change confirmation or SMS code again. The server
			answers success without sending when there is nothing to confirm.
		`),
		Example: heredoc.Doc(`
			  authctl resend --type signup --email me@example.com
			  authctl resend --type sms --phone +15555550100
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runResend),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Type, "type", "", "`TYPE`: signup, email_change (with --email), sms or phone_change (with --phone)")
	cmdutil.CompleteValues(cmd, "type", slices.Sorted(maps.Keys(types))...)
	opts.Contact.AddFlags(cmd, false)
	fl.StringVar(&opts.RedirectTo, "redirect-to", "", "`URL` the confirmation link leads to")
	return cmd
}

func runResend(ctx context.Context, opts *Options) error {
	phone, ok := types[opts.Type]
	if !ok {
		names := make([]string, 0, len(types))
		for k := range types {
			names = append(names, k)
		}
		slices.Sort(names)
		return cmdutil.FlagErrorf("invalid --type %q: want one of %v", opts.Type, names)
	}
	if err := opts.Contact.Resolve(opts.F); err != nil {
		return err
	}
	if phone != (opts.Phone != "") {
		return cmdutil.FlagErrorf("--type %s goes with %s", opts.Type, map[bool]string{true: "--phone", false: "--email"}[phone])
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	msgID, err := c.Resend(ctx, auth.ResendParams{Type: auth.OTPType(opts.Type), Email: opts.Email, Phone: opts.Phone,
		EmailRedirectTo: opts.RedirectTo, CaptchaToken: opts.CaptchaToken})
	if err != nil {
		return err
	}
	var id *string
	if msgID != "" {
		id = &msgID
	}
	return opts.F.Print(map[string]*string{"message_id": id}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "Sent again to %s.\n", opts.Email+opts.Phone)
		return err
	})
}
