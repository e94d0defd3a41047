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
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// Options of `authctl status`.
type Options struct {
	F   *cmdutil.Factory
	All bool
}

// Status is what `authctl status --json` prints.
type Status struct {
	Profile    string      `json:"profile"`
	Current    bool        `json:"current"` // the profile in use (always, without --all)
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
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the profile, URL, signed-in user, token expiry and storage in use",
		Long: heredoc.Doc(`
			Show what authctl would use — profile, the Auth URL exactly as requests use it and where it
			came from, which API keys are set and from where (never their values), session storage (and why
			the keyring was not used, if it was not) — and the stored session for that URL: user, expiry,
			assurance level. No refresh; the only request is the one-time probe of a URL given without a
			path (see docs/urls.md). Exits with code 3 when nobody is signed in to that URL.

			With --all, every profile of config.yaml, each with its own URL (SUPABASE_URL and --url do not
			apply), the one in use marked; --json prints an array. Exits with code 3 only when no profile
			is signed in.
		`),
		Example: heredoc.Doc(`
			  authctl status
			  authctl status --all
			  authctl status --json --jq .user.email
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runStatus),
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "show every profile")
	return cmd
}

func runStatus(ctx context.Context, opts *Options) error {
	f := opts.F
	if opts.All {
		return runAll(ctx, f)
	}
	st, s, err := Read(ctx, f)
	if err != nil {
		return err
	}
	st.Current = true
	if err := f.Print(st, func(p *cmdutil.Printer) error { return render.Fields(p.Out, p.Width, "", lines(p, st, s)) }); err != nil {
		return err
	}
	if !st.SignedIn {
		return &cmdutil.SilentError{Code: cmdutil.ExitNotSignedIn}
	}
	return nil
}

func runAll(ctx context.Context, f *cmdutil.Factory) error {
	names, current, err := cmdutil.ProfileNames(f)
	if err != nil {
		return err
	}
	all := make([]*Status, len(names))
	sessions := make([]*auth.Session, len(names))
	signedIn := false
	for i, name := range names {
		if all[i], sessions[i], err = Read(ctx, f.ForProfile(name)); err != nil {
			return fmt.Errorf("profile %s: %w", name, err)
		}
		all[i].Current = name == current
		signedIn = signedIn || all[i].SignedIn
	}
	err = f.Print(all, func(p *cmdutil.Printer) error {
		for i, st := range all {
			title := p.CS.Bold(st.Profile)
			if st.Current {
				title += " (in use)"
			}
			if i > 0 {
				title = "\n" + title
			}
			if _, err := fmt.Fprintln(p.Out, title); err != nil {
				return err
			}
			if err := render.Fields(p.Out, p.Width, "  ", lines(p, st, sessions[i])[1:]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && !signedIn {
		return &cmdutil.SilentError{Code: cmdutil.ExitNotSignedIn}
	}
	return err
}

// Read collects the status of f's profile: its target, keys, storage, and
// the stored session for its Auth URL (nil when none). Local state only.
func Read(ctx context.Context, f *cmdutil.Factory) (*Status, *auth.Session, error) {
	t, err := f.Target()
	if err != nil {
		return nil, nil, err
	}
	_, info, err := f.Storage()
	if err != nil {
		return nil, nil, err
	}
	c, err := f.Client()
	if err != nil {
		return nil, nil, err
	}
	service, err := f.ServiceRoleKey()
	if err != nil {
		return nil, nil, err
	}
	st := &Status{Profile: t.Profile, URL: t.AuthURL, ProjectURL: t.ProjectURL, URLSource: t.URLSource,
		Keys:    KeysJSON{Anon: describeKey(cmdutil.Key{Value: t.AnonKey, Source: t.AnonKeyFrom}), ServiceRole: describeKey(service)},
		Storage: StorageJSON{Backend: info.Backend, Key: c.StorageKey(), FallbackReason: info.FallbackReason}}
	s := c.StoredSession(ctx)
	if s == nil {
		return st, nil, nil
	}
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
	return st, s, nil
}

// lines renders a status as label/value pairs.
func lines(p *cmdutil.Printer, st *Status, s *auth.Session) [][2]string {
	cs := p.CS
	storage := st.Storage.Backend
	if st.Storage.FallbackReason != "" {
		storage += cs.Yellow(" (keyring unavailable: " + st.Storage.FallbackReason + ")")
	}
	url := st.URL
	if st.URLSource != "" {
		url += cs.Gray(" (from " + st.URLSource + ")")
	}
	out := [][2]string{{"profile:", st.Profile}, {"url:", url},
		{"anon key:", keyLine(cs, st.Keys.Anon)}, {"service key:", keyLine(cs, st.Keys.ServiceRole)}, {"storage:", storage}}
	if s == nil {
		return append(out, [2]string{"user:", cs.Gray("not signed in (authctl --profile " + st.Profile + " login)")})
	}
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
	return append(out, [2]string{"user:", shared.UserLabel(&s.User) + cs.Gray(" ("+s.User.ID+")")},
		[2]string{"token:", when}, [2]string{"aal:", aal})
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
