package shared

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/prompt"
	"github.com/authctl/authctl/internal/render"
)

func TestPrintUserShowsTimesForPeople(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	p := &cmdutil.Printer{Out: &out, CS: render.NewColorScheme(false), Now: now}
	u := &auth.User{ID: "u1", Email: "a@example.com", EmailConfirmedAt: "x",
		CreatedAt: "2026-12-01T11:59:59.123456789Z", LastSignInAt: "2026-12-04T11:56:59.5Z"}
	if err := PrintUser(p, u); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"created:      3 days ago (", "last sign-in: 3 minutes ago ("} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, ".123456789") || strings.Contains(got, "T11:59") {
		t.Errorf("raw RFC 3339 timestamp in the output:\n%s", got)
	}
}

func TestNewSecretAsksTwiceAndAgainOnMismatch(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	st := terminal(h, prompt.Text("correct-horse-9"), prompt.Text("correct-hrose-9"),
		prompt.Text("correct-horse-9"), prompt.Text("correct-horse-9"))
	got, err := NewSecret(h.F, false, "--password-stdin", "Password", NotEmpty("the password"))
	if err != nil || got != "correct-horse-9" {
		t.Fatalf("NewSecret = %q, %v", got, err)
	}
	if err := st.Verify(); err != nil {
		t.Error(err)
	}
	if len(st.Asked()) != 4 || st.Asked()[1].Title != "Password again" {
		t.Errorf("asked %+v", st.Asked())
	}
	if !strings.Contains(h.Stderr.String(), "differ") {
		t.Errorf("stderr %q does not say the entries differ", h.Stderr.String())
	}
}
