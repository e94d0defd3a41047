package cmd

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/state"
)

func apiErr(status int, code, msg string) error {
	return &auth.APIError{AuthError: auth.AuthError{Name: auth.NameAPIError, Status: status, Code: code, Message: msg}}
}

func explainHint(t *testing.T, target cmdutil.Target, service cmdutil.Key, admin bool, err error) string {
	t.Helper()
	h := cmdutiltest.New(t, nil)
	st := state.Open(filepath.Join(t.TempDir(), "state.json"))
	if err := st.SetSession(target.Profile, "http://a.test/auth/v1", true); err != nil {
		t.Fatal(err)
	}
	h.F.Target = func() (*cmdutil.Target, error) { return &target, nil }
	h.F.State = func() (*state.File, error) { return st, nil }
	h.F.ServiceRoleKey = func() (cmdutil.Key, error) { return service, nil }
	out := explain(h.F, admin, err)
	if out.Error() != err.Error() {
		t.Fatalf("explain changed the message: %v", out)
	}
	hinted, ok := out.(*cmdutil.HintedError)
	if !ok {
		return ""
	}
	for _, key := range []string{service.Value, target.AnonKey} {
		if key != "" && strings.Contains(hinted.Hint, key) {
			t.Fatalf("the hint quotes a key: %s", hinted.Hint)
		}
	}
	return hinted.Hint
}

func TestExplain(t *testing.T) {
	anon := cmdutiltest.JWT(map[string]any{"role": "anon", "ref": "abcd"})
	service := cmdutiltest.JWT(map[string]any{"role": "service_role"})
	b := cmdutil.Target{Profile: "default", AuthURL: "http://b.test", URLSource: "SUPABASE_URL", AnonKey: anon, AnonKeyFrom: "SUPABASE_ANON_KEY"}
	hosted := b
	hosted.AuthURL = "https://wxyz.supabase.co/auth/v1"
	for _, tc := range []struct {
		name    string
		target  cmdutil.Target
		service cmdutil.Key
		admin   bool
		err     error
		want    []string
	}{
		{"signed in elsewhere", b, cmdutil.Key{}, false, cmdutil.ErrNotSignedIn(),
			[]string{`profile "default" is signed in to http://a.test/auth/v1, not to http://b.test`, "--url http://a.test/auth/v1"}},
		{"anon key as service key", b, cmdutil.Key{Value: anon, Source: "SUPABASE_SERVICE_ROLE_KEY"}, true,
			apiErr(403, "not_admin", "User not allowed"),
			[]string{"service-role key from SUPABASE_SERVICE_ROLE_KEY is wrong", `role "anon"`, "SUPABASE_SECRET_KEY"}},
		{"garbage service key", b, cmdutil.Key{Value: "garbage", Source: "`authctl config set service-role-key` (profile default)"}, true,
			apiErr(403, "bad_jwt", "invalid JWT"),
			[]string{"from `authctl config set service-role-key` (profile default)", "not a JWT"}},
		{"no service key", b, cmdutil.Key{}, true, apiErr(403, "bad_jwt", "invalid JWT"), []string{"no service-role key is set"}},
		{"gateway refuses anon key", hosted, cmdutil.Key{Value: service, Source: "SUPABASE_SECRET_KEY"}, false,
			apiErr(401, "", "Invalid API key (server hint: Double check your Supabase `anon` or `service_role` API key.)"),
			[]string{"gateway refused", "anon key from SUPABASE_ANON_KEY", `project "abcd"`, `the URL is project "wxyz"`, "authctl config set anon-key"}},
		{"404 names the URL", b, cmdutil.Key{}, false, apiErr(404, "", "unexpected non-JSON answer (HTTP 404)"),
			[]string{"http://b.test (from SUPABASE_URL)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := explainHint(t, tc.target, tc.service, tc.admin, tc.err)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("hint %q does not say %q", got, w)
				}
			}
		})
	}
	// A user command refused with not_admin is not about the service key.
	if got := explainHint(t, b, cmdutil.Key{}, false, apiErr(403, "not_admin", "User not allowed")); got != "" {
		t.Errorf("hint on a non-admin command: %q", got)
	}
}
