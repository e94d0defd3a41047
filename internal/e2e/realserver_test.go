package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// What a real server under test sends out and whom it trusts, the harness
// serves: the server's Send SMS / Send Email hooks deliver to a hookSink,
// and its keycloak provider is an oidcProvider. The server must be started
// with the matching GOTRUE_* settings; .ci/real-server-e2e.sh does both.
// The emulator keeps what it sends in its own outbox and serves its own mock
// identity provider, so the tests read codes and get ID tokens through
// lastSent and providerIDToken, whichever the target is.

// realServerEnv are the settings a real-server run needs besides the URL and
// keys, and the server settings each one must match.
var realServerEnv = []struct{ name, server string }{
	{"AUTHCTL_E2E_HOOK_ADDR", "GOTRUE_HOOK_SEND_SMS_URI=http://ADDR/sms and GOTRUE_HOOK_SEND_EMAIL_URI=http://ADDR/email"},
	{"AUTHCTL_E2E_HOOK_SECRET", "GOTRUE_HOOK_SEND_SMS_SECRETS and GOTRUE_HOOK_SEND_EMAIL_SECRETS (v1,whsec_BASE64)"},
	{"AUTHCTL_E2E_OIDC_URL", "GOTRUE_EXTERNAL_KEYCLOAK_URL (with GOTRUE_EXTERNAL_KEYCLOAK_ENABLED=true)"},
	{"AUTHCTL_E2E_OIDC_CLIENT_ID", "GOTRUE_EXTERNAL_KEYCLOAK_CLIENT_ID"},
	{"AUTHCTL_E2E_OIDC_SECRET", "GOTRUE_EXTERNAL_KEYCLOAK_SECRET"},
}

// startRealServerFixtures starts the hook sink and the identity provider of
// a real-server run, or says which settings are missing.
func startRealServerFixtures(ctx context.Context, s *server) error {
	var missing []string
	for _, v := range realServerEnv {
		if os.Getenv(v.name) == "" {
			missing = append(missing, fmt.Sprintf("  %s (the server needs %s)", v.name, v.server))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the suite against the real server %s needs these settings, which are not set:\n%s\n"+
			"run it with .ci/real-server-e2e.sh, which sets them and starts the server to match", s.URL, strings.Join(missing, "\n"))
	}
	if err := checkServerSettings(s); err != nil {
		return err
	}

	sink, err := newHookSink(os.Getenv("AUTHCTL_E2E_HOOK_SECRET"))
	if err != nil {
		return err
	}
	if err := serveOn(ctx, os.Getenv("AUTHCTL_E2E_HOOK_ADDR"), sink); err != nil {
		return fmt.Errorf("the hook sink (AUTHCTL_E2E_HOOK_ADDR): %v", err)
	}
	issuer := os.Getenv("AUTHCTL_E2E_OIDC_URL")
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme != "http" || u.Path != "" {
		return fmt.Errorf("AUTHCTL_E2E_OIDC_URL=%q: want http://HOST:PORT (no path), as GOTRUE_EXTERNAL_KEYCLOAK_URL", issuer)
	}
	idp, err := newOIDCProvider(issuer, os.Getenv("AUTHCTL_E2E_OIDC_CLIENT_ID"), os.Getenv("AUTHCTL_E2E_OIDC_SECRET"))
	if err != nil {
		return err
	}
	if err := serveOn(ctx, u.Host, idp); err != nil {
		return fmt.Errorf("the OIDC provider (AUTHCTL_E2E_OIDC_URL): %v", err)
	}
	s.hooks, s.idp = sink, idp
	return nil
}

// checkServerSettings reads the server's public settings: the provider the
// tests sign in with must be on.
func checkServerSettings(s *server) error {
	req, err := http.NewRequest("GET", strings.TrimSuffix(s.URL, "/")+"/settings", nil)
	if err != nil {
		return err
	}
	req.Header.Set("apikey", s.AnonKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var settings struct {
		External map[string]bool `json:"external"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&settings); err != nil {
		return fmt.Errorf("GET /settings of %s: %v", s.URL, err)
	}
	if !settings.External[testProvider] {
		return fmt.Errorf("the real server %s has the %s provider off: start it with GOTRUE_EXTERNAL_KEYCLOAK_ENABLED=true "+
			"and the URL, client and secret of AUTHCTL_E2E_OIDC_* (see .ci/real-server-e2e.sh)", s.URL, testProvider)
	}
	return nil
}

// serveOn serves h on addr until ctx ends.
func serveOn(ctx context.Context, addr string, h http.Handler) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(l) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	return nil
}

// lastSent returns the last SMS or email the target sent to a phone number
// or an email address: from the emulator's outbox, or as a real server's
// hook delivered it.
func lastSent(t *testing.T, to string) sentMessage {
	t.Helper()
	to = strings.ToLower(strings.TrimPrefix(to, "+"))
	if target.Emulated {
		var msgs []struct {
			OTP       string `json:"otp"`
			TokenHash string `json:"token_hash"`
		}
		apiCall(t, "GET", "/emulator/messages?to="+url.QueryEscape(to), target.ServiceRoleKey, nil, &msgs)
		if len(msgs) == 0 {
			t.Fatalf("the emulator sent nothing to %s", to)
		}
		return sentMessage{OTP: msgs[len(msgs)-1].OTP, TokenHash: msgs[len(msgs)-1].TokenHash}
	}
	m, ok := target.hooks.last(to)
	if !ok {
		t.Fatalf("the server's hooks delivered nothing for %s", to)
	}
	return m
}

// providerIDToken returns an ID token of testProvider for email that the
// target accepts: the emulator's mock provider issues it on the emulator;
// on a real server the harness's OIDC provider signs it.
func providerIDToken(t *testing.T, email string) string {
	t.Helper()
	if target.Emulated {
		var out struct {
			IDToken string `json:"id_token"`
		}
		apiCall(t, "POST", "/emulator/idp/id_token", target.AnonKey, map[string]any{"provider": testProvider, "email": email}, &out)
		return out.IDToken
	}
	tok, err := target.idp.idToken(email, "")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
