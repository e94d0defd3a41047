package mfa

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
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

// TestEnrollQRFitsTheScreen: on a terminal the QR code, the secret and the
// next step fit the screen together (the URI and factor lines go first,
// then quiet zone); on a screen too small for any, the code is left out and
// the person is told why.
func TestEnrollQRFitsTheScreen(t *testing.T) {
	for _, tc := range []struct {
		cols, lines string
		qr, uri     bool
	}{
		{"120", "50", true, true},
		{"80", "24", true, true},
		{"80", "20", true, false},
		{"30", "24", false, true},
		{"80", "10", false, true},
	} {
		h := enrollHarness(t)
		h.F.IOStreams.SetStdoutTTY(true)
		h.F.IOStreams.SetGetenv(func(k string) string {
			return map[string]string{"COLUMNS": tc.cols, "LINES": tc.lines}[k]
		})
		if err := runEnroll(context.Background(), &EnrollOptions{F: h.F, Type: "totp", NoVerify: true}); err != nil {
			t.Fatal(err)
		}
		out := h.Stdout.String()
		size := tc.cols + "×" + tc.lines
		if got := strings.Contains(out, "█"); got != tc.qr {
			t.Errorf("%s: QR drawn %v, want %v:\n%s", size, got, tc.qr, out)
		}
		if got := strings.Contains(out, "URI:    "+testURI); got != tc.uri {
			t.Errorf("%s: URI shown %v, want %v:\n%s", size, got, tc.uri, out)
		}
		if !strings.Contains(out, "Secret: JBSWY3DPEHPK3PXP") || !strings.Contains(out, "challenge-and-verify f-1") {
			t.Errorf("%s: the secret or the next step is missing:\n%s", size, out)
		}
		if lines, _ := strconv.Atoi(tc.lines); tc.qr && strings.Count(out, "\n") > lines {
			t.Errorf("%s: %d lines do not fit:\n%s", size, strings.Count(out, "\n"), out)
		}
		if warned := strings.Contains(h.Stderr.String(), "the terminal is "+size); warned == tc.qr {
			t.Errorf("%s: warning %q", size, h.Stderr)
		}
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
