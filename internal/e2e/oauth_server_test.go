package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// oauthAuthorize starts an authorization as the client would and returns the
// authorization_id the server put on its redirect to the consent page.
func oauthAuthorize(t *testing.T, clientID, redirectURI, challenge, state string) string {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}, "state": {state}, "scope": {"email profile"}}
	req, err := http.NewRequest("GET", strings.TrimRight(target.URL, "/")+"/oauth/authorize?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", target.AnonKey)
	hc := httpClient(t)
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("GET /oauth/authorize: %d %s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	id := loc.Query().Get("authorization_id")
	if id == "" {
		t.Fatalf("GET /oauth/authorize redirected to %s: no authorization_id", loc)
	}
	return id
}

// oauthToken posts a form to /oauth/token and returns the status and the
// decoded answer.
func oauthToken(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", strings.TrimRight(target.URL, "/")+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", target.AnonKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := httpClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	body, _ := io.ReadAll(resp.Body)
	if len(body) > 0 {
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("POST /oauth/token: %d %s", resp.StatusCode, body)
		}
	}
	return resp.StatusCode, out
}

func pkcePair(t *testing.T) (verifier, challenge string) {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	verifier = hex.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// TestOAuthServerConsentAndGrants runs the OAuth 2.1 authorization code flow
// with the CLI as the signed-in user's consent side: authorization get and
// approve, the client's code exchange, grants list, deny, and grants revoke
// ending the client's refresh token.
func TestOAuthServerConsentAndGrants(t *testing.T) {
	adm := newEnv(t).withAdmin()
	const redirectURI = "http://127.0.0.1:53682/oauth/cb"
	var client struct {
		ClientID string `json:"client_id"`
	}
	adm.jsonOut(&client, "", "admin", "oauth", "clients", "create", "--name", fmt.Sprintf("e2e-oauth-%d", time.Now().UnixNano()),
		"--redirect-uri", redirectURI, "--token-endpoint-auth-method", "none")
	if client.ClientID == "" {
		t.Fatal("admin oauth clients create returned no client_id")
	}
	t.Cleanup(func() { adm.run("", "admin", "oauth", "clients", "delete", client.ClientID, "--yes") })

	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)

	var grants []struct {
		Client struct {
			ID string `json:"id"`
		} `json:"client"`
		Scopes []string `json:"scopes"`
	}
	e.jsonOut(&grants, "", "oauth", "grants", "list")
	if len(grants) != 0 {
		t.Fatalf("grants before any consent = %+v", grants)
	}

	verifier, challenge := pkcePair(t)
	id := oauthAuthorize(t, client.ClientID, redirectURI, challenge, "xyz")

	var details struct {
		AuthorizationID string `json:"authorization_id"`
		RedirectURI     string `json:"redirect_uri"`
		Client          struct {
			ID string `json:"id"`
		} `json:"client"`
		User struct {
			Email string `json:"email"`
		} `json:"user"`
		Scope string `json:"scope"`
	}
	e.jsonOut(&details, "", "oauth", "authorization", "get", id)
	if details.AuthorizationID != id || details.Client.ID != client.ClientID || details.RedirectURI != redirectURI ||
		details.User.Email != email || details.Scope == "" {
		t.Fatalf("authorization get = %+v", details)
	}
	if r := e.mustRun(0, "", "oauth", "authorization", "get", id); !strings.Contains(r.Stdout, client.ClientID) ||
		!strings.Contains(r.Stdout, redirectURI) {
		t.Fatalf("authorization get (human) = %q", r.Stdout)
	}

	r := e.mustRun(0, "", "oauth", "authorization", "approve", id)
	approved, err := url.Parse(strings.TrimSpace(r.Stdout))
	if err != nil {
		t.Fatal(err)
	}
	code := approved.Query().Get("code")
	if code == "" || approved.Query().Get("state") != "xyz" || !strings.HasPrefix(approved.String(), redirectURI) {
		t.Fatalf("approve printed %q, want %s with code and state=xyz", r.Stdout, redirectURI)
	}

	status, tok := oauthToken(t, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirectURI}, "client_id": {client.ClientID}, "code_verifier": {verifier}})
	access, _ := tok["access_token"].(string)
	refresh, _ := tok["refresh_token"].(string)
	if status != http.StatusOK || access == "" || refresh == "" {
		t.Fatalf("code exchange: %d %v", status, tok)
	}
	if got := claims(t, access)["email"]; got != email {
		t.Fatalf("the client's access token is for %v, want %s", got, email)
	}
	// The client's token works against the API as the user.
	if got := bearerUserEmail(t, access); got != email {
		t.Fatalf("GET /user with the client's token: email %q, want %s", got, email)
	}

	e.jsonOut(&grants, "", "oauth", "grants", "list")
	if len(grants) != 1 || grants[0].Client.ID != client.ClientID {
		t.Fatalf("grants after approve = %+v", grants)
	}
	if r := e.mustRun(0, "", "oauth", "grants", "list"); !strings.Contains(r.Stdout, client.ClientID) {
		t.Fatalf("grants list (human) = %q", r.Stdout)
	}

	// A second authorization, read and denied by another user: the first one
	// consented already, so the server would approve it straight away.
	e2 := newEnv(t)
	signUp(t, e2, "second-"+uniqueEmail(t))
	_, challenge2 := pkcePair(t)
	id2 := oauthAuthorize(t, client.ClientID, redirectURI, challenge2, "st-2")
	e2.jsonOut(&details, "", "oauth", "authorization", "get", id2)
	if details.AuthorizationID != id2 {
		t.Fatalf("second authorization get = %+v", details)
	}
	var denied struct {
		RedirectURL string `json:"redirect_url"`
	}
	e2.jsonOut(&denied, "", "oauth", "authorization", "deny", id2)
	du, err := url.Parse(denied.RedirectURL)
	if err != nil || du.Query().Get("error") != "access_denied" || !strings.HasPrefix(denied.RedirectURL, redirectURI) {
		t.Fatalf("deny --json redirect_url = %q, want %s?error=access_denied…", denied.RedirectURL, redirectURI)
	}

	e.mustRun(0, "", "oauth", "grants", "revoke", client.ClientID)
	e.jsonOut(&grants, "", "oauth", "grants", "list")
	if len(grants) != 0 {
		t.Fatalf("grants after revoke = %+v", grants)
	}
	if r := e.mustRun(0, "", "oauth", "grants", "list", "--json"); strings.TrimSpace(r.Stdout) != "[]" {
		t.Fatalf("grants list --json with none = %q, want []", r.Stdout)
	}
	status, tok = oauthToken(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {client.ClientID}})
	if status != http.StatusBadRequest {
		t.Fatalf("refresh after revoke: %d %v, want 400", status, tok)
	}

	wantFail(t, e.run("", "oauth", "authorization", "approve"), 2, "AUTHORIZATION_ID")
	wantFail(t, e.run("", "oauth", "grants", "revoke"), 2, "CLIENT_ID")
}

// bearerUserEmail reads GET /user's email with a bearer token.
func bearerUserEmail(t *testing.T, token string) string {
	t.Helper()
	req, err := http.NewRequest("GET", strings.TrimRight(target.URL, "/")+"/user", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", target.AnonKey)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := httpClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var u struct {
		Email string `json:"email"`
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &u) != nil {
		t.Fatalf("GET /user with the client's token: %d %s", resp.StatusCode, body)
	}
	return u.Email
}

// rawConsent posts a consent decision with a user's token directly, without
// reading the authorization first, and returns the status and error code.
func rawConsent(t *testing.T, id, token, action string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", strings.TrimRight(target.URL, "/")+"/oauth/authorizations/"+id+"/consent",
		strings.NewReader(`{"action":"`+action+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", target.AnonKey)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Supabase-Api-Version", "2024-01-01")
	resp, err := httpClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Code string `json:"code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Code
}

// approve and deny work on their own, without `get` first, although the
// server takes a decision only from a user who has read the authorization
// (both servers refuse a bare consent, checked here too). A user who
// consented to the client before gets it approved at the read: approve
// prints that redirect, deny fails saying how to withdraw access.
func TestOAuthServerDecideWithoutGet(t *testing.T) {
	adm := newEnv(t).withAdmin()
	const redirectURI = "http://127.0.0.1:53682/oauth/cb"
	var client struct {
		ClientID string `json:"client_id"`
	}
	adm.jsonOut(&client, "", "admin", "oauth", "clients", "create", "--name", fmt.Sprintf("e2e-decide-%d", time.Now().UnixNano()),
		"--redirect-uri", redirectURI, "--token-endpoint-auth-method", "none")
	t.Cleanup(func() { adm.run("", "admin", "oauth", "clients", "delete", client.ClientID, "--yes") })

	e := newEnv(t)
	s := signUp(t, e, uniqueEmail(t))
	_, challenge := pkcePair(t)

	// The server itself refuses consent from a user who has not read it.
	id := oauthAuthorize(t, client.ClientID, redirectURI, challenge, "st-1")
	if status, code := rawConsent(t, id, s.AccessToken, "approve"); status != http.StatusNotFound || code != "oauth_authorization_not_found" {
		t.Fatalf("bare consent: %d %s, want 404 oauth_authorization_not_found", status, code)
	}
	// The CLI reads, then approves.
	r := e.mustRun(0, "", "oauth", "authorization", "approve", id)
	u, err := url.Parse(strings.TrimSpace(r.Stdout))
	if err != nil || u.Query().Get("code") == "" || u.Query().Get("state") != "st-1" || !strings.HasPrefix(u.String(), redirectURI) {
		t.Fatalf("approve without get printed %q", r.Stdout)
	}

	// Another user denies without get.
	e2 := newEnv(t)
	signUp(t, e2, "second-"+uniqueEmail(t))
	var denied struct {
		RedirectURL string `json:"redirect_url"`
	}
	e2.jsonOut(&denied, "", "oauth", "authorization", "deny", oauthAuthorize(t, client.ClientID, redirectURI, challenge, "st-2"))
	if du, err := url.Parse(denied.RedirectURL); err != nil || du.Query().Get("error") != "access_denied" {
		t.Fatalf("deny without get: %q", denied.RedirectURL)
	}

	// The first user consented: the read approves, approve prints the
	// redirect, deny cannot undo it.
	r = e.mustRun(0, "", "oauth", "authorization", "approve", oauthAuthorize(t, client.ClientID, redirectURI, challenge, "st-3"))
	if u, err := url.Parse(strings.TrimSpace(r.Stdout)); err != nil || u.Query().Get("code") == "" || u.Query().Get("state") != "st-3" {
		t.Fatalf("approve of a consented client printed %q", r.Stdout)
	}
	wantFail(t, e.run("", "oauth", "authorization", "deny", oauthAuthorize(t, client.ClientID, redirectURI, challenge, "st-4")),
		1, "oauth grants revoke")
}
