package docgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManSectionsBeforeSeeAlso(t *testing.T) {
	dir := t.TempDir()
	page := ".TH X\n.SH NAME\n.SH SEE ALSO\n\\fBauthctl(1)\\fP\n"
	for _, name := range []string{"authctl.1", "authctl-login.1"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := addManSections(dir, "authctl"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"authctl.1":       {".SH ENVIRONMENT", "SUPABASE_URL", ".SH FILES", "config.yaml", ".SH EXIT STATUS", "130"},
		"authctl-login.1": {".SH ENVIRONMENT", "authctl help environment", ".SH EXIT STATUS", "130"},
	} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		got := string(b)
		for _, w := range want {
			if i := strings.Index(got, w); i < 0 || i > strings.Index(got, ".SH SEE ALSO") {
				t.Errorf("%s: %q missing or after SEE ALSO:\n%s", name, w, got)
			}
		}
	}
}
