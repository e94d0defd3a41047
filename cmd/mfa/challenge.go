package mfa

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// ChallengeOptions of `authctl mfa challenge`.
type ChallengeOptions struct {
	F        *cmdutil.Factory
	Client   func() (*auth.Client, error)
	FactorID string
	Channel  shared.Channel
}

// NewCmdChallenge builds `authctl mfa challenge`.
func NewCmdChallenge(f *cmdutil.Factory, runF func(context.Context, *ChallengeOptions) error) *cobra.Command {
	opts := &ChallengeOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "challenge FACTOR_ID [--channel sms|whatsapp]",
		Short: "Create a challenge for a factor (sends the SMS for phone factors)",
		Long: heredoc.Docf(`
			Create a challenge, to answer with %[1]sauthctl mfa verify%[1]s before it expires. For a phone
			factor the server sends the code by SMS, or WhatsApp with --channel whatsapp.
		`, "`"),
		Example:           "  authctl mfa challenge \"$FACTOR_ID\" --jq .id",
		Args:              cmdutil.ExactArgs(1, "the factor ID"),
		ValidArgsFunction: shared.CompleteFactorIDs(f, 0),
		RunE: cmdutil.CheckedRunE(opts,
			func(o *ChallengeOptions) error { return o.Channel.Validate() },
			runF, runChallenge, &opts.FactorID),
	}
	opts.Channel.AddFactorFlag(cmd)
	return cmd
}

func runChallenge(ctx context.Context, opts *ChallengeOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ch, err := c.MFA().Challenge(ctx, auth.MFAChallengeParams{FactorID: opts.FactorID, Channel: opts.Channel.Value})
	if err != nil {
		return shared.ExplainAAL(err)
	}
	return opts.F.Print(ch, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "challenge id: %s\nexpires:      %s\n", ch.ID,
			time.Unix(ch.ExpiresAt, 0).Local().Format("2006-01-02 15:04:05 MST"))
		return err
	})
}
