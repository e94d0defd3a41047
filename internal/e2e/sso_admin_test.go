package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

type ssoProviderJSON struct {
	ID         string
	ResourceID string `json:"resource_id"`
	Disabled   *bool
	SAML       struct {
		EntityID         string `json:"entity_id"`
		MetadataXML      string `json:"metadata_xml"`
		NameIDFormat     string `json:"name_id_format"`
		AttributeMapping struct {
			Keys map[string]struct{ Name string }
		} `json:"attribute_mapping"`
	}
	Domains []struct{ Domain string }
}

func (p ssoProviderJSON) domains() []string {
	var out []string
	for _, d := range p.Domains {
		out = append(out, d.Domain)
	}
	slices.Sort(out)
	return out
}

// idpMetadata writes SAML metadata for a new entity ID and returns its file.
func idpMetadata(t *testing.T, dir, entityID string) string {
	t.Helper()
	xml := `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + entityID + `">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`
	file := filepath.Join(dir, fmt.Sprintf("idp-%d.xml", time.Now().UnixNano()))
	if err := os.WriteFile(file, []byte(xml), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func wantErrorCode(t *testing.T, r result, code string) {
	t.Helper()
	if r.Code != 1 || !strings.Contains(r.Stderr, `"code":"`+code+`"`) {
		t.Errorf("want exit 1 with %s; got %d: %s", code, r.Code, r.Stderr)
	}
}

// admin sso providers: add from a metadata file with domains and an
// attribute mapping, list, get (by id and by resource id), update, the
// server's refusals, remove.
func TestAdminSSOProviders(t *testing.T) {
	e := newEnv(t).withAdmin()
	tag := time.Now().UnixNano()
	entity := fmt.Sprintf("https://idp-%d.example.test/metadata", tag)
	d1, d2, d3 := fmt.Sprintf("a-%d.test", tag), fmt.Sprintf("b-%d.test", tag), fmt.Sprintf("c-%d.test", tag)
	meta := idpMetadata(t, e.dir, entity)

	var sp ssoProviderJSON
	e.jsonOut(&sp, "", "admin", "sso", "providers", "add", "--metadata-file", meta, "--domain", d1,
		"--attribute-mapping", `{"email":{"name":"mail"}}`)
	if sp.ID == "" || sp.SAML.EntityID != entity || !slices.Equal(sp.domains(), []string{d1}) ||
		sp.SAML.AttributeMapping.Keys["email"].Name != "mail" || sp.Disabled != nil {
		t.Fatalf("add: %+v", sp)
	}
	var list []ssoProviderJSON
	e.jsonOut(&list, "", "admin", "sso", "providers", "list")
	i := slices.IndexFunc(list, func(p ssoProviderJSON) bool { return p.ID == sp.ID })
	if i < 0 || list[i].SAML.MetadataXML != "" || list[i].SAML.EntityID != entity {
		t.Fatalf("list (without metadata XML): %+v", list)
	}
	var got ssoProviderJSON
	e.jsonOut(&got, "", "admin", "sso", "providers", "get", sp.ID)
	if !strings.Contains(got.SAML.MetadataXML, entity) {
		t.Errorf("get: no metadata XML: %+v", got)
	}

	wantErrorCode(t, e.run("", "admin", "sso", "providers", "add", "--metadata-file", meta, "--json"), "saml_idp_already_exists")
	other := idpMetadata(t, e.dir, entity+"/other")
	wantErrorCode(t, e.run("", "admin", "sso", "providers", "add", "--metadata-file", other, "--domain", d1, "--json"), "sso_domain_already_exists")
	wantErrorCode(t, e.run("", "admin", "sso", "providers", "add", "--metadata-url", "http://idp.example.test/m", "--json"), "validation_failed")
	e.mustRun(2, "", "admin", "sso", "providers", "add", "--domain", d1)

	resource := fmt.Sprintf("res-%d", tag)
	e.jsonOut(&got, "", "admin", "sso", "providers", "update", sp.ID, "--domain", d2+","+d3, "--disabled", "--resource-id", resource)
	if !slices.Equal(got.domains(), []string{d2, d3}) || got.Disabled == nil || !*got.Disabled || got.ResourceID != resource {
		t.Errorf("update domains, disabled, resource id: %+v", got)
	}
	e.jsonOut(&got, "", "admin", "sso", "providers", "get", "resource_"+resource)
	if got.ID != sp.ID {
		t.Errorf("get resource_%s: %+v", resource, got)
	}
	// The name id format sticks when it comes with a changed mapping, and a
	// later update that does not name it keeps it.
	format := "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	e.jsonOut(&got, "", "admin", "sso", "providers", "update", sp.ID, "--attribute-mapping", `{"email":{"name":"emailAddress"}}`, "--name-id-format", format)
	if got.SAML.NameIDFormat != format || got.SAML.AttributeMapping.Keys["email"].Name != "emailAddress" {
		t.Errorf("update mapping and name id format: %+v", got)
	}
	e.jsonOut(&got, "", "admin", "sso", "providers", "update", sp.ID, "--metadata-file", meta)
	if got.SAML.NameIDFormat != format {
		t.Errorf("an update without --name-id-format cleared it: %+v", got)
	}
	wantErrorCode(t, e.run("", "admin", "sso", "providers", "update", sp.ID, "--metadata-file", other, "--json"), "saml_entity_id_mismatch")

	r := e.mustRun(0, "", "admin", "sso", "providers", "list")
	if !strings.Contains(r.Stdout, sp.ID) {
		t.Errorf("list text: %s", r.Stdout)
	}
	e.mustRun(0, "", "admin", "sso", "providers", "remove", sp.ID)
	wantErrorCode(t, e.run("", "admin", "sso", "providers", "get", sp.ID, "--json"), "sso_provider_not_found")
}
