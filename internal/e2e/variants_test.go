package e2e

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/emulator"
)

// Server variants: a test of a setting the shared target has the other way
// (anonymous sign-ins off, sign-ups off, web3 on, passkeys on) runs on a server of its
// own, given by serverWith. On the emulator run that is an emulator of the
// test's own with the variant's emulator.Config; on a real run it is the
// real server the CI script started with the variant's GOTRUE_* settings
// (variantsFile), named by AUTHCTL_E2E_URL_<NAME>.

// serverVariants are the emulator settings of the variants of variantsFile.
var serverVariants = map[string]func(*emulator.Config){
	"ANON_OFF":   func(c *emulator.Config) { c.DisableAnonymous = true },
	"SIGNUP_OFF": func(c *emulator.Config) { c.DisableSignup = true },
	"WEB3_ON":    func(c *emulator.Config) { c.Web3 = true },
	"ASYMMETRIC": func(c *emulator.Config) { c.Asymmetric = true },
	"PROJECT":    loadProjectConfig, // testdata/config.toml (projectconfig_test.go)
	"PASSKEY_ON": func(c *emulator.Config) {
		c.Passkeys, c.WebAuthnRPID, c.WebAuthnRPName, c.WebAuthnOrigins = true, "localhost", "authctl", []string{passkeyOrigin}
		c.MFAWebAuthnEnroll, c.MFAWebAuthnVerify = true, true
	},
}

// variantsFile lists each variant's real-server settings, for the CI
// script, as "NAME GOTRUE_SETTING=VALUE..." lines.
const variantsFile = "../../.ci/server-variants"

// serverWith is the server of variant for this test.
func serverWith(t *testing.T, variant string) *server {
	t.Helper()
	tweak, ok := serverVariants[variant]
	if !ok {
		t.Fatalf("no server variant %q: add it to serverVariants and %s", variant, variantsFile)
	}
	if target.Emulated {
		return startOwnEmulator(t, tweak)
	}
	return target.variants[variant]
}

// realVariants are the variants' servers of a real run, from
// AUTHCTL_E2E_URL_<NAME>; missing names the variables that are not set and
// the settings their servers need. The variants sign with the main
// server's JWT secret, so its keys are theirs.
func realVariants(main *server) (variants map[string]*server, missing []string, err error) {
	settings, err := readVariantsFile()
	if err != nil {
		return nil, nil, err
	}
	variants = map[string]*server{}
	for _, name := range slices.Sorted(maps.Keys(serverVariants)) {
		v := "AUTHCTL_E2E_URL_" + name
		u := os.Getenv(v)
		if u == "" {
			missing = append(missing, fmt.Sprintf("  %s (a server like this one but with %s, as .ci/%s says)",
				v, settings[name], filepath.Base(variantsFile)))
			continue
		}
		variants[name] = &server{URL: u, AnonKey: main.AnonKey, ServiceRoleKey: main.ServiceRoleKey}
	}
	return variants, missing, nil
}

// readVariantsFile maps each variant of variantsFile to its settings.
func readVariantsFile() (map[string]string, error) {
	raw, err := os.ReadFile(variantsFile)
	if err != nil {
		return nil, fmt.Errorf("the server variants: %v", err)
	}
	settings := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		settings[f[0]] = strings.Join(f[1:], " ")
	}
	return settings, nil
}

// The CI script starts a server for every variant the tests use, with some
// settings, and no other.
func TestServerVariantsMatchCI(t *testing.T) {
	settings, err := readVariantsFile()
	if err != nil {
		t.Fatal(err)
	}
	for name := range serverVariants {
		if settings[name] == "" {
			t.Errorf("variant %s has no line with GOTRUE_* settings in %s", name, variantsFile)
		}
	}
	for name := range settings {
		if serverVariants[name] == nil {
			t.Errorf("%s has variant %s, which serverVariants does not know", variantsFile, name)
		}
	}
}

// startOwnEmulator runs an emulator of the test's own on a free loopback
// port, configured by tweak (nil: the defaults): a variant's server on the
// emulator run, or an emulator beside a real target.
func startOwnEmulator(t *testing.T, tweak func(*emulator.Config)) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, done, err := startEmulator(ctx, tweak)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-done })
	return s
}
