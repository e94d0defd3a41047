package mfa

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/prompt"
)

const testURI = "otpauth://totp/demo:user@example.com?secret=JBSWY3DPEHPK3PXP&issuer=demo"

// enrollServer answers POST /factors as the real server does: the bare SVG.
func enrollServer(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/factors" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "f-1", "type": "totp", "friendly_name": "",
			"totp": map[string]string{"qr_code": "<svg/>", "secret": "JBSWY3DPEHPK3PXP", "uri": testURI}})
	}
}

func enrollHarness(t *testing.T) *cmdutiltest.Harness {
	h := cmdutiltest.New(t, enrollServer(t))
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
	return h
}

func TestEnrollJSONHasDataURIOnceAndDrawsNothing(t *testing.T) {
	h := enrollHarness(t)
	h.F.Flags.JSON = true
	h.F.IOStreams.SetStdinTTY(true)
	h.F.IOStreams.SetStdoutTTY(true)
	if err := runEnroll(context.Background(), &EnrollOptions{F: h.F, Type: "totp"}); err != nil {
		t.Fatal(err)
	}
	// On a terminal the JSON is coloured: look at the text, not the structure.
	got := h.Stdout.String()
	if strings.Count(got, "data:image/svg+xml;utf-8,<svg/>") != 1 || strings.Contains(got, "utf-8,data:") || !strings.Contains(got, testURI) {
		t.Errorf("--json lacks the data URI once, or the URI:\n%s", got)
	}
	if strings.Contains(got, "█") || strings.Contains(got, "Scan") {
		t.Errorf("--json drew a QR code:\n%s", got)
	}
}

func TestEnrollWithoutTerminalPrintsSecretAndNextStep(t *testing.T) {
	h := enrollHarness(t)
	if err := runEnroll(context.Background(), &EnrollOptions{F: h.F, Type: "totp"}); err != nil {
		t.Fatal(err)
	}
	got := h.Stdout.String()
	for _, want := range []string{"Secret: JBSWY3DPEHPK3PXP", "URI:    " + testURI, "authctl mfa challenge-and-verify f-1 --code CODE"} {
		if !strings.Contains(got, want) {
			t.Errorf("stdout lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b[") || strings.Contains(got, "█") {
		t.Errorf("a QR code was drawn without a terminal:\n%s", got)
	}
}

func TestEnrollNarrowTerminalSkipsQR(t *testing.T) {
	h := enrollHarness(t)
	h.F.IOStreams.SetStdinTTY(true)
	h.F.IOStreams.SetStdoutTTY(true)
	h.F.Prompter = func() prompt.Prompter { return prompt.NewStub() }
	p := h.F.Printer()
	p.Width = 30
	if err := drawQR(p, h.F, testURI); err != nil {
		t.Fatal(err)
	}
	if h.Stdout.Len() != 0 || !strings.Contains(h.Stderr.String(), "30 columns") {
		t.Errorf("stdout %q, stderr %q: want no QR and a warning", h.Stdout, h.Stderr)
	}
}

func TestEnrollFlagChecks(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	for _, o := range []EnrollOptions{
		{Type: "sms"}, {Type: "totp", Phone: "+15555550100"}, {Type: "phone", Issuer: "x", Phone: "+15555550100"}, {Type: "phone"},
	} {
		o.F = h.F
		if err := checkEnrollFlags(&o); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%+v: err %v, want a usage error", o, err)
		}
	}
}
