package cmd

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/admin"
	"github.com/authctl/authctl/cmd/api"
	"github.com/authctl/authctl/cmd/claims"
	configcmd "github.com/authctl/authctl/cmd/config"
	"github.com/authctl/authctl/cmd/doctor"
	"github.com/authctl/authctl/cmd/emulator"
	"github.com/authctl/authctl/cmd/exchangecode"
	"github.com/authctl/authctl/cmd/identities"
	"github.com/authctl/authctl/cmd/login"
	"github.com/authctl/authctl/cmd/logout"
	"github.com/authctl/authctl/cmd/mfa"
	"github.com/authctl/authctl/cmd/oauth"
	"github.com/authctl/authctl/cmd/profile"
	"github.com/authctl/authctl/cmd/reauthenticate"
	"github.com/authctl/authctl/cmd/resend"
	"github.com/authctl/authctl/cmd/resetpassword"
	"github.com/authctl/authctl/cmd/session"
	"github.com/authctl/authctl/cmd/settings"
	"github.com/authctl/authctl/cmd/signup"
	"github.com/authctl/authctl/cmd/status"
	"github.com/authctl/authctl/cmd/token"
	"github.com/authctl/authctl/cmd/user"
	"github.com/authctl/authctl/cmd/verify"
	"github.com/authctl/authctl/cmd/version"
	"github.com/authctl/authctl/cmd/watch"
	"github.com/authctl/authctl/internal/cmdutil"
)

// command is one top-level command: the name it is invoked by, the help
// group it is listed under and how to build it with its subcommands.
type command struct {
	name  string
	group string
	new   func(*cmdutil.Factory) *cobra.Command
}

// commands lists every top-level command in DESIGN.md's order; help groups
// appear in the order of their first command. The names let a run build
// only the command it invokes (newRootFor); TestCommandNames keeps them
// equal to the commands' own.
var commands = []command{
	{"signup", "auth", func(f *cmdutil.Factory) *cobra.Command { return signup.NewCmdSignup(f, nil) }},
	{"login", "auth", func(f *cmdutil.Factory) *cobra.Command { return login.NewCmdLogin(f, nil) }},
	{"session", "auth", func(f *cmdutil.Factory) *cobra.Command { return session.NewCmdSession(f, nil) }},
	{"token", "auth", func(f *cmdutil.Factory) *cobra.Command { return token.NewCmdToken(f, nil) }},
	{"status", "auth", func(f *cmdutil.Factory) *cobra.Command { return status.NewCmdStatus(f, nil) }},
	{"logout", "auth", func(f *cmdutil.Factory) *cobra.Command { return logout.NewCmdLogout(f, nil) }},
	{"user", "user", func(f *cmdutil.Factory) *cobra.Command { return user.NewCmdUser(f, nil) }},
	{"claims", "user", func(f *cmdutil.Factory) *cobra.Command { return claims.NewCmdClaims(f, nil) }},
	{"verify", "auth", func(f *cmdutil.Factory) *cobra.Command { return verify.NewCmdVerify(f, nil) }},
	{"exchange-code", "auth", func(f *cmdutil.Factory) *cobra.Command { return exchangecode.NewCmdExchangeCode(f, nil) }},
	{"resend", "auth", func(f *cmdutil.Factory) *cobra.Command { return resend.NewCmdResend(f, nil) }},
	{"reset-password", "user", func(f *cmdutil.Factory) *cobra.Command { return resetpassword.NewCmdResetPassword(f, nil) }},
	{"reauthenticate", "user", func(f *cmdutil.Factory) *cobra.Command { return reauthenticate.NewCmdReauthenticate(f, nil) }},
	{"identities", "user", identities.NewCmdIdentities},
	{"mfa", "user", mfa.NewCmdMFA},
	{"oauth", "user", oauth.NewCmdOAuth},
	{"admin", "admin", admin.NewCmdAdmin},
	{"settings", "project", func(f *cmdutil.Factory) *cobra.Command { return settings.NewCmdSettings(f, nil) }},
	{"profile", "project", profile.NewCmdProfile},
	{"doctor", "project", func(f *cmdutil.Factory) *cobra.Command { return doctor.NewCmdDoctor(f, nil) }},
	{"emulator", "other", func(f *cmdutil.Factory) *cobra.Command { return emulator.NewCmdEmulator(f, nil) }},
	{"api", "other", func(f *cmdutil.Factory) *cobra.Command { return api.NewCmdAPI(f, nil) }},
	{"watch", "other", func(f *cmdutil.Factory) *cobra.Command { return watch.NewCmdWatch(f, nil) }},
	{"config", "other", configcmd.NewCmdConfig},
	{"version", "other", func(f *cmdutil.Factory) *cobra.Command { return version.NewCmdVersion(f, nil) }},
}
