package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// What a real server under test sends out and whom it trusts, the harness
// serves: the server's Send SMS / Send Email hooks deliver to a hookSink,
// its keycloak provider is an oidcProvider, and the SAML SSO providers the
// tests register are samlIDPs. The server must be started
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
	{"AUTHCTL_E2E_SAML_URL", "GOTRUE_SAML_ENABLED=true and GOTRUE_SAML_PRIVATE_KEY (base64 DER PKCS#1 RSA key); the tests register SSO providers whose IdPs are under this URL"},
}

// startRealServerFixtures starts the hook sink and the identity provider of
// a real-server run and finds its variant servers, or says which settings
// are missing.
func startRealServerFixtures(ctx context.Context, s *server) error {
	var missing []string
	for _, v := range realServerEnv {
		if os.Getenv(v.name) == "" {
			missing = append(missing, fmt.Sprintf("  %s (the server needs %s)", v.name, v.server))
		}
	}
	variants, missingVariants, err := realVariants(s)
	if err != nil {
		return err
	}
	missing = append(missing, missingVariants...)
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
	hl, err := net.Listen("tcp", os.Getenv("AUTHCTL_E2E_HOOK_ADDR"))
	if err != nil {
		return fmt.Errorf("the hook sink (AUTHCTL_E2E_HOOK_ADDR): %v", err)
	}
	serve(ctx, hl, sink)

	issuer := os.Getenv("AUTHCTL_E2E_OIDC_URL")
	ol, err := listenURL(issuer)
	if err != nil {
		return fmt.Errorf("the OIDC provider (AUTHCTL_E2E_OIDC_URL, the server's GOTRUE_EXTERNAL_KEYCLOAK_URL): %v", err)
	}
	idp, err := newOIDCProvider(issuer, os.Getenv("AUTHCTL_E2E_OIDC_CLIENT_ID"), os.Getenv("AUTHCTL_E2E_OIDC_SECRET"))
	if err != nil {
		return err
	}
	serve(ctx, ol, idp)

	sl, err := listenURL(os.Getenv("AUTHCTL_E2E_SAML_URL"))
	if err != nil {
		return fmt.Errorf("the SAML identity providers (AUTHCTL_E2E_SAML_URL): %v", err)
	}
	sso, err := serveSAMLIdPs(ctx, sl, s.URL)
	if err != nil {
		return err
	}
	s.hooks, s.idp, s.saml, s.variants = sink, idp, sso, variants
	return nil
}

// listenURL listens on the address of an http://HOST:PORT URL.
func listenURL(raw string) (net.Listener, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Path != "" || u.Port() == "" {
		return nil, fmt.Errorf("%q: want http://HOST:PORT (no path)", raw)
	}
	return net.Listen("tcp", u.Host)
}

// serveSAMLIdPs serves SAML identity providers on l for the server at
// serverURL.
func serveSAMLIdPs(ctx context.Context, l net.Listener, serverURL string) (*samlIDPs, error) {
	idps, err := newSAMLIdPs("http://"+l.Addr().String(), serverURL)
	if err != nil {
		l.Close()
		return nil, err
	}
	serve(ctx, l, idps)
	return idps, nil
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
		External    map[string]bool `json:"external"`
		SAMLEnabled bool            `json:"saml_enabled"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&settings); err != nil {
		return fmt.Errorf("GET /settings of %s: %v", s.URL, err)
	}
	if !settings.External[testProvider] {
		return fmt.Errorf("the real server %s has the %s provider off: start it with GOTRUE_EXTERNAL_KEYCLOAK_ENABLED=true "+
			"and the URL, client and secret of AUTHCTL_E2E_OIDC_* (see .ci/real-server-e2e.sh)", s.URL, testProvider)
	}
	if !settings.SAMLEnabled {
		return fmt.Errorf("the real server %s has SAML SSO off: start it with GOTRUE_SAML_ENABLED=true and "+
			"GOTRUE_SAML_PRIVATE_KEY (see .ci/real-server-e2e.sh)", s.URL)
	}
	return nil
}

// serve serves h on l until ctx ends.
func serve(ctx context.Context, l net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(l) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
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

// ssoMetadataXML is the metadata of the SAML identity provider of domain,
// for POST /admin/sso/providers: on a real server the harness's IdP of
// that domain, on the emulator its own built-in IdP (one for every domain),
// so `login sso` goes through real SAML on both.
func ssoMetadataXML(t *testing.T, domain string) string {
	t.Helper()
	if target.Emulated {
		resp, err := http.Get(strings.TrimSuffix(target.URL, "/") + "/emulator/saml/metadata")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("the emulator's SAML IdP metadata: %v %s", err, resp.Status)
		}
		return string(b)
	}
	x, err := target.saml.metadataXML(domain)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
