// Package status implements `authctl status`: what authctl would use and who
// is signed in, read from local state only (no network call).
package status

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
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
		Long: "Show what authctl would use — profile, Auth URL, session storage (and why the keyring was not\n" +
			"used, if it was not) — and the stored session: user, expiry, assurance level. Reads local state\n" +
			"only: no network call, no refresh. Exits with code 3 when nobody is signed in.\n\n" +
			"With --all, every profile of config.yaml, each with its own URL (SUPABASE_URL and --url do not\n" +
			"apply), the one in use marked; --json prints an array. Exits with code 3 only when no profile\n" +
			"is signed in.",
		Example: "  authctl status\n" +
			"  authctl status --all\n" +
			"  authctl status --json --jq .user.email",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Run(cmd.Context(), opts, runF, runStatus)
		},
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

// Read collects the status of f's profile from local state only: its
// target, storage, and stored session (nil when none).
func Read(ctx context.Context, f *cmdutil.Factory) (*Status, *auth.Session, error) {
	t, err := f.Target()
	if err != nil {
		return nil, nil, err
	}
	storage, info, err := f.Storage()
	if err != nil {
		return nil, nil, err
	}
	c, err := f.Client()
	if err != nil {
		return nil, nil, err
	}
	st := &Status{Profile: t.Profile, URL: t.AuthURL, ProjectURL: t.ProjectURL,
		Storage: StorageJSON{Backend: info.Backend, Key: c.StorageKey(), FallbackReason: info.FallbackReason}}
	raw, ok, err := storage.GetItem(ctx, c.StorageKey())
	if err != nil {
		return nil, nil, err
	}
	var s auth.Session
	if !ok || json.Unmarshal([]byte(raw), &s) != nil || s.AccessToken == "" {
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
	return st, &s, nil
}

// lines renders a status as label/value pairs.
func lines(p *cmdutil.Printer, st *Status, s *auth.Session) [][2]string {
	cs := p.CS
	storage := st.Storage.Backend
	if st.Storage.FallbackReason != "" {
		storage += cs.Yellow(" (keyring unavailable: " + st.Storage.FallbackReason + ")")
	}
	out := [][2]string{{"profile:", st.Profile}, {"url:", st.URL}, {"storage:", storage}}
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
