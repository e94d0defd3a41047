package status

import (
	"slices"
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
