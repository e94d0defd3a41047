package mfa

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// ChallengeAndVerifyOptions of `authctl mfa challenge-and-verify`.
type ChallengeAndVerifyOptions struct {
	F        *cmdutil.Factory
	Client   func() (*auth.Client, error)
	FactorID string
	Code     string
	Channel  shared.Channel
}

// NewCmdChallengeAndVerify builds `authctl mfa challenge-and-verify`.
func NewCmdChallengeAndVerify(f *cmdutil.Factory, runF func(context.Context, *ChallengeAndVerifyOptions) error) *cobra.Command {
	opts := &ChallengeAndVerifyOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "challenge-and-verify FACTOR_ID [--code X]",
		Short: "Challenge a factor and answer it in one step",
		Long: heredoc.Doc(`
			Challenge a factor and verify the code, storing the aal2 session: the way to finish an
			enrolment or a sign-in that stopped at aal1. Without --code, asks for it on a terminal.
		`),
		Example:           "  authctl mfa challenge-and-verify \"$FACTOR_ID\" --code 123456",
		Args:              cmdutil.ExactArgs(1, "the factor ID"),
		ValidArgsFunction: shared.CompleteFactorIDs(f, 0),
		RunE: cmdutil.CheckedRunE(opts,
			func(o *ChallengeAndVerifyOptions) error { return o.Channel.Validate() },
			runF, runChallengeAndVerify, &opts.FactorID),
	}
	cmd.Flags().StringVar(&opts.Code, "code", "", "the `CODE` from the authenticator app (TOTP factors)")
	opts.Channel.AddFactorFlag(cmd)
	return cmd
}

func runChallengeAndVerify(ctx context.Context, opts *ChallengeAndVerifyOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := shared.VerifyFactor(ctx, opts.F, c, opts.FactorID, opts.Code, opts.Channel.Value)
	if err != nil {
		return err
	}
	return printVerified(opts.F, s)
}
