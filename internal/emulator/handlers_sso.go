package emulator

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ssoProvider is an enterprise (SAML) provider. The emulator has no SAML:
// its sign-ins go through the mock identity provider. Like a server with
// SAML off, /sso answers "SAML 2.0 is disabled" until an admin registers a
// provider with POST /admin/sso/providers {"type":"saml","domains":[…]}.
type ssoProvider struct {
	ID          string    `json:"id"`
	EntityID    string    `json:"entity_id"`
	MetadataURL string    `json:"metadata_url,omitempty"`
	Domains     []string  `json:"domains"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func ssoJSON(p *ssoProvider) obj {
	saml := obj{{"entity_id", p.EntityID}}
	saml = saml.addStr("metadata_url", p.MetadataURL)
	domains := []obj{}
	for _, d := range p.Domains {
		domains = append(domains, obj{{"domain", d}})
	}
	return obj{{"id", p.ID}, {"disabled", false}, {"saml", saml}, {"domains", domains},
		{"created_at", fmtTime(p.CreatedAt)}, {"updated_at", fmtTime(p.UpdatedAt)}}
}

func (s *Server) handleAdminCreateSSO(w http.ResponseWriter, r *http.Request) error {
	var p struct {
		Type        string   `json:"type"`
		MetadataURL string   `json:"metadata_url"`
		MetadataXML string   `json:"metadata_xml"`
		Domains     []string `json:"domains"`
	}
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Type != "saml" {
		return validation("Only 'saml' supported for SSO provider type")
	}
	for _, d := range p.Domains {
		if s.ssoByDomain(d) != nil {
			return badRequest("sso_domain_already_exists", "SSO Domain '%s' is already assigned to an SSO identity provider", d)
		}
	}
	now := s.now()
	sp := &ssoProvider{ID: newID(), MetadataURL: p.MetadataURL, CreatedAt: now, UpdatedAt: now}
	sp.EntityID = "https://sso.emulator.invalid/" + sp.ID
	for _, d := range p.Domains {
		sp.Domains = append(sp.Domains, strings.ToLower(d))
	}
	s.st.SSOProviders[sp.ID] = sp
	writeJSON(w, http.StatusCreated, ssoJSON(sp))
	return nil
}

func (s *Server) handleAdminListSSO(w http.ResponseWriter, r *http.Request) error {
	list := make([]*ssoProvider, 0, len(s.st.SSOProviders))
	for _, p := range s.st.SSOProviders {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].CreatedAt.Before(list[j].CreatedAt) })
	items := []obj{}
	for _, p := range list {
		items = append(items, ssoJSON(p))
	}
	writeJSON(w, http.StatusOK, obj{{"items", items}})
	return nil
}

func (s *Server) pathSSO(r *http.Request) (*ssoProvider, error) {
	if _, err := uuid.Parse(r.PathValue("id")); err != nil {
		return nil, notFound("sso_provider_not_found", "SSO Identity Provider not found")
	}
	p := s.st.SSOProviders[r.PathValue("id")]
	if p == nil {
		return nil, notFound("sso_provider_not_found", "SSO Identity Provider not found")
	}
	return p, nil
}

func (s *Server) handleAdminGetSSO(w http.ResponseWriter, r *http.Request) error {
	p, err := s.pathSSO(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ssoJSON(p))
	return nil
}

func (s *Server) handleAdminDeleteSSO(w http.ResponseWriter, r *http.Request) error {
	p, err := s.pathSSO(r)
	if err != nil {
		return err
	}
	delete(s.st.SSOProviders, p.ID)
	writeJSON(w, http.StatusOK, ssoJSON(p))
	return nil
}

func (s *Server) ssoByDomain(domain string) *ssoProvider {
	for _, p := range s.st.SSOProviders {
		if slices.Contains(p.Domains, strings.ToLower(domain)) {
			return p
		}
	}
	return nil
}

// handleSSO: POST /sso by domain or provider_id, through the mock provider.
func (s *Server) handleSSO(w http.ResponseWriter, r *http.Request) error {
	var p struct {
		ProviderID          string `json:"provider_id"`
		Domain              string `json:"domain"`
		RedirectTo          string `json:"redirect_to"`
		SkipHTTPRedirect    bool   `json:"skip_http_redirect"`
		CodeChallenge       string `json:"code_challenge"`
		CodeChallengeMethod string `json:"code_challenge_method"`
		LoginHint           string `json:"login_hint"`
		EmulatorAuto        bool   `json:"emulator_auto"`
	}
	if err := decode(r, &p); err != nil {
		return err
	}
	if len(s.st.SSOProviders) == 0 {
		return notFound("saml_provider_disabled", "SAML 2.0 is disabled")
	}
	var sp *ssoProvider
	switch {
	case p.ProviderID != "" && p.Domain != "":
		return validation("Only one of provider_id or domain supported")
	case p.ProviderID != "":
		if sp = s.st.SSOProviders[p.ProviderID]; sp == nil {
			return notFound("sso_provider_not_found", "No such SSO provider")
		}
	case p.Domain != "":
		if sp = s.ssoByDomain(p.Domain); sp == nil {
			return notFound("sso_provider_not_found", "No SSO provider assigned for this domain")
		}
	default:
		return validation("A provider_id or domain needs to be provided")
	}
	hint := p.LoginHint
	if hint == "" && len(sp.Domains) > 0 {
		hint = "user@" + sp.Domains[0]
	}
	target, err := s.beginIDP(r, idpRequest{Provider: "sso:" + sp.ID, AuthMethod: "sso/saml", RedirectTo: p.RedirectTo,
		LoginHint: hint, CodeChallenge: p.CodeChallenge, CodeChallengeMethod: p.CodeChallengeMethod, Auto: p.EmulatorAuto})
	if err != nil {
		return err
	}
	if p.SkipHTTPRedirect {
		writeJSON(w, http.StatusOK, obj{{"url", target}})
		return nil
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
