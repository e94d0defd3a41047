package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crewjam/saml"
)

// The built-in SAML identity provider. `login sso` against the emulator
// signs in through real SAML 2.0 when the domain's SSO provider is this
// IdP: registered with --sso-domain, or by an admin with the metadata of
// GET /emulator/saml/metadata. POST /sso sends the browser with an
// AuthnRequest to /emulator/saml/sso, a page where the person types the
// email to sign in as (skipped with emulator_auto); the IdP posts its
// signed assertion to the emulator's ACS, /sso/saml/acs, which checks it
// as the server's service provider does and finishes like every mock
// sign-in, through /callback. Any other registered provider keeps going
// through the plain mock page: the emulator reaches no real IdP.

// samlIDPEntityID names the built-in IdP, whatever address the emulator
// is reached at, so a provider registered with it stays valid.
const samlIDPEntityID = "urn:authctl:emulator:saml-idp"

// samlCert is the key and self-signed certificate both ends sign with,
// made on first use (RSA key generation is slow) and kept in memory: a
// restarted emulator makes a new one, which no registration depends on.
type samlCert struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

var newSAMLCert = sync.OnceValues(func() (*samlCert, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "authctl emulator SAML"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return &samlCert{key: key, cert: cert}, err
})

// samlEnds returns the IdP and the service provider as seen from r's
// address.
func (s *Server) samlEnds(r *http.Request) (*saml.IdentityProvider, *saml.ServiceProvider, error) {
	c, err := newSAMLCert()
	if err != nil {
		return nil, nil, err
	}
	base, _ := url.Parse(s.baseURL(r))
	idp := &saml.IdentityProvider{Key: c.key, Certificate: c.cert,
		MetadataURL: url.URL{Scheme: "urn", Opaque: "authctl:emulator:saml-idp"}, SSOURL: *base.JoinPath("/emulator/saml/sso"),
		SessionProvider: samlLogin{s}}
	sp := &saml.ServiceProvider{Key: c.key, Certificate: c.cert, MetadataURL: *base.JoinPath("/sso/saml/metadata"),
		AcsURL: *base.JoinPath("/sso/saml/acs"), IDPMetadata: idp.Metadata()}
	idp.ServiceProviderProvider = samlSPs{sp}
	return idp, sp, nil
}

// samlSPs: the IdP knows one service provider, the emulator.
type samlSPs struct{ sp *saml.ServiceProvider }

func (p samlSPs) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	if md := p.sp.Metadata(); md.EntityID == id {
		return md, nil
	}
	return nil, errors.New("unknown service provider " + id)
}

// samlStart sends the flow fs to the built-in IdP: the URL of a signed
// AuthnRequest whose RelayState is the flow.
func (s *Server) samlStart(r *http.Request, fs *flowState, auto bool) (string, error) {
	idp, sp, err := s.samlEnds(r)
	if err != nil {
		return "", err
	}
	req, err := sp.MakeAuthenticationRequest(idp.SSOURL.String(), saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", err
	}
	fs.SAMLRequestID = req.ID
	u, err := req.Redirect(fs.ID, sp)
	if err != nil {
		return "", err
	}
	if auto {
		q := u.Query()
		q.Set("emulator_auto", "1")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

func (s *Server) handleSAMLIdPMetadata(w http.ResponseWriter, r *http.Request) error {
	idp, _, err := s.samlEnds(r)
	if err != nil {
		return err
	}
	return writeXML(w, idp.Metadata())
}

func (s *Server) handleSAMLSPMetadata(w http.ResponseWriter, r *http.Request) error {
	_, sp, err := s.samlEnds(r)
	if err != nil {
		return err
	}
	return writeXML(w, sp.Metadata())
}

func writeXML(w http.ResponseWriter, v any) error {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, err = w.Write(b)
	return err
}

// handleSAMLIdPSSO serves the IdP's sign-in to this machine only: it signs
// anyone in with no password, which an emulator bound to another address
// (--host) must not offer the network.
func (s *Server) handleSAMLIdPSSO(w http.ResponseWriter, r *http.Request) error {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() {
		return forbidden("loopback_only", "the built-in SAML identity provider answers this machine only")
	}
	idp, _, err := s.samlEnds(r)
	if err != nil {
		return err
	}
	idp.ServeSSO(w, r)
	return nil
}

// samlLogin is the IdP's sign-in: a page asking for the email (the flow's
// login hint filled in), or at once with emulator_auto.
type samlLogin struct{ s *Server }

var samlLoginPage = template.Must(template.New("saml").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>SAML sign-in (authctl emulator)</title>
<style>body{font-family:sans-serif;max-width:26em;margin:4em auto}input,button{font-size:1em;padding:.4em;width:100%;margin:.3em 0}</style>
</head><body>
<h1>Single sign-on</h1>
<p>This is the authctl emulator's SAML identity provider. No password is needed.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="SAMLRequest" value="{{.Request}}">
<input type="hidden" name="RelayState" value="{{.RelayState}}">
<label>Email <input name="email" type="email" value="{{.Email}}" required></label>
<button type="submit">Sign in</button>
</form>
</body></html>
`))

func (l samlLogin) GetSession(w http.ResponseWriter, r *http.Request, req *saml.IdpAuthnRequest) *saml.Session {
	fs := l.s.st.FlowStates[req.RelayState]
	if fs == nil {
		http.Error(w, "unknown or expired sign-in: start again", http.StatusBadRequest)
		return nil
	}
	email := fs.IdentityMail
	if r.Method == http.MethodPost {
		email = r.PostForm.Get("email")
	}
	if r.Method == http.MethodPost || r.URL.Query().Get("emulator_auto") == "1" {
		email, err := validateEmail(strings.TrimSpace(email)) // typed on the mock page
		if err == nil {
			now := l.s.now()
			return &saml.Session{ID: newID(), CreateTime: now, ExpireTime: now.Add(time.Hour), Index: newID(),
				NameID: email, NameIDFormat: string(saml.EmailAddressNameIDFormat), UserEmail: email}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = samlLoginPage.Execute(w, map[string]string{"Action": req.IDP.SSOURL.String(),
		"Request": base64.StdEncoding.EncodeToString(req.RequestBuffer), "RelayState": req.RelayState, "Email": email})
	return nil
}

// handleSAMLACS checks the IdP's assertion for the flow of its RelayState
// and finishes the sign-in as the mock provider's consent does.
func (s *Server) handleSAMLACS(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return validation("bad form")
	}
	fs := s.st.FlowStates[r.PostForm.Get("RelayState")]
	if fs == nil || fs.SAMLRequestID == "" {
		return notFound("flow_state_not_found", "unknown RelayState")
	}
	_, sp, err := s.samlEnds(r)
	if err != nil {
		return err
	}
	a, err := sp.ParseResponse(r, []string{fs.SAMLRequestID})
	if err != nil {
		return validation("SAML assertion rejected: %v", err)
	}
	if a.Subject == nil || a.Subject.NameID == nil {
		return validation("SAML assertion has no NameID")
	}
	fs.SAMLRequestID = ""
	return s.idpApprove(w, r, fs, a.Subject.NameID.Value, "")
}

// registerBuiltInSSO makes the built-in IdP the SSO provider of domains
// (Config.SSODomains): one provider, as the server takes an IdP once,
// kept in the data file like any other and found there again on restart.
func (s *Server) registerBuiltInSSO(domains []string) error {
	if len(domains) == 0 {
		return nil
	}
	var sp *ssoProvider
	for _, p := range s.st.SSOProviders {
		if p.EntityID == samlIDPEntityID {
			sp = p
		}
	}
	now := s.now()
	if sp == nil {
		sp = &ssoProvider{ID: newID(), EntityID: samlIDPEntityID, CreatedAt: now, UpdatedAt: now}
		s.st.SSOProviders[sp.ID] = sp
	}
	for _, d := range domains {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" || slices.Contains(sp.Domains, d) {
			continue
		}
		if err := s.ssoDomainsFree([]string{d}, sp.ID); err != nil {
			return fmt.Errorf("emulator: --sso-domain %s: another SSO provider has it", d)
		}
		sp.Domains = append(sp.Domains, d)
		sp.UpdatedAt = now
	}
	return nil
}
