package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ssoProvider is an enterprise (SAML) provider. The emulator reaches no
// real IdP: a provider whose metadata is the built-in SAML IdP's (saml.go)
// signs in through SAML, any other through the mock identity provider's
// page. Like a server with
// SAML off, /sso answers "SAML 2.0 is disabled" until an admin registers a
// provider with POST /admin/sso/providers {"type":"saml","domains":[…]}.
type ssoProvider struct {
	ID               string          `json:"id"`
	EntityID         string          `json:"entity_id"`
	MetadataURL      string          `json:"metadata_url,omitempty"`
	MetadataXML      string          `json:"metadata_xml,omitempty"`
	AttributeMapping json.RawMessage `json:"attribute_mapping,omitempty"`
	NameIDFormat     string          `json:"name_id_format,omitempty"`
	ResourceID       string          `json:"resource_id,omitempty"`
	Disabled         *bool           `json:"disabled,omitempty"`
	Domains          []string        `json:"domains"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

// ssoJSON renders a provider as the server does; lists leave the metadata
// XML out.
func ssoJSON(p *ssoProvider, withXML bool) obj {
	saml := obj{{"entity_id", p.EntityID}}
	if withXML {
		saml = saml.addStr("metadata_xml", p.MetadataXML)
	}
	saml = saml.addStr("metadata_url", p.MetadataURL)
	if len(p.AttributeMapping) > 0 {
		saml = saml.add("attribute_mapping", p.AttributeMapping)
	}
	saml = saml.addStr("name_id_format", p.NameIDFormat)
	domains := []obj{}
	for _, d := range p.Domains {
		domains = append(domains, obj{{"domain", d}})
	}
	out := obj{{"id", p.ID}}
	out = out.addStr("resource_id", p.ResourceID)
	return append(out, obj{{"disabled", p.Disabled}, {"saml", saml}, {"domains", domains},
		{"created_at", fmtTime(p.CreatedAt)}, {"updated_at", fmtTime(p.UpdatedAt)}}...)
}

func (s *Server) handleAdminListSSO(w http.ResponseWriter, r *http.Request) error {
	list := make([]*ssoProvider, 0, len(s.st.SSOProviders))
	for _, p := range s.st.SSOProviders {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].CreatedAt.Before(list[j].CreatedAt) })
	items := []obj{}
	for _, p := range list {
		items = append(items, ssoJSON(p, false))
	}
	writeJSON(w, http.StatusOK, obj{{"items", items}})
	return nil
}

func (s *Server) pathSSO(r *http.Request) (*ssoProvider, error) {
	// resource_ID names a provider by its resource_id, as on the server.
	if res, ok := strings.CutPrefix(r.PathValue("id"), "resource_"); ok {
		for _, p := range s.st.SSOProviders {
			if p.ResourceID == res {
				return p, nil
			}
		}
		return nil, notFound("sso_provider_not_found", "SSO Identity Provider not found")
	}
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
	writeJSON(w, http.StatusOK, ssoJSON(p, true))
	return nil
}

func (s *Server) handleAdminDeleteSSO(w http.ResponseWriter, r *http.Request) error {
	p, err := s.pathSSO(r)
	if err != nil {
		return err
	}
	delete(s.st.SSOProviders, p.ID)
	writeJSON(w, http.StatusOK, ssoJSON(p, true))
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

// handleSSO: POST /sso by domain or provider_id, through the built-in SAML
// identity provider when the domain's provider is that one, else through
// the mock provider's page.
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
	req := idpRequest{Provider: "sso:" + sp.ID, AuthMethod: "sso/saml", RedirectTo: p.RedirectTo,
		LoginHint: hint, CodeChallenge: p.CodeChallenge, CodeChallengeMethod: p.CodeChallengeMethod, Auto: p.EmulatorAuto}
	var target string
	if sp.EntityID == samlIDPEntityID {
		fs, err := s.newFlow(req)
		if err != nil {
			return err
		}
		target, err = s.samlStart(r, fs, p.EmulatorAuto)
		if err != nil {
			return err
		}
	} else {
		var err error
		if target, err = s.beginIDP(r, req); err != nil {
			return err
		}
	}
	if p.SkipHTTPRedirect {
		writeJSON(w, http.StatusOK, obj{{"url", target}})
		return nil
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
