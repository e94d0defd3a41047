package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/authctl/authctl/internal/auth"
)

// signInMethod is --method, else the method the stored session was made
// with (the user's provider), else "".
func (d *doctor) signInMethod() string {
	if d.method != "" {
		return strings.ToLower(d.method)
	}
	if d.session == nil {
		return ""
	}
	if d.session.User.IsAnonymous {
		return "anonymous"
	}
	p, _ := d.session.User.AppMetadata["provider"].(string)
	if strings.HasPrefix(p, "sso:") {
		return "sso"
	}
	return p
}

func (d *doctor) checkSettings(ctx context.Context) {
	if !d.online("settings") {
		return
	}
	s, err := d.client.GetSettings(ctx)
	if err != nil {
		d.add(Check{Name: "settings", Status: Problem, Summary: "GET /settings failed: " + err.Error()})
		return
	}
	method := d.signInMethod()
	if method == "" {
		d.add(Check{Name: "settings", Status: Info, Summary: "no sign-in method to check (not signed in): " +
			"pass --method email|phone|anonymous|sso|PROVIDER"})
	} else {
		d.add(methodCheck(s, method))
	}
	if s.DisableSignup {
		d.add(Check{Name: "settings", Status: Info, Summary: "sign-ups are off: only existing users can sign in"})
	}
	if (method == "email" || method == "") && s.External["email"] && !s.MailerAutoconfirm {
		d.add(Check{Name: "settings", Status: Info, Summary: "new email users must confirm their address " +
			"before they can sign in with a password (`authctl verify --type signup`)"})
	}
}

// methodCheck says whether the server allows method, and how an operator
// turns it on when it does not.
func methodCheck(s *auth.Settings, method string) Check {
	key, env := method, "GOTRUE_EXTERNAL_"+strings.ToUpper(method)+"_ENABLED=true"
	dashboard := "Authentication → Providers in the dashboard"
	on := false
	switch method {
	case "anonymous":
		key, env = "anonymous_users", "GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED=true"
		dashboard = "Authentication → Sign In / Providers → Allow anonymous sign-ins"
	case "sso":
		on, env = s.SAMLEnabled, "GOTRUE_SAML_ENABLED=true and GOTRUE_SAML_PRIVATE_KEY"
		dashboard = "SSO in the dashboard (paid plans)"
	}
	if method != "sso" {
		var known bool
		on, known = s.External[key]
		if !known {
			return Check{Name: "settings", Status: Problem, Summary: fmt.Sprintf("the server knows no sign-in method %q", method),
				Fix: "authctl settings (lists the methods and providers)"}
		}
	}
	if on {
		return Check{Name: "settings", Status: OK, Summary: fmt.Sprintf("%s sign-in is on", method)}
	}
	return Check{Name: "settings", Status: Problem, Summary: fmt.Sprintf("%s sign-in is off on this server", method),
		Why: "sign-ins with it are refused",
		Fix: fmt.Sprintf("on the server: %s (self-hosted), or %s", env, dashboard)}
}
