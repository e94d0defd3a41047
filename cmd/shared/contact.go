package shared

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authctl/authctl/internal/cmdutil"
)

// Contact is the flag block of the commands that name a user by email or
// phone and may meet a captcha: signup, login password, login otp, resend.
// Channel is registered only where a code is sent by SMS (AddFlags' channel).
type Contact struct {
	Email, Phone string
	Channel      Channel
	CaptchaToken string
}

// AddFlags registers --email, --phone, --captcha-token and, with channel,
// --channel (default sms).
func (c *Contact) AddFlags(cmd *cobra.Command, channel bool) {
	fs := cmd.Flags()
	fs.StringVar(&c.Email, "email", "", "`EMAIL` address")
	fs.StringVar(&c.Phone, "phone", "", "`PHONE` number, international format")
	if channel {
		fs.StringVar(&c.Channel.Value, "channel", "sms", "`CHANNEL` for phones: sms or whatsapp")
		completeChannels(cmd)
	}
	AddCaptchaFlag(fs, &c.CaptchaToken)
}

// Resolve checks the block: exactly one of email and phone (the email asked
// for on a terminal when neither was given), then the channel.
func (c *Contact) Resolve(f *cmdutil.Factory) error {
	if err := EmailOrPhone(f, &c.Email, &c.Phone); err != nil {
		return err
	}
	return c.Channel.Validate()
}

// AddCaptchaFlag registers --captcha-token, which every command that may meet
// the project's captcha has.
func AddCaptchaFlag(fs *pflag.FlagSet, token *string) {
	fs.StringVar(token, "captcha-token", "", "captcha `TOKEN`, when the project requires one")
}

// Channel is --channel: how a phone receives its code. Empty leaves the
// choice to the server (sms).
type Channel struct{ Value string }

// AddFactorFlag registers --channel for the MFA commands, whose factor may
// not be a phone at all, so it has no default.
func (c *Channel) AddFactorFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.Value, "channel", "", "`CHANNEL` for phone factors: sms (default) or whatsapp")
	completeChannels(cmd)
}

func completeChannels(cmd *cobra.Command) { cmdutil.CompleteValues(cmd, "channel", "sms", "whatsapp") }

// Validate refuses a channel the server does not know.
func (c Channel) Validate() error {
	switch c.Value {
	case "", "sms", "whatsapp":
		return nil
	}
	return cmdutil.FlagErrorf("invalid --channel %q: want sms or whatsapp", c.Value)
}
