package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// oidcProvider is the identity provider a real server under test signs
// users in with: an OpenID Connect provider at the address the server's
// keycloak provider is configured with (GOTRUE_EXTERNAL_KEYCLOAK_URL). The
// server derives the endpoints from that URL (/protocol/openid-connect/auth,
// token, userinfo) for the browser flow, and reads its discovery document and
// keys for the id_token grant. Its authorization endpoint signs in at once,
// as a provider does for a person who is already signed in there, so the
// test browser only follows redirects. The identity's email is login_hint,
// or a new address.
type oidcProvider struct {
	issuer, clientID, secret string
	key                      jose.JSONWebKey
	signer                   jose.Signer

	mu     sync.Mutex
	codes  map[string]string // authorization code -> email, single use
	tokens map[string]string // access token -> email
}

// testProvider is the OAuth provider the tests sign in with: the real
// server's keycloak provider takes a URL, so it can point at oidcProvider;
// the emulator's mock identity provider serves it too.
const testProvider = "keycloak"

func newOIDCProvider(issuer, clientID, secret string) (*oidcProvider, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	key := jose.JSONWebKey{Key: priv, KeyID: "authctl-e2e", Algorithm: string(jose.RS256), Use: "sig"}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, err
	}
	return &oidcProvider{issuer: strings.TrimSuffix(issuer, "/"), clientID: clientID, secret: secret,
		key: key, signer: signer, codes: map[string]string{}, tokens: map[string]string{}}, nil
}

func (p *oidcProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const oidc = "/protocol/openid-connect"
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		writeJSONBody(w, http.StatusOK, map[string]any{
			"issuer":                                p.issuer,
			"authorization_endpoint":                p.issuer + oidc + "/auth",
			"token_endpoint":                        p.issuer + oidc + "/token",
			"userinfo_endpoint":                     p.issuer + oidc + "/userinfo",
			"jwks_uri":                              p.issuer + oidc + "/certs",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{string(jose.RS256)},
		})
	case oidc + "/certs":
		writeJSONBody(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{p.key.Public()}})
	case oidc + "/auth":
		p.authorize(w, r)
	case oidc + "/token":
		p.token(w, r)
	case oidc + "/userinfo":
		p.userinfo(w, r)
	default:
		http.NotFound(w, r)
	}
}

// authorize answers the browser with a code for redirect_uri at once.
func (p *oidcProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.clientID || q.Get("response_type") != "code" || q.Get("redirect_uri") == "" {
		http.Error(w, "invalid authorization request: "+q.Encode(), http.StatusBadRequest)
		return
	}
	email := q.Get("login_hint")
	if email == "" {
		email = fmt.Sprintf("idp-%d@example.com", time.Now().UnixNano())
	}
	code := randomHex()
	p.mu.Lock()
	p.codes[code] = email
	p.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges an authorization code (client_secret_basic or _post).
func (p *oidcProvider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.clientID || secret != p.secret {
		writeJSONBody(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	p.mu.Lock()
	email, ok := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	access := randomHex()
	if ok {
		p.tokens[access] = email
	}
	p.mu.Unlock()
	if r.PostForm.Get("grant_type") != "authorization_code" || !ok {
		writeJSONBody(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	idToken, err := p.idToken(email, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSONBody(w, http.StatusOK, map[string]any{"access_token": access, "token_type": "Bearer",
		"expires_in": 300, "id_token": idToken})
}

func (p *oidcProvider) userinfo(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	email, ok := p.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	p.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	writeJSONBody(w, http.StatusOK, p.claims(email))
}

// claims describe the provider's identity of email: the subject is
// derived from the address, so one address is one identity in every run.
func (p *oidcProvider) claims(email string) map[string]any {
	sum := sha256.Sum256([]byte(email))
	return map[string]any{"sub": hex.EncodeToString(sum[:16]), "email": email, "email_verified": true,
		"name": strings.Split(email, "@")[0]}
}

// idToken signs an ID token of email for the server's client; a nonce is
// stored hashed (SHA-256, hex), as native sign-in SDKs send it.
func (p *oidcProvider) idToken(email, nonce string) (string, error) {
	now := time.Now()
	c := p.claims(email)
	c["iss"], c["aud"], c["iat"], c["exp"] = p.issuer, p.clientID, now.Unix(), now.Add(10*time.Minute).Unix()
	if nonce != "" {
		sum := sha256.Sum256([]byte(nonce))
		c["nonce"] = hex.EncodeToString(sum[:])
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	jws, err := p.signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func writeJSONBody(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
