package status

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// A token without exp has no expiry to count from: no "expired 56 years ago".
func TestStatusTokenWithoutExpiry(t *testing.T) {
	p := &cmdutil.Printer{CS: render.NewColorScheme(false), Now: time.Unix(1.8e9, 0)}
	st := &Status{SignedIn: true, AAL: "aal1"}
	rows := lines(p, st, &auth.Session{User: auth.User{ID: "u1", Email: "a@example.com"}})
	if !slices.Contains(rows, [2]string{"token:", "no expiry recorded"}) {
		t.Errorf("got: %q", rows)
	}
}

// The keys are listed with where they came from and what they claim to be,
// never with their values.
func TestStatusNamesKeySourcesNotValues(t *testing.T) {
	p := &cmdutil.Printer{CS: render.NewColorScheme(false), Now: time.Unix(1.8e9, 0)}
	st := &Status{URL: "http://127.0.0.1:9999", URLSource: "SUPABASE_URL", Keys: KeysJSON{
		Anon: describeKey(cmdutil.Key{Value: "sb_publishable_abc", Source: "SUPABASE_PUBLISHABLE_KEY"})}}
	rows := lines(p, st, nil)
	for _, want := range [][2]string{{"url:", "http://127.0.0.1:9999 (from SUPABASE_URL)"},
		{"anon key:", "from SUPABASE_PUBLISHABLE_KEY (publishable, role anon)"}, {"service key:", "not set"}} {
		if !slices.Contains(rows, want) {
			t.Errorf("no %q in %q", want, rows)
		}
	}
	for _, r := range rows {
		if strings.Contains(r[1], "sb_publishable_abc") {
			t.Error("status printed the key")
		}
	}
}
