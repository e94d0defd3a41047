package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The mock identity provider. GET /authorize (and /user/identities/authorize)
// redirect to /emulator/idp/authorize, a small page with a sign-in button;
// it sends the browser to /callback, which signs the user in and redirects
// to redirect_to with a PKCE code (?code=) or, without code_challenge, the
// session in the fragment. Non-interactive use (tests, CI): add
// emulator_auto=1 to /authorize and the page is skipped; login_hint=EMAIL
// chooses the identity's email (default: <provider>-user@example.com).

// idpRequest starts a sign-in at the mock identity provider.
type idpRequest struct {
	Provider, AuthMethod               string
	RedirectTo, Scopes, LoginHint      string
	CodeChallenge, CodeChallengeMethod string
	SkipHTTPRedirect, Auto             bool
	LinkUserID                         string
}

// newFlow stores the flow state of a sign-in at an identity provider.
func (s *Server) newFlow(req idpRequest) (*flowState, error) {
	method := strings.ToLower(req.CodeChallengeMethod)
	if req.CodeChallenge != "" && method != "s256" && method != "plain" {
		return nil, validation("Invalid code_challenge_method")
	}
	fs := &flowState{ID: newID(), CodeChallenge: req.CodeChallenge, CodeChallengeMethod: method,
		ProviderType: req.Provider, AuthenticationMethod: req.AuthMethod, RedirectTo: req.RedirectTo,
		Provider: req.Provider, Scopes: req.Scopes, LinkUserID: req.LinkUserID, CreatedAt: s.now(),
		IdentityMail: req.LoginHint}
	s.st.FlowStates[fs.ID] = fs
	return fs, nil
}

// beginIDP stores the flow state and returns the mock provider's URL.
func (s *Server) beginIDP(r *http.Request, req idpRequest) (string, error) {
	fs, err := s.newFlow(req)
	if err != nil {
		return "", err
	}
	scope := "user:email"
	if fs.Scopes != "" {
		scope += " " + fs.Scopes
	}
	idp := url.Values{"client_id": {"testclientid"}, "redirect_uri": {s.baseURL(r) + "/callback"},
		"response_type": {"code"}, "scope": {scope}, "state": {fs.ID}}
	if fs.RedirectTo != "" {
		idp.Set("redirect_to", fs.RedirectTo)
	}
	if req.SkipHTTPRedirect {
		idp.Set("skip_http_redirect", "true")
	}
	if req.Auto {
		idp.Set("emulator_auto", "1")
	}
	if req.LoginHint != "" {
		idp.Set("login_hint", req.LoginHint)
	}
	return s.baseURL(r) + "/emulator/idp/authorize?" + idp.Encode(), nil
}

// startOAuth validates an /authorize request and starts its flow.
func (s *Server) startOAuth(r *http.Request, linkUserID string) (string, error) {
	q := r.URL.Query()
	provider := q.Get("provider")
	if !slices.Contains(knownProviders, provider) {
		return "", validation("Unsupported provider: Provider %s could not be found", provider)
	}
	if !s.providerEnabled(provider) {
		return "", validation("Unsupported provider: provider is not enabled")
	}
	return s.beginIDP(r, idpRequest{Provider: provider, AuthMethod: "oauth", RedirectTo: q.Get("redirect_to"),
		Scopes: q.Get("scopes"), LoginHint: q.Get("login_hint"), CodeChallenge: q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"), SkipHTTPRedirect: q.Get("skip_http_redirect") == "true",
		Auto: q.Get("emulator_auto") == "1", LinkUserID: linkUserID})
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) error {
	target, err := s.startOAuth(r, "")
	if err != nil {
		return err
	}
	return redirectOrURL(w, r, target)
}

func (s *Server) handleLinkIdentity(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	target, err := s.startOAuth(r, p.user.ID)
	if err != nil {
		return err
	}
	return redirectOrURL(w, r, target)
}

// redirectOrURL answers {"url"} with skip_http_redirect=true, else 302.
func redirectOrURL(w http.ResponseWriter, r *http.Request, target string) error {
	if r.URL.Query().Get("skip_http_redirect") == "true" {
		writeJSON(w, http.StatusOK, obj{{"url", target}})
		return nil
	}
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

var idpPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("idp").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in with {{.Provider}} (authctl emulator)</title>
<style>body{font-family:sans-serif;max-width:26em;margin:4em auto}input,button{font-size:1em;padding:.4em;width:100%;margin:.3em 0}</style>
</head><body>
<h1>{{.Provider}}</h1>
<p>This is the authctl emulator's mock identity provider. No password is needed.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="state" value="{{.State}}">
<label>Email <input name="email" type="email" value="{{.Email}}" required></label>
<label>Name <input name="name" value="{{.Name}}"></label>
<button type="submit">Sign in to {{.Provider}}</button>
</form>
</body></html>
`))
})

// handleIDPAuthorize shows the mock provider's sign-in page, or signs in
// at once with emulator_auto=1.
func (s *Server) handleIDPAuthorize(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fs := s.st.FlowStates[q.Get("state")]
	if fs == nil {
		return notFound("flow_state_not_found", "unknown state")
	}
	email := q.Get("login_hint")
	if email == "" {
		email = fs.IdentityMail
	}
	if email == "" {
		email = fs.Provider + "-user@example.com"
	}
	if q.Get("emulator_auto") == "1" {
		return s.idpApprove(w, r, fs, email, "")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return idpPage().Execute(w, map[string]string{"Provider": fs.Provider, "Action": "/emulator/idp/authorize",
		"State": fs.ID, "Email": email, "Name": strings.Split(email, "@")[0]})
}

func (s *Server) handleIDPSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return validation("bad form")
	}
	fs := s.st.FlowStates[r.PostForm.Get("state")]
	if fs == nil {
		return notFound("flow_state_not_found", "unknown state")
	}
	return s.idpApprove(w, r, fs, r.PostForm.Get("email"), r.PostForm.Get("name"))
}

// idpApprove is the provider's consent: back to /callback with a code.
func (s *Server) idpApprove(w http.ResponseWriter, r *http.Request, fs *flowState, email, name string) error {
	// a person's typing on the mock provider's page: spaces forgiven
	email, err := validateEmail(strings.TrimSpace(email))
	if err != nil {
		return err
	}
	if name == "" {
		name = strings.Split(email, "@")[0]
	}
	fs.IdentityMail, fs.IdentityName, fs.ProviderCode = email, name, randomToken(20)
	http.Redirect(w, r, "/callback?"+url.Values{"code": {fs.ProviderCode}, "state": {fs.ID}}.Encode(), http.StatusFound)
	return nil
}

// handleCallback finishes an OAuth sign-in (or link) and redirects to the
// application; errors go to the redirect as query parameters.
func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fail := func(target, code, desc string) error {
		v := url.Values{"error": {"invalid_request"}, "error_code": {code}, "error_description": {desc}}
		http.Redirect(w, r, target+"?"+v.Encode(), http.StatusSeeOther)
		return nil
	}
	if q.Get("state") == "" {
		return fail(s.cfg.SiteURL, "bad_oauth_callback", "OAuth state parameter missing")
	}
	fs := s.st.FlowStates[q.Get("state")]
	if fs == nil || fs.ProviderCode == "" || fs.ProviderCode != q.Get("code") {
		return fail(s.cfg.SiteURL, "bad_oauth_state", "OAuth callback with invalid state")
	}
	target := s.redirectTarget(fs.RedirectTo)
	fs.ProviderCode = ""
	u, err := s.oauthUser(fs)
	if err != nil {
		ae, _ := err.(*apiError)
		return fail(target, ae.Code, ae.Msg)
	}
	if fs.CodeChallenge != "" {
		fs.UserID, fs.AuthCode = u.ID, newID()
		http.Redirect(w, r, withParam(target, "code", fs.AuthCode), http.StatusFound)
		return nil
	}
	delete(s.st.FlowStates, fs.ID)
	now := s.now()
	u.LastSignInAt = &now
	sess, rt := s.newSession(u, fs.AuthenticationMethod)
	tok, exp, err := s.accessToken(u, sess)
	if err != nil {
		return err
	}
	frag := url.Values{"access_token": {tok}, "expires_at": {strconv.FormatInt(exp, 10)},
		"expires_in": {strconv.FormatInt(int64(s.cfg.JWTExp.Seconds()), 10)}, "provider_token": {randomToken(24)},
		"refresh_token": {rt.Token}, "token_type": {"bearer"}}
	http.Redirect(w, r, target+"#"+frag.Encode(), http.StatusFound)
	return nil
}

func withParam(target, k, v string) string {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + url.Values{k: {v}}.Encode()
}

// oauthUser finds or creates the user of the mock provider's identity
// (linked by verified email, like the server's automatic linking).
func (s *Server) oauthUser(fs *flowState) (*user, error) {
	sum := sha256.Sum256([]byte(fs.Provider + ":" + fs.IdentityMail))
	providerID := hex.EncodeToString(sum[:8])
	data := map[string]any{"email": fs.IdentityMail, "email_verified": true, "phone_verified": false,
		"name": fs.IdentityName, "full_name": fs.IdentityName, "provider_id": providerID,
		"iss": "https://" + fs.Provider + ".emulator.invalid"}
	for _, i := range s.st.Identities {
		if i.Provider == fs.Provider && i.ProviderID == providerID {
			if fs.LinkUserID != "" && i.UserID != fs.LinkUserID {
				return nil, unprocessable("identity_already_exists", "Identity is already linked to another user")
			}
			return s.st.loadUser(i.UserID), nil
		}
	}
	var u *user
	switch {
	case fs.LinkUserID != "":
		u = s.st.loadUser(fs.LinkUserID)
	default:
		u = s.st.userByEmail(fs.IdentityMail)
	}
	if u == nil {
		if err := s.signupAllowed(); err != nil {
			return nil, err
		}
		u = s.createUser(newUserParams{Email: fs.IdentityMail, Data: data})
		// createUser made an email identity; an OAuth user has only its provider's.
		for id, i := range s.st.Identities {
			if i.UserID == u.ID {
				delete(s.st.Identities, id)
			}
		}
		u.AppMetadata = map[string]any{"provider": fs.Provider, "providers": []any{fs.Provider}}
	}
	addProvider(u, fs.Provider)
	id := s.addIdentity(u, fs.Provider, providerID, data)
	id.Email = fs.IdentityMail
	if u.Email == "" {
		u.Email = fs.IdentityMail
	}
	if u.Email == fs.IdentityMail {
		confirmEmail(u, s.now())
	}
	u.IsAnonymous = false
	return u, nil
}

func (s *Server) handleUnlinkIdentity(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	ids := s.st.identitiesOf(p.user.ID)
	if len(ids) <= 1 {
		return unprocessable("single_identity_not_deletable", "User must have at least 1 identity after unlinking")
	}
	var target *identity
	for _, i := range ids {
		if i.ID == r.PathValue("id") {
			target = i
		}
	}
	if target == nil {
		return unprocessable("identity_not_found", "Identity doesn't exist")
	}
	delete(s.st.Identities, target.ID)
	var providers []any
	for _, i := range s.st.identitiesOf(p.user.ID) {
		if !slices.Contains(providers, any(i.Provider)) {
			providers = append(providers, i.Provider)
		}
	}
	p.user.AppMetadata["providers"] = providers
	if p.user.AppMetadata["provider"] == target.Provider && len(providers) > 0 {
		p.user.AppMetadata["provider"] = providers[0]
	}
	p.user.UpdatedAt = s.now()
	writeJSON(w, http.StatusOK, obj{})
	return nil
}

func mockIssuer(provider string) string { return "https://" + provider + ".emulator.invalid" }

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// handleIDPIDToken: POST /emulator/idp/id_token {provider, email, name,
// nonce} issues an ID token of the mock provider, for
// /token?grant_type=id_token (signInWithIdToken) in tests. The nonce claim
// is the SHA-256 (hex) of the given nonce, as native SDKs send it.
func (s *Server) handleIDPIDToken(w http.ResponseWriter, r *http.Request) error {
	var p struct{ Provider, Email, Name, Nonce string }
	if err := decode(r, &p); err != nil {
		return err
	}
	if !slices.Contains(knownProviders, p.Provider) {
		return validation("Unsupported provider: Provider %s could not be found", p.Provider)
	}
	email, err := validateEmail(p.Email)
	if err != nil {
		return err
	}
	now := s.now()
	claims := obj{{"iss", mockIssuer(p.Provider)}, {"sub", sha256Hex(p.Provider + ":" + email)[:16]},
		{"aud", "emulator"}, {"iat", now.Unix()}, {"exp", now.Add(time.Hour).Unix()}, {"email", email},
		{"email_verified", true}, {"name", p.Name}}
	if p.Nonce != "" {
		claims = claims.add("nonce", sha256Hex(p.Nonce))
	}
	tok, err := sign(s.keys.hsSig, claims)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, obj{{"id_token", tok}})
	return nil
}
