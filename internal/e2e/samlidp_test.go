package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/crewjam/saml"
)

// samlIDPs are the SAML identity providers of `login sso` on a real server:
// one per email domain, under http://ADDR/DOMAIN/ (metadata, sso), since a
// server takes each SSO provider (entity ID) once and the tests register a
// new domain every run. Built on crewjam/saml, the library the server's own
// service provider uses. An IdP signs in user@DOMAIN at once, as one does
// for a person already signed in there, so the test browser only submits
// the auto-posting form back to the server's ACS.
type samlIDPs struct {
	base       *url.URL // http://ADDR
	key        *rsa.PrivateKey
	cert       *x509.Certificate
	spMetadata string // the server's service provider metadata URL

	mu   sync.Mutex
	idps map[string]*saml.IdentityProvider // by domain
	sp   *saml.EntityDescriptor
}

func newSAMLIdPs(base, serverURL string) (*samlIDPs, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "authctl e2e SAML IdP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &samlIDPs{base: u, key: key, cert: cert, idps: map[string]*saml.IdentityProvider{},
		spMetadata: strings.TrimSuffix(serverURL, "/") + "/sso/saml/metadata"}, nil
}

// idp returns the identity provider of domain, made on first use.
func (s *samlIDPs) idp(domain string) *saml.IdentityProvider {
	s.mu.Lock()
	defer s.mu.Unlock()
	if idp := s.idps[domain]; idp != nil {
		return idp
	}
	idp := &saml.IdentityProvider{Key: s.key, Certificate: s.cert,
		MetadataURL: *s.base.JoinPath(domain, "metadata"), SSOURL: *s.base.JoinPath(domain, "sso"),
		ServiceProviderProvider: s, SessionProvider: samlSession(domain)}
	s.idps[domain] = idp
	return idp
}

// metadataXML is what an admin registers on the server for domain.
func (s *samlIDPs) metadataXML(domain string) (string, error) {
	b, err := xml.Marshal(s.idp(domain).Metadata())
	return string(b), err
}

func (s *samlIDPs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	domain, endpoint, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch endpoint {
	case "metadata":
		s.idp(domain).ServeMetadata(w, r)
	case "sso":
		s.idp(domain).ServeSSO(w, r)
	default:
		http.NotFound(w, r)
	}
}

// GetServiceProvider knows one service provider: the server under test,
// whose metadata it reads from the server on first use.
func (s *samlIDPs) GetServiceProvider(r *http.Request, id string) (*saml.EntityDescriptor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sp == nil {
		sp, err := fetchSPMetadata(r.Context(), s.spMetadata)
		if err != nil {
			return nil, err
		}
		s.sp = sp
	}
	if s.sp.EntityID != id {
		return nil, os.ErrNotExist
	}
	return s.sp, nil
}

func fetchSPMetadata(ctx context.Context, u string) (*saml.EntityDescriptor, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	var sp saml.EntityDescriptor
	if err := xml.NewDecoder(resp.Body).Decode(&sp); err != nil {
		return nil, fmt.Errorf("GET %s: %v", u, err)
	}
	return &sp, nil
}

// samlSession is the session of user@domain at that domain's IdP.
type samlSession string

func (d samlSession) GetSession(http.ResponseWriter, *http.Request, *saml.IdpAuthnRequest) *saml.Session {
	email := "user@" + string(d)
	now := time.Now()
	return &saml.Session{ID: randomHex(), CreateTime: now, ExpireTime: now.Add(time.Hour), Index: randomHex(),
		NameID: email, NameIDFormat: string(saml.EmailAddressNameIDFormat), UserEmail: email}
}
