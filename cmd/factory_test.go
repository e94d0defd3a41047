package cmd

import (
	"testing"

	"github.com/authctl/authctl/internal/authurl"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
)

// resolveTarget names where the URL and the anon key came from, so that
// errors and status can point at the setting to change.
func TestResolveTargetNamesSources(t *testing.T) {
	cfg, err := config.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Set("default", "url", "https://abcd.supabase.co/"); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Set("default", "anon-key", "sb_publishable_x"); err != nil {
		t.Fatal(err)
	}
	static := func(r *authurl.Resolver, raw string) (authurl.Endpoints, error) {
		return r.Resolve(t.Context(), raw) // hosted and explicit forms: no request
	}
	for _, tc := range []struct {
		flag    string
		env     map[string]string
		url     string
		source  string
		anonSrc string
	}{
		{"", nil, "https://abcd.supabase.co/auth/v1", "config url of profile default", "config anon-key of profile default"},
		{"", map[string]string{"SUPABASE_URL": "https://wxyz.supabase.co/auth/v1/", "SUPABASE_PUBLISHABLE_KEY": "k"},
			"https://wxyz.supabase.co/auth/v1", "SUPABASE_URL", "SUPABASE_PUBLISHABLE_KEY"},
		{"http://127.0.0.1:9/gotrue", map[string]string{"SUPABASE_URL": "x", "SUPABASE_ANON_KEY": "k"},
			"http://127.0.0.1:9/gotrue", "--url", "SUPABASE_ANON_KEY"},
	} {
		getenv := func(k string) string { return tc.env[k] }
		tg, err := resolveTarget(&cmdutil.GlobalFlags{URL: tc.flag}, getenv, cfg, static)
		if err != nil {
			t.Fatal(err)
		}
		if tg.AuthURL != tc.url || tg.URLSource != tc.source || tg.AnonKeyFrom != tc.anonSrc {
			t.Errorf("flag %q env %v: %q from %q, anon key from %q", tc.flag, tc.env, tg.AuthURL, tg.URLSource, tg.AnonKeyFrom)
		}
	}
}
