package helptopic

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryVariableIsDocumented reads the source for the variables authctl
// reads, so a new one cannot be added without saying what it does. Tests and
// test support (e2e, the chromium-tagged browser helpers) are not authctl.
func TestEveryVariableIsDocumented(t *testing.T) {
	read := regexp.MustCompile(`(?:[gG]etenv|env)\("([A-Z][A-Z0-9_]*)"\)|firstEnv\([^)]*\)|envPrefix = "([A-Z_]+)"`)
	name := regexp.MustCompile(`"([A-Z][A-Z0-9_]*)"`)
	documented := EnvironmentHelp()
	seen := 0
	for _, root := range []string{"../../cmd", "../../internal"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
				strings.Contains(path, "e2e") || strings.Contains(path, "testdata") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if strings.HasPrefix(string(src), "//go:build chromium") {
				return nil // test support built only for the browser tests, never into authctl
			}
			for _, m := range read.FindAllString(string(src), -1) {
				for _, n := range name.FindAllStringSubmatch(m, -1) {
					seen++
					if !strings.Contains(documented, n[1]) {
						t.Errorf("%s reads %s, which `authctl help environment` does not describe", path, n[1])
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d variable reads: the pattern no longer matches the code", seen)
	}
}

func TestWrapKeepsLinesShort(t *testing.T) {
	for _, l := range strings.Split(EnvironmentHelp(), "\n") {
		if len([]rune(l)) > 100 {
			t.Errorf("line longer than 100 columns: %q", l)
		}
	}
}
