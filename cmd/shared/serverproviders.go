package shared

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/state"
)

// settingsMaxAge is how long what a server's GET /settings said is trusted
// without asking again. Completion asks on every Tab and the login chooser on
// every run; a provider switched on or off in the dashboard shows within this
// time. Being wrong for that long is cheap: a provider wrongly listed as on
// fails as it always did, at the server, and one wrongly listed as off is
// asked about again before anything is refused (CheckProvider).
const settingsMaxAge = 5 * time.Minute

// ServerProviders is the server's "external" map (which sign-in methods are
// on), from the state file when it was read less than settingsMaxAge ago,
// else from GET /settings. The state is per Auth URL, not per profile: it
// describes the server, which profiles may share, and a profile pointed at
// another URL must not inherit the old server's answer.
func ServerProviders(ctx context.Context, f *cmdutil.Factory) (map[string]bool, error) {
	t, err := f.Target()
	if err != nil {
		return nil, err
	}
	if st, err := f.State(); err == nil {
		if s, ok := st.Settings(t.AuthURL); ok {
			if age := f.Now().Sub(s.Read); age >= 0 && age < settingsMaxAge {
				return s.External, nil
			}
		}
	}
	c, err := f.PublicClient()
	if err != nil {
		return nil, err
	}
	s, err := c.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	rememberSettings(f, s)
	return s.External, nil
}

// rememberSettings records s for the target's URL. Failing to is not an
// error: the next reader asks the server.
func rememberSettings(f *cmdutil.Factory, s *auth.Settings) {
	t, err := f.Target()
	if err != nil {
		return
	}
	if st, err := f.State(); err == nil {
		_ = st.RememberSettings(t.AuthURL, state.Settings{Read: f.Now(), External: s.External})
	}
}

// EnabledProviders are the Providers that external says are on, in
// Providers' order.
func EnabledProviders(external map[string]bool) []string {
	var on []string
	for _, p := range Providers {
		if external[p] {
			on = append(on, p)
		}
	}
	return on
}

// CheckProvider fails at once, with the server's words, when the server
// would refuse to start a sign-in with provider: before a browser opens on a
// page of raw JSON and the terminal waits minutes for a return that cannot
// come. The settings decide when they say the provider is on; otherwise (off,
// or not listed there, as x and custom:NAME are not) the server is asked
// directly. Its refusal is an error reported by the server (exit 1), with a
// hint that names how to turn the provider on.
func CheckProvider(ctx context.Context, f *cmdutil.Factory, c *auth.Client, provider string) error {
	external, err := ServerProviders(ctx, f)
	if err != nil {
		return err
	}
	if external[provider] {
		return nil
	}
	err = c.CheckOAuthProvider(ctx, provider)
	var apiErr *auth.APIError
	if !errors.As(err, &apiErr) {
		return err
	}
	// The message stays the server's (errors print an API error's own
	// message); the hint names the provider.
	return &cmdutil.HintedError{Err: err, Hint: enableHint(provider, external)}
}

// enableHint says where a provider is turned on and which ones are.
func enableHint(provider string, external map[string]bool) string {
	on := "none"
	if ps := EnabledProviders(external); len(ps) > 0 {
		on = strings.Join(ps, ", ")
	}
	how := provider + " is off on this server: turn it on in the Supabase dashboard (Authentication → Sign In / Providers)"
	if name, ok := strings.CutPrefix(provider, "custom:"); ok {
		how = provider + " is not on this server: create custom provider " + name + " on the project (dashboard, or the admin API's /admin/custom-providers)"
	} else {
		how += ", or on a self-hosted server set GOTRUE_EXTERNAL_" + strings.ToUpper(provider) +
			"_ENABLED=true with its client ID and secret (`authctl emulator --providers` for the emulator)"
	}
	return how + "; enabled on this server: " + on
}
