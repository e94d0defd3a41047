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
	if !strings.Contains(out.String(), "token:   no expiry recorded\n") || strings.Contains(out.String(), "expired") {
		t.Errorf("got:\n%s", out.String())
	}
}
