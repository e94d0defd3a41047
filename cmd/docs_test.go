package cmd

import (
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/docgen"
)

// TestGeneratedFilesAreCurrent fails when docs/reference, docs/man or
// completions/ no longer match the command tree.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	stale, err := docgen.Stale(NewCmdRootForDocs(), "..")
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Fatalf("generated files are stale; run `make docs`:\n  %s", strings.Join(stale, "\n  "))
	}
}
