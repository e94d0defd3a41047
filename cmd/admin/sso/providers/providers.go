// Package providers implements `authctl admin sso providers
// list|get|add|update|remove`: the SAML identity providers users of given
// email domains sign in through (`authctl login sso`).
package providers

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// NewCmdProviders builds `authctl admin sso providers`.
func NewCmdProviders(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "providers <command>",
		Short: "List, add, change and remove SAML identity providers",
		Long: heredoc.Docf(`
			SAML identity providers of the project (/admin/sso/providers). Users whose email domain a
			provider lists sign in with %[1]sauthctl login sso --domain DOMAIN%[1]s, which works only when the
			server has SAML on (self-hosted: GOTRUE_SAML_ENABLED=true and GOTRUE_SAML_PRIVATE_KEY, a
			base64 DER RSA key; %[1]sauthctl settings%[1]s shows saml sso). Providers can be managed either way.
			A provider is named by its ID, or by resource_RESOURCE_ID when it was given --resource-id.
		`, "`"),
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdGet(f, nil), NewCmdAdd(f, nil), NewCmdUpdate(f, nil), NewCmdRemove(f, nil))
	return cmd
}

// ProviderFlags are the settings add and update take.
type ProviderFlags struct {
	MetadataURL      string
	MetadataFile     string
	Domains          []string
	AttributeMapping string
	NameIDFormat     string
	ResourceID       string
	Disabled         bool
}

func (pf *ProviderFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&pf.MetadataURL, "metadata-url", "", "the IdP's SAML metadata `URL` (https; the server fetches it)")
	fs.StringVar(&pf.MetadataFile, "metadata-file", "", "the IdP's SAML metadata XML `FILE` (- for stdin)")
	fs.StringSliceVar(&pf.Domains, "domain", nil, "email `DOMAIN` whose users sign in through it (repeat, or comma-separated)")
	fs.StringVar(&pf.AttributeMapping, "attribute-mapping", "", "SAML attributes to user fields, `JSON` or @FILE: "+
		`{"keys":{"email":{"name":"mail"}}} (the "keys" level may be left out)`)
	fs.StringVar(&pf.NameIDFormat, "name-id-format", "", "NameID `FORMAT` to ask for (urn:oasis:names:tc:SAML:…)")
	fs.StringVar(&pf.ResourceID, "resource-id", "", "your own `ID` for the provider (lookups by resource_ID)")
	fs.BoolVar(&pf.Disabled, "disabled", false, "turn sign-ins through it off (--disabled=false: on)")
}

// params builds the request from the flags that were given.
func (pf *ProviderFlags) params(in io.Reader, changed func(string) bool) (auth.SSOProviderParams, error) {
	p := auth.SSOProviderParams{MetadataURL: pf.MetadataURL, Domains: pf.Domains, NameIDFormat: pf.NameIDFormat}
	if pf.MetadataURL != "" && pf.MetadataFile != "" {
		return p, cmdutil.FlagErrorf("--metadata-url and --metadata-file are alternatives: give one")
	}
	if pf.MetadataFile != "" {
		xml, err := readArg(in, pf.MetadataFile)
		if err != nil {
			return p, cmdutil.FlagErrorf("--metadata-file: %v", err)
		}
		p.MetadataXML = string(xml)
	}
	if pf.AttributeMapping != "" {
		m, err := attributeMapping(in, pf.AttributeMapping)
		if err != nil {
			return p, err
		}
		p.AttributeMapping = m
	}
	if changed("resource-id") {
		p.ResourceID = &pf.ResourceID
	}
	if changed("disabled") {
		p.Disabled = &pf.Disabled
	}
	return p, nil
}

// readArg reads a file, or stdin for "-".
func readArg(in io.Reader, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(in)
	}
	return os.ReadFile(name)
}

// attributeMapping reads --attribute-mapping (JSON, or @FILE) and adds the
// server's "keys" level when it was left out.
func attributeMapping(in io.Reader, v string) (json.RawMessage, error) {
	raw := []byte(v)
	if name, ok := strings.CutPrefix(v, "@"); ok {
		var err error
		if raw, err = readArg(in, name); err != nil {
			return nil, cmdutil.FlagErrorf("--attribute-mapping: %v", err)
		}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, cmdutil.FlagErrorf(`--attribute-mapping: not a JSON object (%v); e.g. {"email":{"name":"mail"}}`, err)
	}
	if _, ok := m["keys"]; !ok {
		return json.Marshal(map[string]any{"keys": m})
	}
	return raw, nil
}

// printProvider renders one provider for people.
func printProvider(p *cmdutil.Printer, sp *auth.SSOProvider) error {
	rows := [][2]string{{"id:", sp.ID}, {"entity id:", sp.SAML.EntityID}, {"domains:", domains(sp)},
		{"enabled:", fmt.Sprint(sp.Disabled == nil || !*sp.Disabled)}}
	if sp.SAML.MetadataURL != "" {
		rows = append(rows, [2]string{"metadata:", sp.SAML.MetadataURL})
	}
	if len(sp.SAML.AttributeMapping) > 0 {
		rows = append(rows, [2]string{"attributes:", string(sp.SAML.AttributeMapping)})
	}
	if sp.SAML.NameIDFormat != "" {
		rows = append(rows, [2]string{"name id:", sp.SAML.NameIDFormat})
	}
	if sp.ResourceID != "" {
		rows = append(rows, [2]string{"resource:", sp.ResourceID})
	}
	return render.Fields(p.Out, p.Width, "", rows)
}

func domains(sp *auth.SSOProvider) string {
	var ds []string
	for _, d := range sp.Domains {
		ds = append(ds, d.Domain)
	}
	return strings.Join(ds, ", ")
}
