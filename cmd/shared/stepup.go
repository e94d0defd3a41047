package shared

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/prompt"
)

// StepUpOptions are the sign-in commands' --mfa-code and --factor flags.
type StepUpOptions struct {
	MFACode string
	Factor  string
}

// AddStepUpFlags adds --mfa-code and --factor to a sign-in command.
func AddStepUpFlags(cmd *cobra.Command, o *StepUpOptions) {
	fl := cmd.Flags()
	fl.StringVar(&o.MFACode, "mfa-code", "", "second-factor `CODE`, to reach aal2 in one step (scripts)")
	fl.StringVar(&o.Factor, "factor", "", "factor `ID` or friendly name for the second factor, when there are several")
}

// StepUp raises a new aal1 session to aal2 when its user has a verified
// TOTP or phone factor: with --mfa-code, or by asking on a terminal. Without
// either it keeps the stored aal1 session and says how to finish, so a
// script's sign-in still succeeds. It returns ar with the aal2 session.
func StepUp(ctx context.Context, f *cmdutil.Factory, c *auth.Client, ar *auth.AuthResponse, o StepUpOptions) (*auth.AuthResponse, error) {
	if ar == nil || ar.Session == nil || SessionAAL(ar.Session) == auth.AAL2 {
		return ar, nil
	}
	factors := UsableFactors(ar.Session.User.Factors)
	if len(factors) == 0 {
		if o.MFACode != "" {
			return nil, cmdutil.FlagErrorf("--mfa-code given, but %s has no verified TOTP or phone factor", UserLabel(&ar.Session.User))
		}
		return ar, nil
	}
	interactive := o.MFACode == "" && f.IOStreams.CanPrompt()
	if o.MFACode == "" && !interactive {
		id := "FACTOR_ID"
		if fac, err := ChooseFactor(f, factors, o.Factor, false); err == nil {
			id = fac.ID
		}
		f.Warnf("signed in at aal1: %s has a second factor. Finish with `authctl mfa challenge-and-verify %s --code CODE` (`authctl mfa list` shows the factors), or sign in with --mfa-code", UserLabel(&ar.Session.User), id)
		return ar, nil
	}
	fac, err := ChooseFactor(f, factors, o.Factor, interactive)
	if err != nil {
		return nil, err
	}
	s, err := VerifyFactor(ctx, f, c, fac.ID, o.MFACode, "")
	if err != nil {
		return nil, err
	}
	out := *ar
	out.Session, out.User = s, s.User
	return &out, nil
}

// SessionAAL is the aal claim of the session's access token ("" if unreadable).
func SessionAAL(s *auth.Session) string {
	if jwt, err := auth.DecodeJWT(s.AccessToken); err == nil {
		return jwt.Claims.AAL
	}
	return ""
}

// UsableFactors are the verified factors a terminal can answer: WebAuthn
// needs a browser.
func UsableFactors(all []auth.Factor) []auth.Factor {
	var out []auth.Factor
	for _, fa := range all {
		if fa.Status == auth.FactorVerified && fa.FactorType != auth.FactorTypeWebAuthn {
			out = append(out, fa)
		}
	}
	return out
}

// FactorLabel names a factor for a person: friendly name or type, and id.
func FactorLabel(fa auth.Factor) string {
	name := fa.FriendlyName
	if name == "" {
		name = fa.FactorType
	}
	return fmt.Sprintf("%s (%s, %s)", name, fa.FactorType, fa.ID)
}

// ChooseFactor picks the factor named by flag (ID or friendly name), the
// only one, or asks which on a terminal.
func ChooseFactor(f *cmdutil.Factory, factors []auth.Factor, flag string, interactive bool) (auth.Factor, error) {
	labels := make([]string, len(factors))
	for i, fa := range factors {
		labels[i] = FactorLabel(fa)
		if flag != "" && (fa.ID == flag || fa.FriendlyName == flag) {
			return fa, nil
		}
	}
	switch {
	case flag != "":
		return auth.Factor{}, cmdutil.FlagErrorf("--factor %q matches none of the verified factors: %s", flag, strings.Join(labels, "; "))
	case len(factors) == 1:
		return factors[0], nil
	case !interactive:
		return auth.Factor{}, cmdutil.FlagErrorf("--factor is required: there are several verified factors: %s", strings.Join(labels, "; "))
	}
	i, err := f.Prompter().Select(prompt.Flag("factor", "Which factor?"), labels)
	if err != nil {
		return auth.Factor{}, err
	}
	return factors[i], nil
}

// NormalizeCode drops the spaces people type in "123 456" and checks the
// code is digits.
func NormalizeCode(code string) (string, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if code == "" || strings.Trim(code, "0123456789") != "" {
		return "", cmdutil.FlagErrorf("the code must be digits, e.g. 123456")
	}
	return code, nil
}

// maxAttempts bounds how often a person may retype a wrong code.
const maxAttempts = 3

// VerifyFactor challenges factorID and answers with code, or with codes
// asked on the terminal (up to three tries) when code is empty. For a phone
// factor one challenge (one SMS) serves every try; a TOTP challenge is made
// per try so none expires while the person is typing.
func VerifyFactor(ctx context.Context, f *cmdutil.Factory, c *auth.Client, factorID, code, channel string) (*auth.Session, error) {
	m := c.MFA()
	var ch *auth.MFAChallengeResponse
	for attempt := 1; ; attempt++ {
		if ch == nil || ch.Type != auth.FactorTypePhone {
			var err error
			if ch, err = m.Challenge(ctx, auth.MFAChallengeParams{FactorID: factorID, Channel: channel}); err != nil {
				return nil, err
			}
			if ch.Type == auth.FactorTypePhone && attempt == 1 {
				f.Infof("Code sent")
			}
		}
		answer := code
		if answer == "" {
			var err error
			if answer, err = askCode(f, ch.Type); err != nil {
				return nil, err
			}
		}
		answer, err := NormalizeCode(answer)
		if err != nil {
			return nil, err
		}
		s, err := m.Verify(ctx, auth.MFAVerifyParams{FactorID: factorID, ChallengeID: ch.ID, Code: answer})
		if err == nil || code != "" || attempt == maxAttempts || auth.ErrorCode(err) != auth.CodeMFAVerificationFailed {
			return s, ExplainAAL(err)
		}
		f.Warnf("%v: try again", err)
	}
}

// askCode asks for the code of a factor of type factorType, saying where
// it comes from.
func askCode(f *cmdutil.Factory, factorType string) (string, error) {
	if !f.IOStreams.CanPrompt() {
		return "", cmdutil.FlagErrorf("--code is required when not running interactively")
	}
	title := "Code from your authenticator app"
	if factorType == auth.FactorTypePhone {
		title = "Code sent to your phone"
	}
	return f.Prompter().Input(prompt.Flag("code", title), "123456", func(s string) error {
		_, err := NormalizeCode(s)
		return err
	})
}

// ExplainAAL turns the server's insufficient_aal refusal into an
// MFARequiredError (exit 4) that says how to get an aal2 session.
func ExplainAAL(err error) error {
	if err == nil || auth.ErrorCode(err) != auth.CodeInsufficientAAL {
		return err
	}
	var ae auth.Error
	msg := err.Error()
	if errors.As(err, &ae) {
		msg = ae.Base().Message
	}
	return &cmdutil.MFARequiredError{Message: msg + " (insufficient_aal): this needs an aal2 session; raise it with `authctl mfa challenge-and-verify FACTOR_ID --code CODE`"}
}
