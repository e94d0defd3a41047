package mfa

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// NewCmdList builds `authctl mfa list`.
func NewCmdList(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List your factors and their status",
		Long: "List the user's factors, fresh from the server, verified or not. --json gives\n" +
			"{all, totp, phone, webauthn}: all of them, then the verified ones by type.",
		Example: "  authctl mfa list\n  authctl mfa list --jq '.totp[0].id'",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := f.Client()
			if err != nil {
				return err
			}
			fs, err := c.MFA().ListFactors(cmd.Context())
			if err != nil {
				return err
			}
			return f.Print(fs, func(p *cmdutil.Printer) error { return FactorTable(p, fs.All) })
		},
	}
}

// FactorTable renders factors as a table; admin mfa list shares it.
func FactorTable(p *cmdutil.Printer, fs []auth.Factor) error {
	if len(fs) == 0 {
		_, err := fmt.Fprintln(p.Out, "No factors")
		return err
	}
	t := render.NewTable(p.Out, p.IsTTY, p.Width)
	t.SetHeader("ID", "TYPE", "NAME", "STATUS", "NOTE")
	for _, fa := range fs {
		note := ""
		switch fa.FactorType {
		case auth.FactorTypePhone:
			note = "+" + strings.TrimPrefix(fa.Phone, "+")
		case auth.FactorTypeWebAuthn:
			note = "browser only"
		}
		t.AddRow(fa.ID, fa.FactorType, fa.FriendlyName, fa.Status, note)
	}
	return t.Render()
}

// NewCmdAAL builds `authctl mfa aal`.
func NewCmdAAL(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "aal",
		Short: "Show the session's assurance level",
		Long: "Show the stored session's authenticator assurance level (current), the level its user can\n" +
			"reach (next: aal2 once a factor is verified) and how the session was authenticated.",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := f.Client()
			if err != nil {
				return err
			}
			r, err := c.MFA().GetAuthenticatorAssuranceLevel(cmd.Context(), "")
			if err != nil {
				return err
			}
			return f.Print(r, func(p *cmdutil.Printer) error {
				methods := make([]string, len(r.CurrentAuthenticationMethods))
				for i, m := range r.CurrentAuthenticationMethods {
					methods[i] = m.Method
				}
				_, err := fmt.Fprintf(p.Out, "current: %s\nnext:    %s\nmethods: %s\n", r.CurrentLevel, r.NextLevel, strings.Join(methods, ", "))
				if err == nil && r.StepUpNeeded() {
					_, err = fmt.Fprintln(p.Out, "Raise the session with `authctl mfa challenge-and-verify FACTOR_ID --code CODE`.")
				}
				return err
			})
		},
	}
}
