package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func newTestServer(t *testing.T, mod func(*Config)) (*Server, *httptest.Server) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.PasswordCost = bcrypt.MinCost
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// call sends a request (no redirects followed) and decodes a JSON answer into out.
func call(t *testing.T, method, u, token string, body any, out any) *http.Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, u, resp.StatusCode, b)
		}
	}
	return resp
}

// follow follows redirects on the emulator at base until one leaves it.
func follow(t *testing.T, base, u string) *url.URL {
	t.Helper()
	for range 5 {
		resp := call(t, "GET", u, "", nil, nil)
		if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("GET %s: %d", u, resp.StatusCode)
		}
		loc, err := resp.Location()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(loc.String(), base) {
			return loc
		}
		u = loc.String()
	}
	t.Fatal("too many redirects")
	return nil
}

// postForm posts form to u without following a redirect and returns where
// the answer sends the browser (nil for none).
func postForm(t *testing.T, u string, form url.Values) *url.URL {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := resp.Location()
	return loc
}

// hiddenFields reads the values of the named inputs of an HTML page.
func hiddenFields(t *testing.T, page []byte, names ...string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, name := range names {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("no %s in the page: %s", name, page)
		}
		v.Set(name, html.UnescapeString(string(m[1])))
	}
	return v
}

// implicitUser follows u to the application's redirect and returns the
// email and the provider of the user whose session its fragment holds.
func implicitUser(t *testing.T, base, u string) (email string, provider any) {
	t.Helper()
	loc := follow(t, base, u)
	frag, _ := url.ParseQuery(loc.Fragment)
	var user struct {
		Email       string         `json:"email"`
		AppMetadata map[string]any `json:"app_metadata"`
	}
	call(t, "GET", base+"/user", frag.Get("access_token"), nil, &user)
	return user.Email, user.AppMetadata["provider"]
}

type testSession struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	User         struct {
		ID         string `json:"id"`
		Email      string `json:"email"`
		Identities []struct {
			IdentityID string `json:"identity_id"`
			Provider   string `json:"provider"`
		} `json:"identities"`
	} `json:"user"`
}

func TestOAuthPKCEThroughMockProvider(t *testing.T) {
	_, ts := newTestServer(t, nil)
	verifier := "a-very-long-code-verifier-for-the-pkce-flow-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"provider": {"github"}, "redirect_to": {"http://127.0.0.1:5555/cb"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"s256"},
		"emulator_auto": {"1"}, "login_hint": {"octo@example.com"}}
	loc := follow(t, ts.URL, ts.URL+"/authorize?"+q.Encode())
	if loc.Host != "127.0.0.1:5555" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %s", loc)
	}
	var s testSession
	resp := call(t, "POST", ts.URL+"/token?grant_type=pkce", "", map[string]string{"auth_code": loc.Query().Get("code"), "code_verifier": verifier}, &s)
	if resp.StatusCode != 200 || s.User.Email != "octo@example.com" || len(s.User.Identities) != 1 || s.User.Identities[0].Provider != "github" {
		t.Fatalf("exchange: %d %+v", resp.StatusCode, s)
	}
	// A code is spent once.
	resp = call(t, "POST", ts.URL+"/token?grant_type=pkce", "", map[string]string{"auth_code": loc.Query().Get("code"), "code_verifier": verifier}, nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("second exchange: %d", resp.StatusCode)
	}
}

func TestMockProviderPageAndImplicitFlow(t *testing.T) {
	_, ts := newTestServer(t, nil)
	resp := call(t, "GET", ts.URL+"/authorize?provider=google&redirect_to=http://127.0.0.1:5555/cb", "", nil, nil)
	page, _ := resp.Location()
	resp, err := http.Get(page.String())
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(html), "<form") || !strings.Contains(string(html), page.Query().Get("state")) {
		t.Fatalf("page: %s", html)
	}
	form := url.Values{"state": {page.Query().Get("state")}, "email": {"g@example.com"}, "name": {"G"}}
	loc := follow(t, ts.URL, postForm(t, ts.URL+"/emulator/idp/authorize", form).String())
	frag, _ := url.ParseQuery(loc.Fragment)
	if frag.Get("access_token") == "" || frag.Get("refresh_token") == "" {
		t.Fatalf("implicit redirect %s", loc)
	}
	var u struct{ Email string }
	call(t, "GET", ts.URL+"/user", frag.Get("access_token"), nil, &u)
	if u.Email != "g@example.com" {
		t.Fatalf("user %+v", u)
	}
}

func TestLinkAndUnlinkIdentity(t *testing.T) {
	_, ts := newTestServer(t, nil)
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "link@example.com", "password": "correct-horse-9"}, &s)
	var link struct{ URL string }
	call(t, "GET", ts.URL+"/user/identities/authorize?provider=github&skip_http_redirect=true&emulator_auto=1&redirect_to=http://127.0.0.1:5555/cb", s.AccessToken, nil, &link)
	follow(t, ts.URL, link.URL)
	var u struct {
		Identities []struct {
			IdentityID string `json:"identity_id"`
			Provider   string `json:"provider"`
		} `json:"identities"`
	}
	call(t, "GET", ts.URL+"/user", s.AccessToken, nil, &u)
	if len(u.Identities) != 2 {
		t.Fatalf("identities after linking: %+v", u)
	}
	for _, id := range u.Identities {
		if id.Provider == "github" {
			if resp := call(t, "DELETE", ts.URL+"/user/identities/"+id.IdentityID, s.AccessToken, nil, nil); resp.StatusCode != 200 {
				t.Fatalf("unlink: %d", resp.StatusCode)
			}
		}
	}
	if resp := call(t, "DELETE", ts.URL+"/user/identities/"+u.Identities[0].IdentityID, s.AccessToken, nil, nil); resp.StatusCode != 422 {
		t.Fatalf("unlink last: %d", resp.StatusCode)
	}
}

func TestMessagesEndpoint(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	call(t, "POST", ts.URL+"/otp", "", map[string]any{"email": "otp@example.com"}, nil)
	// From another machine, the anon key is not enough (from this one, no
	// key is needed: inbox_test.go).
	req := httptest.NewRequest("GET", "/emulator/messages", nil)
	req.Header.Set("Authorization", "Bearer "+srv.AnonKey())
	if rec := serve(srv, req); rec.Code != http.StatusForbidden {
		t.Fatalf("anon key from another machine: %d", rec.Code)
	}
	var msgs []message
	call(t, "GET", ts.URL+"/emulator/messages?to=otp@example.com", srv.ServiceRoleKey(), nil, &msgs)
	if len(msgs) != 1 || msgs[0].OTP == "" || msgs[0].TokenHash == "" || !strings.Contains(msgs[0].ActionLink, "/verify?token=") {
		t.Fatalf("messages: %+v", msgs)
	}
	var s testSession
	resp := call(t, "POST", ts.URL+"/verify", "", map[string]string{"email": "otp@example.com", "token": msgs[0].OTP, "type": "email"}, &s)
	if resp.StatusCode != 200 || s.AccessToken == "" {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
}

func TestAsymmetricKeys(t *testing.T) {
	_, ts := newTestServer(t, func(c *Config) { c.Asymmetric = true })
	var jwks struct {
		Keys []struct{ Kty, Alg, Kid string } `json:"keys"`
	}
	call(t, "GET", ts.URL+"/.well-known/jwks.json", "", nil, &jwks)
	if len(jwks.Keys) != 1 || jwks.Keys[0].Alg != "ES256" || jwks.Keys[0].Kty != "EC" {
		t.Fatalf("jwks %+v", jwks)
	}
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]any{}, &s)
	header, _ := base64.RawURLEncoding.DecodeString(strings.Split(s.AccessToken, ".")[0])
	if !strings.Contains(string(header), "ES256") {
		t.Fatalf("header %s", header)
	}
	if resp := call(t, "GET", ts.URL+"/user", s.AccessToken, nil, nil); resp.StatusCode != 200 {
		t.Fatalf("GET /user: %d", resp.StatusCode)
	}
}

func TestAuthV1Prefix(t *testing.T) {
	_, ts := newTestServer(t, nil)
	if resp := call(t, "GET", ts.URL+"/auth/v1/health", "", nil, nil); resp.StatusCode != 200 {
		t.Fatalf("/auth/v1/health: %d", resp.StatusCode)
	}
}

func TestMagicLinkPKCE(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	verifier := "magic-link-verifier-0123456789-0123456789-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "ml@example.com", "password": "correct-horse-9"}, nil)
	resp := call(t, "POST", ts.URL+"/otp", "", map[string]any{"email": "ml@example.com", "redirect_to": "http://127.0.0.1:5555/done",
		"code_challenge": base64.RawURLEncoding.EncodeToString(sum[:]), "code_challenge_method": "s256"}, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("otp: %d", resp.StatusCode)
	}
	var msgs []message
	call(t, "GET", ts.URL+"/emulator/messages?to=ml@example.com", srv.ServiceRoleKey(), nil, &msgs)
	if len(msgs) != 1 {
		t.Fatalf("messages %+v", msgs)
	}
	loc := follow(t, ts.URL, msgs[0].ActionLink)
	if loc.Path != "/done" || loc.Query().Get("code") == "" {
		t.Fatalf("link redirect %s", loc)
	}
	var s testSession
	if resp := call(t, "POST", ts.URL+"/token?grant_type=pkce", "", map[string]string{"auth_code": loc.Query().Get("code"), "code_verifier": verifier}, &s); resp.StatusCode != 200 || s.User.Email != "ml@example.com" {
		t.Fatalf("exchange %d %+v", resp.StatusCode, s)
	}
}

// Concurrent refreshes of one token all succeed with the same successor.
func TestConcurrentRefresh(t *testing.T) {
	_, ts := newTestServer(t, nil)
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "cc@example.com", "password": "correct-horse-9"}, &s)
	const n = 8
	results := make(chan string, n)
	for range n {
		go func() {
			var out testSession
			resp := call(t, "POST", ts.URL+"/token?grant_type=refresh_token", "", map[string]string{"refresh_token": s.RefreshToken}, &out)
			if resp.StatusCode != 200 {
				results <- "status " + resp.Status
				return
			}
			results <- out.RefreshToken
		}()
	}
	first := <-results
	for range n - 1 {
		if got := <-results; got != first {
			t.Fatalf("refresh results differ: %q vs %q", got, first)
		}
	}
}

func TestSSOThroughMockProvider(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	if resp := call(t, "POST", ts.URL+"/sso", "", map[string]any{"domain": "corp.test", "skip_http_redirect": true}, nil); resp.StatusCode != 404 {
		t.Fatalf("sso without providers: %d", resp.StatusCode)
	}
	var sp struct{ ID string }
	if resp := call(t, "POST", ts.URL+"/admin/sso/providers", srv.ServiceRoleKey(), map[string]any{"type": "saml", "metadata_url": "https://idp.corp.test/metadata", "domains": []string{"corp.test"}}, &sp); resp.StatusCode != 201 {
		t.Fatalf("create provider: %d", resp.StatusCode)
	}
	var start struct{ URL string }
	call(t, "POST", ts.URL+"/sso", "", map[string]any{"domain": "corp.test", "skip_http_redirect": true, "emulator_auto": true,
		"redirect_to": "http://127.0.0.1:5555/cb"}, &start)
	if email, provider := implicitUser(t, ts.URL, start.URL); email != "user@corp.test" || provider != "sso:"+sp.ID {
		t.Fatalf("sso user %s of %v", email, provider)
	}
}

func TestIDTokenFromMockProvider(t *testing.T) {
	_, ts := newTestServer(t, nil)
	var idt struct {
		IDToken string `json:"id_token"`
	}
	call(t, "POST", ts.URL+"/emulator/idp/id_token", "", map[string]string{"provider": "google", "email": "gid@example.com", "nonce": "n-1"}, &idt)
	var s testSession
	resp := call(t, "POST", ts.URL+"/token?grant_type=id_token", "", map[string]string{"provider": "google", "id_token": idt.IDToken, "nonce": "n-1"}, &s)
	if resp.StatusCode != 200 || s.User.Email != "gid@example.com" {
		t.Fatalf("id_token grant: %d %+v", resp.StatusCode, s)
	}
	if resp := call(t, "POST", ts.URL+"/token?grant_type=id_token", "", map[string]string{"provider": "google", "id_token": idt.IDToken, "nonce": "other"}, nil); resp.StatusCode != 400 {
		t.Fatalf("wrong nonce: %d", resp.StatusCode)
	}
	if resp := call(t, "POST", ts.URL+"/token?grant_type=id_token", "", map[string]string{"provider": "github", "id_token": idt.IDToken}, nil); resp.StatusCode != 500 {
		t.Fatalf("token of another provider: %d", resp.StatusCode)
	}
}

func TestTOTPForPhoneUser(t *testing.T) {
	_, ts := newTestServer(t, nil)
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"phone": "15555550199", "password": "correct-horse-9"}, &s)
	var f struct {
		ID   string `json:"id"`
		TOTP struct {
			QRCode string `json:"qr_code"`
			URI    string `json:"uri"`
		} `json:"totp"`
	}
	if resp := call(t, "POST", ts.URL+"/factors", s.AccessToken, map[string]string{"factor_type": "totp"}, &f); resp.StatusCode != 200 {
		t.Fatalf("enroll: %d", resp.StatusCode)
	}
	if !strings.HasPrefix(f.TOTP.QRCode, "<?xml") || !strings.Contains(f.TOTP.QRCode, "<svg") || !strings.HasPrefix(f.TOTP.URI, "otpauth://totp/") {
		t.Fatalf("factor %+v", f)
	}
}

func TestPhoneMFA(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "pm@example.com", "password": "correct-horse-9"}, &s)
	var f struct{ ID string }
	call(t, "POST", ts.URL+"/factors", s.AccessToken, map[string]string{"factor_type": "phone", "phone": "+1 555 555 0100"}, &f)
	var ch struct{ ID string }
	if resp := call(t, "POST", ts.URL+"/factors/"+f.ID+"/challenge", s.AccessToken, map[string]string{"channel": "sms"}, &ch); resp.StatusCode != 200 {
		t.Fatalf("challenge: %d", resp.StatusCode)
	}
	var msgs []message
	call(t, "GET", ts.URL+"/emulator/messages?to=15555550100", srv.ServiceRoleKey(), nil, &msgs)
	if len(msgs) != 1 || msgs[0].OTP == "123456" {
		t.Fatalf("MFA SMS must not use the test OTP: %+v", msgs)
	}
	var up testSession
	if resp := call(t, "POST", ts.URL+"/factors/"+f.ID+"/verify", s.AccessToken, map[string]string{"challenge_id": ch.ID, "code": msgs[0].OTP}, &up); resp.StatusCode != 200 {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(up.AccessToken, ".")[1])
	var c struct {
		AAL string `json:"aal"`
		AMR []struct {
			Method string `json:"method"`
		} `json:"amr"`
	}
	_ = json.Unmarshal(payload, &c)
	if c.AAL != "aal2" || len(c.AMR) != 2 {
		t.Fatalf("claims %s", payload)
	}
}

func TestEmailChange(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	var s testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": "old@example.com", "password": "correct-horse-9"}, &s)
	if resp := call(t, "PUT", ts.URL+"/user", s.AccessToken, map[string]string{"email": "new@example.com"}, nil); resp.StatusCode != 200 {
		t.Fatalf("PUT /user: %d", resp.StatusCode)
	}
	var msgs []message
	call(t, "GET", ts.URL+"/emulator/messages?to=new@example.com", srv.ServiceRoleKey(), nil, &msgs)
	if len(msgs) != 1 || msgs[0].Type != "email_change_new" {
		t.Fatalf("messages %+v", msgs)
	}
	var v testSession
	if resp := call(t, "POST", ts.URL+"/verify", "", map[string]string{"type": "email_change", "email": "new@example.com", "token": msgs[0].OTP}, &v); resp.StatusCode != 200 || v.User.Email != "new@example.com" {
		t.Fatalf("verify: %d %+v", resp.StatusCode, v.User)
	}
	if resp := call(t, "POST", ts.URL+"/token?grant_type=password", "", map[string]string{"email": "new@example.com", "password": "correct-horse-9"}, nil); resp.StatusCode != 200 {
		t.Fatalf("sign-in with the new email: %d", resp.StatusCode)
	}
}

func TestCorruptDataFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.DataFile = file
	if _, err := New(cfg); err == nil {
		t.Fatal("New accepted a corrupt data file")
	}
}

func TestAdminListSortAndPages(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv, ts := newTestServer(t, func(c *Config) {
		c.Now = func() time.Time { now = now.Add(time.Second); return now }
	})
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		call(t, "POST", ts.URL+"/admin/users", srv.ServiceRoleKey(), map[string]any{"email": e}, nil)
	}
	var page struct {
		Users []struct{ Email string } `json:"users"`
	}
	resp := call(t, "GET", ts.URL+"/admin/users?sort=created_at+asc&per_page=1&page=1", srv.ServiceRoleKey(), nil, &page)
	if len(page.Users) != 1 || page.Users[0].Email != "a@example.com" || resp.Header.Get("X-Total-Count") != "3" ||
		!strings.Contains(resp.Header.Get("Link"), `page=3&per_page=1&sort=created_at+asc>; rel="last"`) {
		t.Fatalf("asc page: %+v %v", page, resp.Header)
	}
	call(t, "GET", ts.URL+"/admin/users", srv.ServiceRoleKey(), nil, &page)
	if page.Users[0].Email != "c@example.com" {
		t.Fatalf("default order: %+v", page)
	}
	if resp := call(t, "GET", ts.URL+"/admin/users?sort=email", srv.ServiceRoleKey(), nil, nil); resp.StatusCode != 400 {
		t.Fatalf("bad sort: %d", resp.StatusCode)
	}
}

func TestCORSPreflight(t *testing.T) {
	_, ts := newTestServer(t, nil)
	req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/token?grant_type=password", nil)
	req.Header.Set("Origin", "http://127.0.0.1:5173")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "apikey, content-type, authorization")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:5173" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "apikey") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}

// With --asymmetric and a data file, the ES256 key survives a restart:
// tokens issued before it still verify.
func TestAsymmetricKeyPersists(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	cfg := DefaultConfig()
	cfg.PasswordCost, cfg.DataFile, cfg.Asymmetric = bcrypt.MinCost, file, true
	s1, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts1 := httptest.NewServer(s1.Handler())
	var s testSession
	call(t, "POST", ts1.URL+"/signup", "", map[string]string{"email": "k@example.com", "password": "correct-horse-9"}, &s)
	ts1.Close()
	if err := s1.persist(); err != nil {
		t.Fatal(err)
	}
	s2, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(s2.Handler())
	defer ts2.Close()
	if resp := call(t, "GET", ts2.URL+"/user", s.AccessToken, nil, nil); resp.StatusCode != 200 {
		t.Fatalf("token after restart: %d", resp.StatusCode)
	}
}

// The OAuth 2.1 server's consent rules, as recorded from the real server:
// consent only from the user who fetched the authorization, status checked
// before ownership, a consented client approved at the fetch.
func TestOAuthConsentNeedsAPriorFetch(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	const redirect = "http://127.0.0.1:53682/cb"
	var client struct {
		ClientID string `json:"client_id"`
	}
	call(t, "POST", ts.URL+"/admin/oauth/clients", srv.ServiceRoleKey(), map[string]any{"client_name": "c",
		"redirect_uris": []string{redirect}, "token_endpoint_auth_method": "none"}, &client)
	authorize := func() string {
		q := url.Values{"response_type": {"code"}, "client_id": {client.ClientID}, "redirect_uri": {redirect}, "scope": {"email"},
			"code_challenge": {strings.Repeat("c", 43)}, "code_challenge_method": {"S256"}, "state": {"s"}}
		loc, err := call(t, "GET", ts.URL+"/oauth/authorize?"+q.Encode(), "", nil, nil).Location()
		if err != nil || loc.Query().Get("authorization_id") == "" {
			t.Fatalf("authorize: %v %v", loc, err)
		}
		return loc.Query().Get("authorization_id")
	}
	signUp := func(email string) string {
		var s testSession
		call(t, "POST", ts.URL+"/signup", "", map[string]string{"email": email, "password": "pw-123456789"}, &s)
		return s.AccessToken
	}
	alice, bob := signUp("alice@example.com"), signUp("bob@example.com")
	type answer struct {
		ErrorCode   string `json:"error_code"`
		Msg         string `json:"msg"`
		RedirectURL string `json:"redirect_url"`
	}
	want := func(method, path, token string, status int, code, msg string) answer {
		t.Helper()
		var body any
		if method == "POST" {
			body = map[string]string{"action": "approve"}
		}
		var a answer
		resp := call(t, method, ts.URL+path, token, body, &a)
		if resp.StatusCode != status || a.ErrorCode != code || a.Msg != msg {
			t.Fatalf("%s %s: %d %+v, want %d %s %q", method, path, resp.StatusCode, a, status, code, msg)
		}
		return a
	}
	id := authorize()
	path := "/oauth/authorizations/" + id
	want("POST", path+"/consent", alice, 404, "oauth_authorization_not_found", "authorization not found")
	want("GET", path, alice, 200, "", "")
	want("GET", path, bob, 404, "oauth_authorization_not_found", "authorization not found")
	want("POST", path+"/consent", bob, 404, "oauth_authorization_not_found", "authorization not found")
	if a := want("POST", path+"/consent", alice, 200, "", ""); !strings.Contains(a.RedirectURL, "code=") {
		t.Fatalf("approve: %+v", a)
	}
	want("POST", path+"/consent", bob, 400, "validation_failed", "authorization request is no longer pending")
	want("GET", path, alice, 400, "validation_failed", "authorization request cannot be processed")
	// Alice consented to the client: her next authorization is approved at
	// the fetch, and consent is then too late.
	path = "/oauth/authorizations/" + authorize()
	if a := want("GET", path, alice, 200, "", ""); !strings.Contains(a.RedirectURL, "code=") {
		t.Fatalf("fetch of a consented client: %+v", a)
	}
	want("POST", path+"/consent", alice, 400, "validation_failed", "authorization request is no longer pending")
}

// TestSSOThroughBuiltInSAMLIdP: a provider registered with the metadata
// of the emulator's own SAML IdP signs in through real SAML: the signed
// AuthnRequest, the IdP's page (an email to type), the signed assertion
// posted to the ACS, and back to redirect_to with a session.
func TestSSOThroughBuiltInSAMLIdP(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	resp, err := http.Get(ts.URL + "/emulator/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	md, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var sp struct{ ID string }
	if resp := call(t, "POST", ts.URL+"/admin/sso/providers", srv.ServiceRoleKey(), map[string]any{"type": "saml", "metadata_xml": string(md), "domains": []string{"corp.test"}}, &sp); resp.StatusCode != 201 {
		t.Fatalf("create provider: %d\n%s", resp.StatusCode, md)
	}
	var start struct{ URL string }
	call(t, "POST", ts.URL+"/sso", "", map[string]any{"domain": "corp.test", "skip_http_redirect": true, "redirect_to": "http://127.0.0.1:5555/cb"}, &start)
	if !strings.Contains(start.URL, "/emulator/saml/sso?SAMLRequest=") {
		t.Fatalf("/sso sends to %s", start.URL)
	}
	resp, err = http.Get(start.URL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `value="user@corp.test"`) {
		t.Fatalf("IdP page: %s", page)
	}
	form := hiddenFields(t, page, "SAMLRequest", "RelayState")
	form.Set("email", "ada@corp.test")
	resp, err = http.PostForm(ts.URL+"/emulator/saml/sso", form)
	if err != nil {
		t.Fatal(err)
	}
	posted, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	acs := hiddenFields(t, posted, "SAMLResponse", "RelayState")
	cb := postForm(t, ts.URL+"/sso/saml/acs", acs)
	if cb == nil {
		t.Fatal("the ACS did not redirect")
	}
	base, _ := url.Parse(ts.URL)
	if email, provider := implicitUser(t, ts.URL, base.ResolveReference(cb).String()); email != "ada@corp.test" || provider != "sso:"+sp.ID {
		t.Fatalf("sso user %s of %v", email, provider)
	}
	// A replayed assertion is refused: its flow is spent.
	if loc := postForm(t, ts.URL+"/sso/saml/acs", acs); loc != nil {
		t.Fatalf("a replayed assertion was accepted: sent to %s", loc)
	}
}

// TestSSODomainsConfig: Config.SSODomains (--sso-domain) registers the
// built-in IdP for the domains, so /sso needs no admin step; a domain of
// another provider in the data file is refused at start.
func TestSSODomainsConfig(t *testing.T) {
	_, ts := newTestServer(t, func(c *Config) { c.SSODomains = []string{"Corp.Test"} })
	var start struct{ URL string }
	call(t, "POST", ts.URL+"/sso", "", map[string]any{"domain": "corp.test", "skip_http_redirect": true}, &start)
	if !strings.Contains(start.URL, "/emulator/saml/sso?SAMLRequest=") {
		t.Fatalf("/sso sends to %q", start.URL)
	}
	// The IdP signs in without a password: only for this machine.
	rec := httptest.NewRecorder()
	s, _ := newTestServer(t, nil)
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", start.URL, nil)) // from 192.0.2.1
	if rec.Code != http.StatusForbidden {
		t.Fatalf("the IdP answered another machine: %d", rec.Code)
	}
	s.st.SSOProviders["x"] = &ssoProvider{ID: "x", EntityID: "https://idp.example.test", Domains: []string{"corp.test"}}
	if err := s.registerBuiltInSSO([]string{"corp.test"}); err == nil || !strings.Contains(err.Error(), "--sso-domain corp.test") {
		t.Fatalf("a taken domain: %v", err)
	}
}
