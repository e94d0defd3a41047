package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/authctl/authctl/internal/apikey"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// explain attaches to err the advice that depends on the setup the command
// ran with: where the profile is signed in when it is not signed in here,
// which key the server refused and where that key came from, which URL a
// 404 came from. It reads local state only (the target is already resolved
// when any of these errors can happen) and returns err unchanged when it has
// nothing better than PrintError's generic hint.
func explain(f *cmdutil.Factory, admin bool, err error) error {
	var hinted *cmdutil.HintedError
	code := auth.ErrorCode(err)
	notSignedIn := cmdutil.ExitCode(err) == cmdutil.ExitNotSignedIn
	if errors.As(err, &hinted) || !(notSignedIn || isGatewayKeyRefusal(err) || code == "not_admin" || code == "bad_jwt" || isNotFound(err)) {
		return err // nothing to add, and no reason to resolve the target
	}
	t, terr := f.Target()
	if terr != nil {
		return err
	}
	var h string
	switch {
	case notSignedIn:
		h = notSignedInHint(f, t)
	case isGatewayKeyRefusal(err):
		h = keyHint(f, t, admin && t.AnonKey == "", "the project gateway refused the API key")
	case admin && (code == "not_admin" || code == "bad_jwt"):
		h = keyHint(f, t, true, "the server refused the service-role key")
	case code == "bad_jwt" && t.AnonKey != "" && apikey.Describe(t.AnonKey).Format != "jwt":
		// A bare server reads the apikey as the bearer when no session is sent.
		h = keyHint(f, t, false, "the server could not read the API key")
	case isNotFound(err):
		h = fmt.Sprintf("the server has no such endpoint under the Auth URL %s (from %s); "+
			"give a project as https://REF.supabase.co or http://HOST:PORT, a bare Auth server with its own path", t.AuthURL, t.URLSource)
	}
	if h == "" {
		return err
	}
	return &cmdutil.HintedError{Err: err, Hint: h}
}

// notSignedInHint names the Auth URLs the profile holds sessions for, or a
// session an earlier release stored that this URL does not own.
func notSignedInHint(f *cmdutil.Factory, t *cmdutil.Target) string {
	login := fmt.Sprintf("run `authctl login` to sign in to %s", t.AuthURL)
	var elsewhere []string
	if st, err := f.State(); err == nil {
		for _, u := range st.Sessions(t.Profile) {
			if u != t.AuthURL {
				elsewhere = append(elsewhere, u)
			}
		}
	}
	if len(elsewhere) > 0 {
		return fmt.Sprintf("profile %q is signed in to %s, not to %s (a session is only sent to the server that issued it): "+
			"use --url %s, or %s", t.Profile, strings.Join(elsewhere, " and "), t.AuthURL, elsewhere[0], login)
	}
	if c, err := f.Client(); err == nil {
		if s := c.LegacySession(context.Background()); s != nil {
			if jwt, err := auth.DecodeJWT(s.AccessToken); err == nil && jwt.Claims.Iss != "" {
				return fmt.Sprintf("profile %q holds a session from an earlier authctl for %s, not for %s: use --url %s, or %s",
					t.Profile, jwt.Claims.Iss, t.AuthURL, jwt.Claims.Iss, login)
			}
			return fmt.Sprintf("profile %q holds a session from an earlier authctl whose token names no server, "+
				"so it is not sent anywhere; %s", t.Profile, login)
		}
	}
	return login
}

// keyHint says what the refused key is, where it came from and how to set
// the right one. service selects the service-role key, else the anon key.
func keyHint(f *cmdutil.Factory, t *cmdutil.Target, service bool, what string) string {
	name, want, how := "anon key", apikey.RoleAnon, cmdutil.HowToSetAnonKey
	key := cmdutil.Key{Value: t.AnonKey, Source: t.AnonKeyFrom}
	if service {
		name, want, how = "service-role key", apikey.RoleServiceRole, cmdutil.HowToSetServiceRoleKey
		key, _ = f.ServiceRoleKey()
	}
	if key.Value == "" {
		return fmt.Sprintf("%s: no %s is set; %s", what, name, how)
	}
	info := apikey.Describe(key.Value)
	var wrong string
	switch {
	case info.Format == "unknown":
		wrong = "it is " + info.String() + " (a truncated or mistyped paste?)"
	case info.Role != "" && info.Role != want:
		wrong = fmt.Sprintf("it is %s: the %s has role %q", info, name, want)
	case info.Ref != "" && auth.HostedProjectRef(t.AuthURL) != "" && info.Ref != auth.HostedProjectRef(t.AuthURL):
		wrong = fmt.Sprintf("it is %s, but the URL is project %q", info, auth.HostedProjectRef(t.AuthURL))
	case info.Format == "publishable" || info.Format == "secret":
		wrong = "it is " + info.String() + ", which only the Supabase platform's gateway accepts; " +
			"a self-hosted or bare Auth server needs the JWT " + want + " key"
	default:
		wrong = "it is " + info.String() + ", signed for another project or server, or revoked"
	}
	return fmt.Sprintf("%s: the %s from %s is wrong: %s; %s", what, name, key.Source, wrong, how)
}

// isGatewayKeyRefusal recognises a project gateway's own refusal of the
// apikey header (hosted Supabase, `supabase start`), which is not an Auth
// error: 401 with "No API key found" or "Invalid API key".
func isGatewayKeyRefusal(err error) bool {
	var ae auth.Error
	if !errors.As(err, &ae) || ae.Base().Status != http.StatusUnauthorized {
		return false
	}
	m := ae.Base().Message
	return strings.HasPrefix(m, "No API key found") || strings.HasPrefix(m, "Invalid API key")
}

// isNotFound is a 404 without an Auth error body: the URL points at
// something that is not the Auth API.
func isNotFound(err error) bool {
	var ae auth.Error
	return errors.As(err, &ae) && ae.Base().Status == http.StatusNotFound && ae.Base().Code == ""
}
