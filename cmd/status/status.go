// Package status implements `authctl status`: what authctl would use and who
// is signed in, read from local state only (no network call).
package status

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/apikey"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// Options of `authctl status`.
type Options struct {
	F *cmdutil.Factory
}

// Status is what `authctl status --json` prints.
type Status struct {
	Profile    string      `json:"profile"`
	URL        string      `json:"url"`
	ProjectURL string      `json:"project_url"`
	URLSource  string      `json:"url_source"`
	Keys       KeysJSON    `json:"keys"`
	Storage    StorageJSON `json:"storage"`
	SignedIn   bool        `json:"signed_in"`
	User       *UserJSON   `json:"user,omitempty"`
	ExpiresAt  int64       `json:"expires_at,omitempty"`
	Expired    bool        `json:"expired,omitempty"`
	AAL        string      `json:"aal,omitempty"`
	// MFAPending: an aal1 session of a user with a verified factor (a
	// wrong --mfa-code, or Ctrl-C at the code prompt).
	MFAPending bool     `json:"mfa_pending,omitempty"`
	Methods    []string `json:"amr,omitempty"`
}

// StorageJSON names the storage backend in use.
type StorageJSON struct {
	Backend        string `json:"backend"`
	Key            string `json:"key"`
	FallbackReason string `json:"fallback_reason,omitempty"`
}

// KeysJSON says which API keys are set and where from, never their values.
type KeysJSON struct {
	Anon        KeyJSON `json:"anon"`
	ServiceRole KeyJSON `json:"service_role"`
}

// KeyJSON describes one key: set or not, its source, and what it says about
// itself (format, role, project ref), read locally and not verified.
type KeyJSON struct {
	Set    bool   `json:"set"`
	Source string `json:"source,omitempty"`
	Format string `json:"format,omitempty"`
	Role   string `json:"role,omitempty"`
	Ref    string `json:"ref,omitempty"`
}

func describeKey(k cmdutil.Key) KeyJSON {
	if k.Value == "" {
		return KeyJSON{}
	}
	i := apikey.Describe(k.Value)
	return KeyJSON{Set: true, Source: k.Source, Format: i.Format, Role: i.Role, Ref: i.Ref}
}

// UserJSON identifies the signed-in user.
type UserJSON struct {
	ID          string `json:"id"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	IsAnonymous bool   `json:"is_anonymous"`
}

// NewCmdStatus builds `authctl status`.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	return &cobra.Command{
		Use:   "status",
		Short: "Show the profile, URL, signed-in user, token expiry and storage in use",
		Long: "Show what authctl would use — profile, the Auth URL exactly as requests use it and where it\n" +
			"came from, which API keys are set and from where (never their values), session storage (and why\n" +
			"the keyring was not used, if it was not) — and the stored session for that URL: user, expiry,\n" +
			"assurance level. No refresh; the only request is the one-time probe of a URL given without a\n" +
			"path (see docs/urls.md). Exits with code 3 when nobody is signed in to that URL.",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Run(cmd.Context(), opts, runF, runStatus)
		},
	}
}

func runStatus(ctx context.Context, opts *Options) error {
	f := opts.F
	t, err := f.Target()
	if err != nil {
		return err
	}
	_, info, err := f.Storage()
	if err != nil {
		return err
	}
	c, err := f.Client()
	if err != nil {
		return err
	}
	service, err := f.ServiceRoleKey()
	if err != nil {
		return err
	}
	st := Status{Profile: t.Profile, URL: t.AuthURL, ProjectURL: t.ProjectURL, URLSource: t.URLSource,
		Keys:    KeysJSON{Anon: describeKey(cmdutil.Key{Value: t.AnonKey, Source: t.AnonKeyFrom}), ServiceRole: describeKey(service)},
		Storage: StorageJSON{Backend: info.Backend, Key: c.StorageKey(), FallbackReason: info.FallbackReason}}
	var s auth.Session
	if stored := c.StoredSession(ctx); stored != nil {
		s = *stored
		st.SignedIn = true
		st.User = &UserJSON{ID: s.User.ID, Email: s.User.Email, Phone: s.User.Phone, IsAnonymous: s.User.IsAnonymous}
		st.ExpiresAt = s.ExpiresAt
		st.Expired = s.ExpiresWithin(f.Now(), 0)
		if jwt, err := auth.DecodeJWT(s.AccessToken); err == nil {
			st.AAL = jwt.Claims.AAL
			st.MFAPending = st.AAL == auth.AAL1 && len(shared.UsableFactors(s.User.Factors)) > 0
			for _, m := range jwt.Claims.AMR {
				st.Methods = append(st.Methods, m.Method)
			}
		}
	}
	if err := f.Print(st, func(p *cmdutil.Printer) error { return printStatus(p, &st, &s) }); err != nil {
		return err
	}
	if !st.SignedIn {
		return &cmdutil.SilentError{Code: cmdutil.ExitNotSignedIn}
	}
	return nil
}

func printStatus(p *cmdutil.Printer, st *Status, s *auth.Session) error {
	cs := p.CS
	storage := st.Storage.Backend
	if st.Storage.FallbackReason != "" {
		storage += cs.Yellow(" (keyring unavailable: " + st.Storage.FallbackReason + ")")
	}
	url := st.URL
	if st.URLSource != "" {
		url += cs.Gray(" (from " + st.URLSource + ")")
	}
	lines := [][2]string{{"profile", st.Profile}, {"url", url},
		{"anon key", keyLine(cs, st.Keys.Anon)}, {"service key", keyLine(cs, st.Keys.ServiceRole)}, {"storage", storage}}
	if st.SignedIn {
		when := "expires " + render.RelativeTime(time.Unix(st.ExpiresAt, 0), p.Now)
		switch {
		case st.ExpiresAt == 0:
			when = "no expiry recorded"
		case st.Expired:
			when = cs.Yellow("expired " + render.RelativeTime(time.Unix(st.ExpiresAt, 0), p.Now) + " (refreshed on next use)")
		}
		aal := st.AAL
		if st.MFAPending {
			aal += cs.Yellow(" — second factor pending: finish with `authctl mfa challenge-and-verify FACTOR_ID --code CODE` (`authctl mfa list`)")
		}
		lines = append(lines, [2]string{"user", shared.UserLabel(&s.User) + cs.Gray(" ("+s.User.ID+")")},
			[2]string{"token", when}, [2]string{"aal", aal})
	} else {
		lines = append(lines, [2]string{"user", cs.Gray("not signed in (authctl login)")})
	}
	for _, l := range lines {
		if _, err := fmt.Fprintf(p.Out, "%-12s %s\n", l[0]+":", l[1]); err != nil {
			return err
		}
	}
	return nil
}

// keyLine says where a key came from and what it claims to be, or that it is
// not set.
func keyLine(cs *render.ColorScheme, k KeyJSON) string {
	if !k.Set {
		return cs.Gray("not set")
	}
	what := k.Format
	if k.Role != "" {
		what += ", role " + k.Role
	}
	if k.Ref != "" {
		what += ", project " + k.Ref
	}
	return "from " + k.Source + cs.Gray(" ("+what+")")
}
