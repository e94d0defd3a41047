package cmd

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/admin"
	"github.com/authctl/authctl/cmd/api"
	"github.com/authctl/authctl/cmd/claims"
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
	"github.com/authctl/authctl/cmd/watch"
	"github.com/authctl/authctl/internal/cmdutil"
)

// addCommands registers every command group. Keeping the list in one place
// makes the tree easy to read next to DESIGN.md's command table.
func addCommands(f *cmdutil.Factory, add func(group string, cmds ...*cobra.Command)) {
	add("auth",
		signup.NewCmdSignup(f, nil),
		login.NewCmdLogin(f, nil),
		session.NewCmdSession(f, nil),
		token.NewCmdToken(f, nil),
		status.NewCmdStatus(f, nil),
		logout.NewCmdLogout(f, nil),
	)
	add("user", user.NewCmdUser(f, nil), claims.NewCmdClaims(f, nil))
	add("auth", verify.NewCmdVerify(f, nil), exchangecode.NewCmdExchangeCode(f, nil), resend.NewCmdResend(f, nil))
	add("user", resetpassword.NewCmdResetPassword(f, nil), reauthenticate.NewCmdReauthenticate(f, nil),
		identities.NewCmdIdentities(f))
	add("user", mfa.NewCmdMFA(f))
	add("user", oauth.NewCmdOAuth(f))
	add("admin", admin.NewCmdAdmin(f))
	add("project", settings.NewCmdSettings(f, nil), profile.NewCmdProfile(f), doctor.NewCmdDoctor(f, nil))
	add("other", emulator.NewCmdEmulator(f, nil))
	add("other", api.NewCmdAPI(f, nil), watch.NewCmdWatch(f, nil))
}
