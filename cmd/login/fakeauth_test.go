package login

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
	"sync"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// fakeAuth is a small stand-in for the Auth server and an identity provider
// behind it, enough for the whole PKCE browser chain:
//
//	GET  /settings                     → github and google on, gitlab off
//	GET  /authorize?provider=…&redirect_to=…&code_challenge=…  → 302 provider page (state = flow id);
//	     without redirect_to and challenge (the on/off question) → 302; gitlab → 400 not enabled
//	POST /sso {domain|provider_id, redirect_to, code_challenge} → {"url": provider page}
//	GET  /provider/authorize?state=…  → 302 /provider/approve (the provider's consent)
//	GET  /provider/approve?state=…    → 302 /callback?code=<provider code>&state=…
//	GET  /callback?code=…&state=…     → 302 redirect_to?code=<auth code> (or ?error=… when told to fail)
//	POST /token?grant_type=pkce {auth_code, code_verifier} → session, if S256(verifier) = challenge
//
// It records every request (URL, headers, body) so tests can check where the
// verifier travelled.
type fakeAuth struct {
	t        *testing.T
	deny     string // the provider answers error=deny (error_description says so)
	mu       sync.Mutex
	flows    map[string]*fakeFlow // by flow-state id
	codes    map[string]*fakeFlow // by auth code
	requests []recordedRequest
	verifier string // the verifier the token request carried
}

type fakeFlow struct {
	provider, redirectTo, challenge string
}

type recordedRequest struct {
	Method, URL, Body string
	Header            http.Header
}

func newFakeAuth(t *testing.T) *fakeAuth {
	return &fakeAuth{t: t, flows: map[string]*fakeFlow{}, codes: map[string]*fakeFlow{}}
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (fa *fakeAuth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	fa.mu.Lock()
	fa.requests = append(fa.requests, recordedRequest{Method: r.Method, URL: r.URL.String(), Body: string(body), Header: r.Header.Clone()})
	fa.mu.Unlock()
	base := "http://" + r.Host
	q := r.URL.Query()
	switch r.Method + " " + r.URL.Path {
	case "GET /settings":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"external":{"github":true,"google":true,"gitlab":false,"email":true}}`)
	case "GET /authorize":
		if q.Get("provider") == "gitlab" {
			apiError(w, 400, "validation_failed", "Unsupported provider: provider is not enabled")
			return
		}
		if q.Get("code_challenge") == "" && q.Get("redirect_to") == "" {
			// authctl asking whether the provider is on.
			http.Redirect(w, r, base+"/provider/authorize", http.StatusFound)
			return
		}
		if q.Get("code_challenge_method") != "s256" || q.Get("code_challenge") == "" {
			apiError(w, 400, "validation_failed", "PKCE parameters missing")
			return
		}
		id := fa.newFlow(&fakeFlow{provider: q.Get("provider"), redirectTo: q.Get("redirect_to"), challenge: q.Get("code_challenge")})
		http.Redirect(w, r, base+"/provider/authorize?state="+id, http.StatusFound)
	case "POST /sso":
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		ch, _ := in["code_challenge"].(string)
		rt, _ := in["redirect_to"].(string)
		if ch == "" || in["code_challenge_method"] != "s256" {
			apiError(w, 400, "validation_failed", "PKCE parameters missing")
			return
		}
		id := fa.newFlow(&fakeFlow{provider: "sso", redirectTo: rt, challenge: ch})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"url":%q}`, base+"/provider/authorize?state="+id)
	case "GET /provider/authorize":
		http.Redirect(w, r, base+"/provider/approve?state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	case "GET /provider/approve":
		http.Redirect(w, r, base+"/callback?code=provider-code&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	case "GET /callback":
		fa.mu.Lock()
		fl := fa.flows[q.Get("state")]
		delete(fa.flows, q.Get("state"))
		fa.mu.Unlock()
		if fl == nil {
			apiError(w, 400, "bad_oauth_state", "OAuth state parameter is invalid")
			return
		}
		back, _ := url.Parse(fl.redirectTo)
		bq := back.Query()
		if fa.deny != "" {
			bq.Set("error", "access_denied")
			bq.Set("error_code", "provider_denied")
			bq.Set("error_description", fa.deny)
		} else {
			code := randomID()
			fa.mu.Lock()
			fa.codes[code] = fl
			fa.mu.Unlock()
			bq.Set("code", code)
		}
		back.RawQuery = bq.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	case "POST /token":
		var in struct {
			AuthCode     string `json:"auth_code"`
			CodeVerifier string `json:"code_verifier"`
		}
		_ = json.Unmarshal(body, &in)
		if q.Get("grant_type") != "pkce" {
			apiError(w, 400, "unsupported_grant_type", "unexpected grant")
			return
		}
		fa.mu.Lock()
		fl := fa.codes[in.AuthCode]
		delete(fa.codes, in.AuthCode)
		fa.verifier = in.CodeVerifier
		fa.mu.Unlock()
		if fl == nil {
			apiError(w, 404, "flow_state_not_found", "invalid flow state, no valid flow state found")
			return
		}
		sum := sha256.Sum256([]byte(in.CodeVerifier))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != fl.challenge {
			apiError(w, 400, "bad_code_verifier", "code challenge does not match previously saved code verifier")
			return
		}
		s := cmdutiltest.Session(time.Now().Add(time.Hour), "refresh-1")
		s.ExpiresIn = 3600
		s.ExpiresAt = time.Now().Add(time.Hour).Unix()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s)
	default:
		apiError(w, 404, "not_found", "no route")
	}
}

func (fa *fakeAuth) newFlow(fl *fakeFlow) string {
	id := randomID()
	fa.mu.Lock()
	fa.flows[id] = fl
	fa.mu.Unlock()
	return id
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Sb-Error-Code", code)
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"code":%q,"message":%q}`, code, msg)
}

// recorded returns a copy of the requests so far.
func (fa *fakeAuth) recorded() []recordedRequest {
	fa.mu.Lock()
	defer fa.mu.Unlock()
	return append([]recordedRequest(nil), fa.requests...)
}

// find returns the first recorded request whose "METHOD path" starts with prefix.
func (fa *fakeAuth) find(prefix string) *recordedRequest {
	for _, r := range fa.recorded() {
		if strings.HasPrefix(r.Method+" "+r.URL, prefix) {
			return &r
		}
	}
	return nil
}
