package shared

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/prompt"
)

// mfaServer answers challenges and verifies: code "123456" succeeds with an
// aal2 session, anything else fails as the server does. It records the
// factor paths it was asked about.
func mfaServer(t *testing.T, paths *[]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		*paths = append(*paths, r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/challenge"):
			_ = json.NewEncoder(w).Encode(map[string]any{"id": "ch-1", "type": "totp", "expires_at": cmdutiltest.Now.Add(5 * time.Minute).Unix()})
		case strings.HasSuffix(r.URL.Path, "/verify"):
			var body struct{ Code string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			if body.Code != "123456" {
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = w.Write([]byte(`{"code":422,"error_code":"mfa_verification_failed","msg":"Invalid TOTP code entered"}`))
				return
			}
			s := cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-2")
			s.AccessToken = cmdutiltest.JWT(map[string]any{"sub": "u-1", "exp": s.ExpiresAt, "aal": "aal2"})
			_ = json.NewEncoder(w).Encode(s)
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
		}
	}
}

// signedIn stores an aal1 session whose user has factors and returns the
// sign-in result StepUp is given.
func signedIn(t *testing.T, h *cmdutiltest.Harness, factors ...auth.Factor) *auth.AuthResponse {
	s := cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1")
	s.User.Factors = factors
	h.Store(t, s)
	return &auth.AuthResponse{User: s.User, Session: s}
}

func totpFactor(id, name string) auth.Factor {
	return auth.Factor{ID: id, FriendlyName: name, FactorType: auth.FactorTypeTOTP, Status: auth.FactorVerified}
}

func terminal(h *cmdutiltest.Harness, answers ...prompt.Answer) *prompt.Stub {
	st := prompt.NewStub(answers...)
	h.F.IOStreams.SetStdinTTY(true)
	h.F.IOStreams.SetStdoutTTY(true)
	h.F.Prompter = func() prompt.Prompter { return st }
	return st
}

func TestStepUpWithoutTerminalKeepsAAL1AndSaysHow(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	ar := signedIn(t, h, totpFactor("f-1", "app"))
	got, err := StepUp(context.Background(), h.F, h.Client, ar, StepUpOptions{})
	if err != nil || got != ar {
		t.Fatalf("StepUp = %v, %v; want the aal1 result unchanged", got, err)
	}
	if !strings.Contains(h.Stderr.String(), "authctl mfa challenge-and-verify f-1 --code CODE") {
		t.Errorf("stderr does not say how to finish: %q", h.Stderr.String())
	}
}

func TestStepUpAsksWhichFactorAndRetriesAWrongCode(t *testing.T) {
	var paths []string
	h := cmdutiltest.New(t, mfaServer(t, &paths))
	ar := signedIn(t, h, totpFactor("f-1", "phone"), totpFactor("f-2", "backup"),
		auth.Factor{ID: "f-3", FactorType: auth.FactorTypeWebAuthn, Status: auth.FactorVerified})
	st := terminal(h, prompt.ChoiceOf("backup (totp, f-2)"), prompt.Text("000 000"), prompt.Text("123 456"))
	got, err := StepUp(context.Background(), h.F, h.Client, ar, StepUpOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if aal := SessionAAL(got.Session); aal != "aal2" {
		t.Errorf("result aal = %q, want aal2", aal)
	}
	if aal := SessionAAL(h.Stored(t)); aal != "aal2" {
		t.Errorf("stored aal = %q, want aal2", aal)
	}
	if q := st.Asked(); len(q) != 3 || len(q[0].Options) != 2 {
		t.Errorf("asked %+v; want the factor (WebAuthn left out) then the code twice", q)
	}
	for _, p := range paths {
		if !strings.HasPrefix(p, "/factors/f-2/") {
			t.Errorf("request to %s, want only the chosen factor f-2", p)
		}
	}
	if !strings.Contains(h.Stderr.String(), "try again") {
		t.Errorf("the wrong code was not reported: %q", h.Stderr.String())
	}
}

func TestStepUpMFACodeNeedsFactorWhenSeveral(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	ar := signedIn(t, h, totpFactor("f-1", "a"), totpFactor("f-2", "b"))
	_, err := StepUp(context.Background(), h.F, h.Client, ar, StepUpOptions{MFACode: "123456"})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--factor is required") {
		t.Errorf("err = %v, want a usage error asking for --factor", err)
	}
}

func TestStepUpWrongMFACodeFailsOnce(t *testing.T) {
	var paths []string
	h := cmdutiltest.New(t, mfaServer(t, &paths))
	ar := signedIn(t, h, totpFactor("f-1", "a"))
	_, err := StepUp(context.Background(), h.F, h.Client, ar, StepUpOptions{MFACode: "654321"})
	if auth.ErrorCode(err) != auth.CodeMFAVerificationFailed || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Errorf("err = %v, want mfa_verification_failed (exit 1)", err)
	}
	if len(paths) != 2 {
		t.Errorf("requests %v: a script's code is tried once", paths)
	}
	if aal := SessionAAL(h.Stored(t)); aal != "aal1" {
		t.Errorf("stored aal = %q, want the aal1 session kept", aal)
	}
}

func TestExplainAALExits4(t *testing.T) {
	err := ExplainAAL(&auth.APIError{AuthError: auth.AuthError{Name: "AuthApiError", Message: "AAL2 required", Code: auth.CodeInsufficientAAL, Status: 403}})
	if cmdutil.ExitCode(err) != cmdutil.ExitMFARequired || !strings.Contains(err.Error(), "challenge-and-verify") {
		t.Errorf("ExplainAAL = %v (exit %d), want exit 4 with how to get aal2", err, cmdutil.ExitCode(err))
	}
}
