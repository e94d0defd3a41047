// Package mfa implements `authctl mfa`: the signed-in user's second factors
// (spec §8): enroll, challenge, verify, unenroll, list and the session's
// assurance level.
package mfa

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// NewCmdMFA builds `authctl mfa`.
func NewCmdMFA(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mfa <command>",
		Short: "Enroll and verify second factors (TOTP, phone)",
		Long: heredoc.Docf(`
			Second factors raise a session from aal1 to aal2. %[1]smfa enroll --type totp%[1]s draws a QR code
			for an authenticator app, asks for the first code and verifies it, all in one command.
			WebAuthn (passkey) factors are listed, but enrolling or verifying one needs a browser.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl mfa enroll --type totp --friendly-name laptop
			  authctl mfa challenge-and-verify "$FACTOR_ID" --code 123456
			  authctl mfa aal
		`),
	}
	cmd.AddCommand(
		NewCmdEnroll(f, nil),
		NewCmdChallenge(f, nil),
		NewCmdVerify(f, nil),
		NewCmdChallengeAndVerify(f, nil),
		NewCmdUnenroll(f, nil),
		NewCmdList(f, nil),
		NewCmdAAL(f, nil),
	)
	return cmd
}
