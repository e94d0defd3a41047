package mfa

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

func validChannel(ch string) error {
	switch ch {
	case "", "sms", "whatsapp":
		return nil
	}
	return cmdutil.FlagErrorf("--channel must be sms or whatsapp, not %q", ch)
}

// NewCmdChallenge builds `authctl mfa challenge`.
func NewCmdChallenge(f *cmdutil.Factory) *cobra.Command {
	var channel string
	cmd := &cobra.Command{
		Use:   "challenge FACTOR_ID [--channel sms|whatsapp]",
		Short: "Create a challenge for a factor (sends the SMS for phone factors)",
		Long: "Create a challenge, to answer with `authctl mfa verify` before it expires. For a phone\n" +
			"factor the server sends the code by SMS, or WhatsApp with --channel whatsapp.",
		Example: "  authctl mfa challenge \"$FACTOR_ID\" --jq .id",
		Args:    cmdutil.ExactArgs(1, "the factor ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validChannel(channel); err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			ch, err := c.MFA().Challenge(cmd.Context(), auth.MFAChallengeParams{FactorID: args[0], Channel: channel})
			if err != nil {
				return shared.ExplainAAL(err)
			}
			return f.Print(ch, func(p *cmdutil.Printer) error {
				_, err := fmt.Fprintf(p.Out, "challenge id: %s\nexpires:      %s\n", ch.ID,
					time.Unix(ch.ExpiresAt, 0).Local().Format("2006-01-02 15:04:05 MST"))
				return err
			})
		},
	}
	cmd.Flags().StringVar(&channel, "channel", "", "phone factors: sms (default) or whatsapp")
	return cmd
}

// NewCmdVerify builds `authctl mfa verify`.
func NewCmdVerify(f *cmdutil.Factory) *cobra.Command {
	var challengeID, code string
	cmd := &cobra.Command{
		Use:   "verify FACTOR_ID --challenge-id C --code X",
		Short: "Answer a challenge with a code and store the aal2 session",
		Example: "  id=$(authctl mfa challenge \"$FACTOR_ID\" --jq .id)\n" +
			"  authctl mfa verify \"$FACTOR_ID\" --challenge-id \"$id\" --code 123456",
		Args: cmdutil.ExactArgs(1, "the factor ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if challengeID == "" || code == "" {
				return cmdutil.FlagErrorf("--challenge-id and --code are required")
			}
			norm, err := shared.NormalizeCode(code)
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			s, err := c.MFA().Verify(cmd.Context(), auth.MFAVerifyParams{FactorID: args[0], ChallengeID: challengeID, Code: norm})
			if err != nil {
				return shared.ExplainAAL(err)
			}
			return printVerified(f, s)
		},
	}
	cmd.Flags().StringVar(&challengeID, "challenge-id", "", "the challenge's id, from `authctl mfa challenge`")
	cmd.Flags().StringVar(&code, "code", "", "the code from the authenticator app or SMS")
	return cmd
}

// NewCmdChallengeAndVerify builds `authctl mfa challenge-and-verify`.
func NewCmdChallengeAndVerify(f *cmdutil.Factory) *cobra.Command {
	var code, channel string
	cmd := &cobra.Command{
		Use:   "challenge-and-verify FACTOR_ID [--code X]",
		Short: "Challenge a factor and answer it in one step",
		Long: "Challenge a factor and verify the code, storing the aal2 session: the way to finish an\n" +
			"enrolment or a sign-in that stopped at aal1. Without --code, asks for it on a terminal.",
		Example: "  authctl mfa challenge-and-verify \"$FACTOR_ID\" --code 123456",
		Args:    cmdutil.ExactArgs(1, "the factor ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validChannel(channel); err != nil {
				return err
			}
			return runChallengeAndVerify(cmd.Context(), f, args[0], code, channel)
		},
	}
	cmd.Flags().StringVar(&code, "code", "", "the code from the authenticator app (TOTP factors)")
	cmd.Flags().StringVar(&channel, "channel", "", "phone factors: sms (default) or whatsapp")
	return cmd
}

func runChallengeAndVerify(ctx context.Context, f *cmdutil.Factory, factorID, code, channel string) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	s, err := shared.VerifyFactor(ctx, f, c, factorID, code, channel)
	if err != nil {
		return err
	}
	return printVerified(f, s)
}

// printVerified shows the aal2 session a verification stored.
func printVerified(f *cmdutil.Factory, s *auth.Session) error {
	return f.Print(s, func(p *cmdutil.Printer) error {
		if _, err := fmt.Fprintf(p.Out, "%s Factor verified\n", p.CS.Green(p.CS.SuccessIcon())); err != nil {
			return err
		}
		return shared.PrintSession(p, s)
	})
}

// NewCmdUnenroll builds `authctl mfa unenroll`.
func NewCmdUnenroll(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "unenroll FACTOR_ID",
		Short: "Remove a factor",
		Long: "Remove one of your factors. Removing a verified factor needs an aal2 session (exit 4\n" +
			"otherwise). The stored session keeps its level until it is refreshed.",
		Example: "  authctl mfa unenroll \"$FACTOR_ID\"",
		Args:    cmdutil.ExactArgs(1, "the factor ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := f.Client()
			if err != nil {
				return err
			}
			id, err := c.MFA().Unenroll(cmd.Context(), args[0])
			if err != nil {
				return shared.ExplainAAL(err)
			}
			return f.Print(map[string]string{"id": id}, func(p *cmdutil.Printer) error {
				_, err := fmt.Fprintf(p.Out, "%s Removed factor %s\n", p.CS.Green(p.CS.SuccessIcon()), id)
				return err
			})
		},
	}
}
