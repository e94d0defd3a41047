package doctor

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/authctl/authctl/cmd/status"
	"github.com/authctl/authctl/internal/apikey"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/keyring"
	"github.com/authctl/authctl/internal/loopbackhost"
	"github.com/authctl/authctl/internal/render"
)

// clockTolerance is the skew doctor accepts: the Date header has a
// one-second resolution and the request takes time, and a few seconds are
// harmless next to the minutes-long margins of token expiry.
const clockTolerance = 30 * time.Second

// authctl is the command a fix runs, with --profile when the profile in use
// is not the default one.
func (d *doctor) authctl(args string) string {
	if d.target.Profile != "default" {
		return "authctl --profile " + d.target.Profile + " " + args
	}
	return "authctl " + args
}

func (d *doctor) checkURL() {
	t := d.target
	c := Check{Name: "url", Status: OK, Summary: fmt.Sprintf("%s (from %s)", t.AuthURL, t.URLSource)}
	u, _ := url.Parse(t.AuthURL)
	if u != nil && u.Scheme == "http" && !loopbackhost.Is(u.Hostname()) {
		c.Status = Problem
		c.Why = "plain http to another machine: passwords and tokens cross the network unencrypted"
		c.Fix = d.authctl("config set url https://" + u.Host)
	}
	d.add(c)
}

func (d *doctor) checkServer(ctx context.Context) {
	sent := time.Now()
	h, err := d.client.Health(ctx)
	if err != nil {
		c := Check{Name: "server", Status: Problem, Summary: "GET /health failed: " + err.Error(),
			Why: "every command talks to this server"}
		if auth.IsAuthRetryableFetchError(err) {
			c.Fix = "start it (`authctl emulator &` serves " + cmdutil.DefaultURL + "), or point authctl at the " +
				"right one: " + d.authctl("config set url https://REF.supabase.co")
		} else {
			c.Why = "the URL answers, but not as a Supabase Auth server: a project URL takes no path " +
				"(authctl adds /auth/v1), a bare Auth server's URL ends with /"
			c.Fix = d.authctl("config set url URL") + ", or --url / SUPABASE_URL"
		}
		d.add(c)
		return
	}
	h.Date = h.Date.Add(-time.Since(sent) / 2) // compare with the request's midpoint
	d.health = h
	version := h.Version
	if version == "" {
		version = "(no version given)"
	}
	d.add(Check{Name: "server", Status: OK, Summary: fmt.Sprintf("%s %s answers /health", h.Name, version)})
}

func (d *doctor) checkClock() {
	if !d.online("clock") {
		return
	}
	if d.health.Date.IsZero() {
		d.add(Check{Name: "clock", Status: Skipped, Summary: "the server sent no Date header"})
		return
	}
	offset := d.f.Now().Sub(d.health.Date).Round(time.Second)
	c := Check{Name: "clock", Status: OK, Summary: fmt.Sprintf("within %s of the server's", clockTolerance)}
	if offset > clockTolerance || offset < -clockTolerance {
		dir := "ahead of"
		if offset < 0 {
			dir, offset = "behind", -offset
		}
		c.Status = Problem
		c.Summary = fmt.Sprintf("this machine's clock is %s %s the server's", offset, dir)
		c.Why = "token expiry is judged against this clock: tokens look expired when they are not " +
			"(a refresh on every command), or are sent after the server stopped accepting them"
		c.Fix = clockFix()
	}
	d.add(c)
}

func clockFix() string {
	switch runtime.GOOS {
	case "darwin":
		return "sudo sntp -sS time.apple.com"
	case "windows":
		return "w32tm /resync"
	}
	return "sudo timedatectl set-ntp true"
}

// keyFix says how to set an API key of the profile, where it came from.
func (d *doctor) keyFix(envName, configCmd string) string {
	if d.f.IOStreams.Getenv(envName) != "" {
		return "export " + envName + "=… (the right key from the project's API settings)"
	}
	return configCmd
}

func (d *doctor) checkAnonKey() {
	t := d.target
	k := apikey.Describe(t.AnonKey)
	ref := auth.HostedProjectRef(t.AuthURL)
	fix := d.keyFix("SUPABASE_ANON_KEY", d.authctl("config set anon-key ANON_KEY")+
		" (the anon or publishable key from the project's API settings)")
	c := Check{Name: "anon key", Status: OK, Summary: k.String()}
	switch {
	case k.Format == "" && ref != "":
		c.Status, c.Why, c.Fix = Problem, "the project's API gateway refuses requests without it", fix
	case k.Format == "":
		c.Summary = "not set (a bare Auth server does not ask for one)"
	case k.Role == apikey.RoleServiceRole:
		c.Status = Problem
		c.Why = "the service-role key bypasses row level security; as the anon key it is sent with every " +
			"request and may sit in config.yaml in plain text. Rotate it if it was shared"
		c.Fix = fix
	case k.Format == "unknown" || k.Role != apikey.RoleAnon:
		c.Status, c.Why, c.Fix = Problem, "requests are made with the wrong key and fail or carry the wrong role", fix
	case ref != "" && k.Ref != "" && k.Ref != ref:
		c.Status = Problem
		c.Summary += fmt.Sprintf(", but the URL is project %q", ref)
		c.Why = "a key of another project: the gateway rejects it (Invalid API key)"
		c.Fix = fix
	}
	d.add(c)
}

func (d *doctor) checkServiceRoleKey(ctx context.Context) {
	key, err := d.f.ServiceRoleKey()
	switch {
	case err != nil:
		d.add(Check{Name: "service key", Status: Problem, Summary: err.Error()})
		return
	case key.Value == "":
		d.add(Check{Name: "service key", Status: Info, Summary: "not set (only admin commands need it)"})
		return
	}
	k := apikey.Describe(key.Value)
	ref := auth.HostedProjectRef(d.target.AuthURL)
	fix := d.keyFix("SUPABASE_SERVICE_ROLE_KEY", "printenv SERVICE_ROLE_KEY | "+d.authctl("config set service-role-key"))
	c := Check{Name: "service key", Status: OK, Summary: k.String()}
	switch {
	case k.Format == "unknown" || k.Role != apikey.RoleServiceRole:
		c.Status, c.Why, c.Fix = Problem, "admin commands are refused without the service_role role", fix
	case ref != "" && k.Ref != "" && k.Ref != ref:
		c.Status, c.Summary = Problem, c.Summary+fmt.Sprintf(", but the URL is project %q", ref)
		c.Why, c.Fix = "a key of another project: every admin command is refused", fix
	}
	if c.Status == OK && d.health != nil {
		admin, err := d.f.AdminClient()
		if err == nil {
			_, err = admin.Admin().ListUsers(ctx, auth.ListUsersParams{Page: 1, PerPage: 1})
		}
		switch {
		case err == nil:
			c.Summary += ", accepted by the server"
		case auth.IsAuthAPIError(err):
			c.Status, c.Summary = Problem, c.Summary+", but the server rejects it: "+err.Error()
			c.Why = "it was signed with another project's JWT secret, or has expired: admin commands fail"
			c.Fix = fix
		default:
			c.Status, c.Summary = Problem, c.Summary+", not checked: "+err.Error()
		}
	}
	d.add(c)
}

func (d *doctor) checkStorage(ctx context.Context) {
	_, info, err := d.f.Storage()
	if err != nil {
		d.add(Check{Name: "storage", Status: Problem, Summary: err.Error(),
			Why: "sessions cannot be kept: every sign-in is lost", Fix: d.authctl("config set storage file")})
		return
	}
	why := "storage " + d.target.StorageMode + " in the profile"
	switch {
	case d.f.IOStreams.Getenv("AUTHCTL_STORAGE") != "":
		why = "AUTHCTL_STORAGE=" + d.target.StorageMode
	case d.target.StorageMode == keyring.ModeAuto:
		why = "the default, auto: the OS keyring answered"
	}
	c := Check{Name: "storage", Status: OK, Summary: info.Backend + " (" + why + ")"}
	if info.FallbackReason != "" {
		c.Status = Problem
		c.Summary = "file, because the OS keyring is not usable: " + info.FallbackReason
		c.Why = "sessions sit in a 0600 file instead of the keyring, and every command warns about it"
		c.Fix = "unlock or install a keyring (gnome-keyring, KWallet), or accept the file: " +
			d.authctl("config set storage file")
	}
	if info.Backend == keyring.ModeFile {
		d.checkFileMode(&c)
	}
	d.add(c)
}

// checkFileMode flags a session file, or its directory, that others can
// read: it holds refresh tokens and possibly the service-role key.
func (d *doctor) checkFileMode(c *Check) {
	if runtime.GOOS == "windows" {
		return // modes are not permissions there
	}
	cfg, err := d.f.Config()
	if err != nil {
		return
	}
	dir := filepath.Join(filepath.Dir(cfg.Path()), "sessions")
	for path, want := range map[string]os.FileMode{dir: 0o700, keyring.FilePath(dir, d.target.Profile): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		c.Status = Problem
		c.Summary = fmt.Sprintf("%s is readable by others (mode %04o)", path, fi.Mode().Perm())
		c.Why = "it holds the session's refresh token and, when stored, the service-role key"
		c.Fix = fmt.Sprintf("chmod %o %s", want, path)
		return
	}
}

func (d *doctor) checkSession(ctx context.Context) {
	st, s, err := status.Read(ctx, d.f)
	if err != nil {
		d.add(Check{Name: "session", Status: Problem, Summary: err.Error()})
		return
	}
	if s == nil {
		d.add(Check{Name: "session", Status: Info, Summary: "not signed in", Fix: d.authctl("login")})
		return
	}
	d.session = s
	who := s.User.Email
	if who == "" {
		who = s.User.Phone
	}
	if s.User.IsAnonymous {
		who = "an anonymous user"
	}
	exp := time.Unix(st.ExpiresAt, 0)
	c := Check{Name: "session", Status: OK,
		Summary: fmt.Sprintf("%s, %s, token expires %s", who, st.AAL, render.RelativeTime(exp, d.f.Now()))}
	if jwt, err := auth.DecodeJWT(s.AccessToken); err == nil && jwt.Claims.Iss != "" {
		c.Summary += ", issued by " + jwt.Claims.Iss
		if iss, err := url.Parse(jwt.Claims.Iss); err == nil && iss.Host != "" && !sameHost(iss.Host, d.target.AuthURL) {
			c.Status = Problem
			c.Why = "the session was issued by another server than the URL in use: it will be refused"
			c.Fix = d.authctl("login")
		}
	}
	if c.Status == OK && d.online("session (server)") {
		d.askServer(ctx, &c, st.Expired)
	}
	d.add(c)
}

func sameHost(host, authURL string) bool {
	u, err := url.Parse(authURL)
	return err == nil && strings.EqualFold(u.Host, host)
}

// askServer checks that the server still accepts the session: GET /user
// with the access token, which spends nothing; only an expired access
// token is refreshed first, as any command would.
func (d *doctor) askServer(ctx context.Context, c *Check, expired bool) {
	client, err := d.f.Client()
	if err == nil {
		var u *auth.User
		if u, err = client.GetUser(ctx, ""); err == nil {
			if expired {
				c.Summary += "; it had expired and was refreshed: the refresh token was accepted"
			} else {
				c.Summary += "; the server accepts it (the refresh token was not spent)"
			}
			d.checkAAL(c, u)
			return
		}
	}
	c.Status = Problem
	c.Summary += "; the server refuses it: " + err.Error()
	c.Why = "the session was revoked (signed out elsewhere, a password change, a reused refresh token) " +
		"or the user was deleted: commands that need a session exit 3"
	c.Fix = d.authctl("login")
	if !auth.IsAuthSessionMissingError(err) && auth.ErrorCode(err) != "user_not_found" {
		c.Why = "commands that need a session fail the same way"
	}
}

// checkAAL flags a session below the level the user's factors demand.
func (d *doctor) checkAAL(c *Check, u *auth.User) {
	jwt, err := auth.DecodeJWT(d.session.AccessToken)
	if err != nil || jwt.Claims.AAL == auth.AAL2 {
		return
	}
	for _, f := range u.Factors {
		if f.Status == "verified" {
			c.Status = Problem
			c.Why = "the user has a verified " + string(f.FactorType) + " factor but the session is aal1: " +
				"changing the email or password, and anything that requires aal2, exits 4"
			c.Fix = d.authctl("mfa challenge-and-verify " + f.ID + " --code CODE")
			return
		}
	}
}
