// Package docgen writes the generated files under docs/ and completions/:
// the command reference in Markdown, man pages, and shell completion
// scripts. `make docs` (go run ./internal/docgen) regenerates them, and a
// test fails when the committed copies are stale.
package docgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// Generate writes every generated file for root under repoDir.
func Generate(root *cobra.Command, repoDir string) error {
	root.DisableAutoGenTag = true
	refDir := filepath.Join(repoDir, "docs", "reference")
	manDir := filepath.Join(repoDir, "docs", "man")
	compDir := filepath.Join(repoDir, "completions")
	for _, d := range []string{refDir, manDir, compDir} {
		// Start clean so a removed command does not leave its page behind.
		if err := os.RemoveAll(d); err != nil {
			return err
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := doc.GenMarkdownTree(root, refDir); err != nil {
		return err
	}
	// A fixed date keeps man pages reproducible: they change only when a
	// command does.
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	header := &doc.GenManHeader{Title: "AUTHCTL", Section: "1", Source: "authctl", Manual: "authctl manual", Date: &date}
	if err := doc.GenManTree(root, header, manDir); err != nil {
		return err
	}
	if err := addManSections(manDir, root.Name()); err != nil {
		return err
	}
	return writeCompletions(root, compDir)
}

func writeCompletions(root *cobra.Command, dir string) error {
	gens := map[string]func(*bytes.Buffer) error{
		"authctl.bash": func(b *bytes.Buffer) error { return root.GenBashCompletionV2(b, true) },
		"_authctl":     func(b *bytes.Buffer) error { return root.GenZshCompletion(b) },
		"authctl.fish": func(b *bytes.Buffer) error { return root.GenFishCompletion(b, true) },
		"authctl.ps1":  func(b *bytes.Buffer) error { return root.GenPowerShellCompletionWithDesc(b) },
	}
	for name, gen := range gens {
		var b bytes.Buffer
		if err := gen(&b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Stale lists the generated files under repoDir that differ from what root
// generates now (missing, changed or extra).
func Stale(root *cobra.Command, repoDir string) ([]string, error) {
	tmp, err := os.MkdirTemp("", "authctl-docgen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := Generate(root, tmp); err != nil {
		return nil, err
	}
	var stale []string
	for _, sub := range []string{"docs/reference", "docs/man", "completions"} {
		want, err := readTree(filepath.Join(tmp, sub))
		if err != nil {
			return nil, err
		}
		have, err := readTree(filepath.Join(repoDir, sub))
		if err != nil {
			return nil, err
		}
		for name, w := range want {
			if h, ok := have[name]; !ok || !bytes.Equal(h, w) {
				stale = append(stale, filepath.Join(sub, name))
			}
		}
		for name := range have {
			if _, ok := want[name]; !ok {
				stale = append(stale, filepath.Join(sub, name)+" (extra)")
			}
		}
	}
	return stale, nil
}

func readTree(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return files, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files[e.Name()] = b
	}
	return files, nil
}
