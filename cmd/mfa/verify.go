package mfa

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// VerifyOptions of `authctl mfa verify`.
type VerifyOptions struct {
	F           *cmdutil.Factory
	Client      func() (*auth.Client, error)
	FactorID    string
	ChallengeID string
	Code        string
}

// NewCmdVerify builds `authctl mfa verify`.
func NewCmdVerify(f *cmdutil.Factory, runF func(context.Context, *VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "verify FACTOR_ID --challenge-id C --code X",
		Short: "Answer a challenge with a code and store the aal2 session",
		Example: heredoc.Doc(`
			  id=$(authctl mfa challenge "$FACTOR_ID" --jq .id)
			  authctl mfa verify "$FACTOR_ID" --challenge-id "$id" --code 123456
		`),
		Args:              cmdutil.ExactArgs(1, "the factor ID"),
		ValidArgsFunction: shared.CompleteFactorIDs(f, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.FactorID = args[0]
			if opts.ChallengeID == "" || opts.Code == "" {
				return cmdutil.FlagErrorf("--challenge-id and --code are required")
			}
			norm, err := shared.NormalizeCode(opts.Code)
			if err != nil {
				return err
			}
			opts.Code = norm
			return cmdutil.Run(cmd.Context(), opts, runF, runVerify)
		},
	}
	cmd.Flags().StringVar(&opts.ChallengeID, "challenge-id", "", "the challenge's `ID`, from authctl mfa challenge")
	cmd.Flags().StringVar(&opts.Code, "code", "", "the `CODE` from the authenticator app or SMS")
	return cmd
}

func runVerify(ctx context.Context, opts *VerifyOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := c.MFA().Verify(ctx, auth.MFAVerifyParams{FactorID: opts.FactorID, ChallengeID: opts.ChallengeID, Code: opts.Code})
	if err != nil {
		return shared.ExplainAAL(err)
	}
	return printVerified(opts.F, s)
}

// printVerified shows the aal2 session a verification stored; verify and
// challenge-and-verify share it.
func printVerified(f *cmdutil.Factory, s *auth.Session) error {
	return f.Print(s, func(p *cmdutil.Printer) error {
		if _, err := fmt.Fprintf(p.Out, "%s Factor verified\n", p.CS.Green(p.CS.SuccessIcon())); err != nil {
			return err
		}
		return shared.PrintSession(p, s)
	})
}
