package cmd

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/iostreams"
)

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	code = Main(args, ios)
	return out.String(), errOut.String(), code
}

func TestUnknownFlagAndCommandAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"--no-such-flag"}, {"token", "extra-arg"}, {"logout", "--scope", "nowhere"}, {"config", "get"}} {
		_, stderr, code := run(t, args...)
		if code != cmdutil.ExitUsage {
			t.Errorf("authctl %s: exit %d, want %d (stderr %q)", strings.Join(args, " "), code, cmdutil.ExitUsage, stderr)
		}
		if !strings.Contains(stderr, "error:") || !strings.Contains(stderr, "--help") {
			t.Errorf("authctl %s: stderr %q lacks the error or the usage hint", strings.Join(args, " "), stderr)
		}
	}
}

func TestJSONErrorObject(t *testing.T) {
	_, stderr, code := run(t, "logout", "--scope", "nowhere", "--json")
	if code != cmdutil.ExitUsage {
		t.Fatalf("exit %d", code)
	}
	var body map[string]map[string]any
	if err := json.Unmarshal([]byte(stderr), &body); err != nil {
		t.Fatalf("stderr is not one JSON object: %v: %q", err, stderr)
	}
	if e := body["error"]; e["name"] != "UsageError" || !strings.Contains(e["message"].(string), "nowhere") {
		t.Errorf("error object = %v", e)
	}
}

func TestBadJQIsUsageErrorBeforeAnyWork(t *testing.T) {
	// --url points nowhere: had the command run, it would exit 5.
	_, stderr, code := run(t, "--url", "http://127.0.0.1:1", "user", "--jq", ".[")
	if code != cmdutil.ExitUsage {
		t.Fatalf("exit %d, want %d (stderr %q)", code, cmdutil.ExitUsage, stderr)
	}
}

func TestVersionJSON(t *testing.T) {
	stdout, _, code := run(t, "version", "--json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || v["version"] == "" {
		t.Fatalf("version --json: exit %d, %q", code, stdout)
	}
}

// Every command with subcommands refuses an unknown first argument with exit
// code 2 and a suggestion, instead of printing help and exiting 0.
func TestMisspeltSubcommandsAreUsageErrors(t *testing.T) {
	cases := []struct{ args, unknown, parent, suggestion string }{
		{"admin users delte ID", "delte", "authctl admin users", "delete"},
		{"admin userz list", "userz", "authctl admin", "users"},
		{"mfa enrol", "enrol", "authctl mfa", "enroll"},
		{"config sett key value", "sett", "authctl config", "set"},
		{"login passwrd", "passwrd", "authctl login", "password"},
		{"admn users list", "admn", "authctl", "admin"},
		{"session refrsh", "refrsh", "authctl session", "refresh"},
		{"oauth grants lst", "lst", "authctl oauth grants", "list"},
		{"completion bsh", "bsh", "authctl completion", "bash"},
	}
	for _, c := range cases {
		_, stderr, code := run(t, strings.Fields(c.args)...)
		want := `unknown command "` + c.unknown + `" for "` + c.parent + `"`
		if code != cmdutil.ExitUsage || !strings.Contains(stderr, want) ||
			!strings.Contains(stderr, "Did you mean this?\n") || !strings.Contains(stderr, "\t"+c.suggestion+"\n") || !strings.Contains(stderr, "Run '"+c.parent+" --help'") {
			t.Errorf("authctl %s: exit %d, stderr %q; want 2 and %s, suggesting %s", c.args, code, stderr, want, c.suggestion)
		}
	}
	// Groups named alone still print their help, exit 0.
	for _, args := range [][]string{{}, {"admin"}, {"admin", "users"}} {
		if stdout, stderr, code := run(t, args...); code != 0 || !strings.Contains(stdout, "Usage:") {
			t.Errorf("authctl %v: exit %d\nstdout %s\nstderr %s", args, code, stdout, stderr)
		}
	}
}

func TestHelpEnvironmentTopic(t *testing.T) {
	stdout, _, code := run(t, "help", "environment")
	for _, want := range []string{"SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "AUTHCTL_PROFILE", "NO_COLOR", "config.yaml"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("help environment: exit %d, output lacks %s:\n%s", code, want, stdout)
		}
	}
	root, _, _ := run(t, "--help")
	if !strings.Contains(root, "authctl help environment") || !strings.Contains(root, "Additional help topics") {
		t.Errorf("root help does not point to the environment topic:\n%s", root)
	}
}

// TestFirstRunHint: with no URL configured, an unreachable server is the
// default one, and the hint says how to start the emulator or name a project.
func TestFirstRunHint(t *testing.T) {
	unreachable := &auth.RetryableFetchError{AuthError: auth.AuthError{Name: auth.NameRetryableFetchError, Message: "network failure"}}
	for _, unset := range []bool{true, false} {
		ios, _, _, _ := iostreams.Test()
		f := newFactory(ios)
		f.Target = func() (*cmdutil.Target, error) { return &cmdutil.Target{Unset: unset}, nil }
		err := firstRunHint(f, unreachable)
		var h *cmdutil.HintedError
		if got := errors.As(err, &h); got != unset {
			t.Fatalf("unset=%v: hint added = %v", unset, got)
		}
		if unset && (!strings.Contains(h.Hint, "authctl emulator") || !strings.Contains(h.Hint, "config set url") ||
			cmdutil.ExitCode(err) != cmdutil.ExitUnavailable) {
			t.Errorf("hint %q, exit %d", h.Hint, cmdutil.ExitCode(err))
		}
	}
}

// TestValueCompletion: flags and arguments with a fixed set of values
// complete them, without file names.
func TestValueCompletion(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"config", "set", ""}, []string{"url", "storage", "service-role-key"}},
		{[]string{"config", "set", "flow-type", ""}, []string{"implicit", "pkce"}},
		{[]string{"admin", "users", "import", "--format", ""}, []string{"jsonl", "csv", "firebase"}},
		{[]string{"admin", "users", "import", "--on-conflict", ""}, []string{"skip", "update", "fail"}},
		{[]string{"admin", "users", "export", "--format", ""}, []string{"jsonl", "csv"}},
		{[]string{"admin", "generate-link", "--type", ""}, []string{"magiclink", "email_change_new"}},
		{[]string{"resend", "--type", ""}, []string{"signup", "phone_change"}},
		{[]string{"verify", "--type", ""}, []string{"magiclink", "sms"}},
		{[]string{"mfa", "enroll", "--type", ""}, []string{"totp", "phone"}},
		{[]string{"admin", "signout", "--scope", ""}, []string{"global", "others"}},
		{[]string{"logout", "--scope", ""}, []string{"local"}},
		{[]string{"login", "otp", "--channel", ""}, []string{"sms", "whatsapp"}},
		{[]string{"mfa", "challenge", "--channel", ""}, []string{"sms", "whatsapp"}},
		{[]string{"login", "web3", "--chain", ""}, []string{"ethereum", "solana"}},
	} {
		stdout, _, code := run(t, append([]string{"__complete"}, c.args...)...)
		for _, w := range c.want {
			if code != 0 || !strings.Contains(stdout, w+"\n") || !strings.Contains(stdout, ":4\n") {
				t.Errorf("completing %v: exit %d, %q lacks %s or the no-file directive", c.args, code, stdout, w)
			}
		}
	}
}

func TestProfileCompletion(t *testing.T) {
	dir := t.TempDir()
	ios, _, out, _ := iostreams.Test()
	ios.SetGetenv(func(k string) string {
		if k == "AUTHCTL_CONFIG_DIR" {
			return dir
		}
		return ""
	})
	if code := Main([]string{"--profile", "staging", "config", "set", "url", "https://abcd.supabase.co"}, ios); code != 0 {
		t.Fatalf("config set: exit %d", code)
	}
	out.Reset()
	if code := Main([]string{"__complete", "--profile", ""}, ios); code != 0 || !strings.Contains(out.String(), "staging\n") {
		t.Errorf("--profile completion: exit %d, %q", code, out.String())
	}
}

// Every value flag names what it takes (`EMAIL`, `DURATION`, …) in its usage:
// pflag's fallback is the Go type ("string", "int"), which tells a person
// nothing.
func TestFlagsNameTheirValues(t *testing.T) {
	typeNames := map[string]bool{"string": true, "int": true, "duration": true, "strings": true,
		"stringArray": true, "uint": true, "float": true, "int32": true, "int64": true}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if name, _ := pflag.UnquoteUsage(fl); typeNames[name] {
				t.Errorf("%s --%s shows %q: put its value's name in `backquotes` in the usage", c.CommandPath(), fl.Name, name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewCmdRootForDocs())
}

// Flag descriptions wrap within the terminal's width, under their column.
func TestHelpFlagsFitTheTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	out, _, code := run(t, "login", "oauth", "--help")
	if code != 0 || !strings.Contains(out, "Global Flags:") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	flags := out[strings.Index(out, "Flags:"):]
	for _, l := range strings.Split(flags, "\n") {
		if n := len([]rune(l)); n >= 80 {
			t.Errorf("%d columns: %q", n, l)
		}
	}
}

// newRootFor finds a top-level command by the name commands gives it: the
// name must be the command's own, or invoking it would build the whole tree
// (slower) and a renamed command would be missed silently.
func TestCommandNames(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := newFactory(ios)
	for _, c := range commands {
		if got := c.new(f); got.Name() != c.name || len(got.Aliases) > 0 {
			t.Errorf("commands entry %q builds %q (aliases %v)", c.name, got.Name(), got.Aliases)
		}
	}
}

func TestInvokedName(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := newRoot(newFactory(ios))
	for args, want := range map[string]string{
		"token":                                  "token",
		"--profile work token --min-ttl 1m":      "token",
		"--profile=work --json admin users list": "admin",
		"--url http://x --http-timeout 5s user":  "user",
		"--help token":                           "",
		"-h":                                     "",
		"--no-such-flag token":                   "",
		"-- token":                               "",
		"":                                       "",
	} {
		if got := invokedName(root, strings.Fields(args)); got != want {
			t.Errorf("invokedName(%q) = %q, want %q", args, got, want)
		}
	}
}

// Every command's help fits 80 columns, so the terminal never breaks a line
// mid-word: descriptions reflow, flag lists wrap, and command summaries are
// short. Examples are exempt (a command is copied whole, not read), and so
// is a line of one word, which no wrapping can shorten.
func TestHelpFits80Columns(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		var out strings.Builder
		c.SetOut(&out)
		if err := c.Help(); err != nil {
			t.Fatal(err)
		}
		section := ""
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.HasSuffix(l, ":") && atMargin(l) {
				section = l
			}
			oneWord := !strings.Contains(strings.TrimSpace(l), " ")
			if n := runewidth.StringWidth(l); n >= 80 && section != "Examples:" && !oneWord {
				t.Errorf("%s --help: %d columns: %q", c.CommandPath(), n, l)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewCmdRootForDocs())
}
