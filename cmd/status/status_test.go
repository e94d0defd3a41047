package status

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// A token without exp has no expiry to count from: no "expired 56 years ago".
func TestStatusTokenWithoutExpiry(t *testing.T) {
	var out bytes.Buffer
	p := &cmdutil.Printer{Out: &out, CS: render.NewColorScheme(false), Now: time.Unix(1.8e9, 0)}
	st := &Status{SignedIn: true, AAL: "aal1"}
	if err := printStatus(p, st, &auth.Session{User: auth.User{ID: "u1", Email: "a@example.com"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "token:       no expiry recorded\n") || strings.Contains(out.String(), "expired") {
		t.Errorf("got:\n%s", out.String())
	}
}

// The keys are listed with where they came from and what they claim to be,
// never with their values.
func TestStatusNamesKeySourcesNotValues(t *testing.T) {
	var out bytes.Buffer
	p := &cmdutil.Printer{Out: &out, CS: render.NewColorScheme(false), Now: time.Unix(1.8e9, 0)}
	st := &Status{URL: "http://127.0.0.1:9999", URLSource: "SUPABASE_URL", Keys: KeysJSON{
		Anon: describeKey(cmdutil.Key{Value: "sb_publishable_abc", Source: "SUPABASE_PUBLISHABLE_KEY"})}}
	if err := printStatus(p, st, &auth.Session{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"url:         http://127.0.0.1:9999 (from SUPABASE_URL)\n",
		"anon key:    from SUPABASE_PUBLISHABLE_KEY (publishable, role anon)\n", "service key: not set\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "sb_publishable_abc") {
		t.Error("status printed the key")
	}
}
