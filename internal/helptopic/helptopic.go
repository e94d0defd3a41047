// Package helptopic holds the reference text that is not tied to one command:
// the environment variables authctl reads, the files it keeps and its exit
// codes. `authctl help environment` prints it and the man pages carry it as
// ENVIRONMENT, FILES and EXIT STATUS sections, so both say the same thing.
package helptopic

import (
	"fmt"
	"strings"
)

// Entry is one described item: a variable, a file or an exit code.
type Entry struct {
	Name string
	Text string
}

// Environment lists every variable authctl reads, most used first.
var Environment = []Entry{
	{"SUPABASE_URL", "The project URL (https://<ref>.supabase.co) or the Auth URL itself. Overrides the profile's " +
		"url; --url overrides it. Default: http://localhost:9999, where `authctl emulator` listens."},
	{"SUPABASE_ANON_KEY, SUPABASE_PUBLISHABLE_KEY", "The project's public API key, sent as apikey. Overrides the " +
		"profile's anon-key; the first one set wins."},
	{"SUPABASE_SERVICE_ROLE_KEY, SUPABASE_SECRET_KEY", "The key admin commands use. Without it they read the key " +
		"stored by `authctl config set service-role-key`."},
	{"AUTHCTL_PROFILE", "The profile to use when --profile is not given. Default: the config file's current profile."},
	{"AUTHCTL_CONFIG_DIR", "The configuration directory. Default: $XDG_CONFIG_HOME/authctl, else ~/.config/authctl."},
	{"AUTHCTL_STORAGE", "Where sessions are kept: auto (the OS keyring, else a file, with a warning), keyring " +
		"(never a file) or file. Overrides the profile's storage."},
	{"AUTHCTL_FLOW_TYPE", "implicit or pkce: how email links and OAuth sign-ins return. Overrides the profile's flow-type."},
	{"AUTHCTL_NO_INPUT", "Set to 1 to never prompt, like --no-input: a missing value is an error (exit 2)."},
	{"AUTHCTL_EMULATOR_<FLAG>", "Any `authctl emulator` flag, e.g. AUTHCTL_EMULATOR_JWT_EXP for --jwt-exp."},
	{"SUPABASE_ENV, SUPABASE_AUTH_<KEY>", "With `authctl emulator --config`, read as `supabase start` reads them: " +
		"the stage whose .env.<stage>[.local] files are loaded (default development), and overrides of the " +
		"file's [auth] settings, e.g. SUPABASE_AUTH_SITE_URL for auth.site_url."},
	{"AUTHCTL_WATCH_TICK", "How often `authctl watch` checks the session when --tick is not given, e.g. 30s."},
	{"DBUS_SESSION_BUS_ADDRESS", "The D-Bus session bus of the OS keyring (Secret Service) on Linux. Without " +
		"one, authctl never starts a bus itself: storage auto uses the file."},
	{"NO_COLOR", "Set to anything to turn colour off (no-color.org). TERM=dumb does the same."},
	{"CLICOLOR_FORCE", "Set to a value other than 0 to colour output even when it is not a terminal."},
	{"COLUMNS, LINES", "The terminal size tables and the TOTP QR code are fitted to, instead of the size the " +
		"terminal reports."},
	{"ACCESSIBLE", "Set to anything for plain line-by-line prompts, friendlier to screen readers."},
	{"BROWSER", "The program that opens sign-in pages (login oauth, login sso). Over SSH (SSH_CONNECTION, " +
		"SSH_TTY) or without a display (DISPLAY, WAYLAND_DISPLAY) authctl prints the URL instead of opening it."},
}

// Files lists what authctl keeps under the configuration directory.
var Files = []Entry{
	{"$AUTHCTL_CONFIG_DIR/config.yaml", "Profiles: URL, anon key, flow type, storage. Never secrets."},
	{"$AUTHCTL_CONFIG_DIR/sessions/PROFILE.json", "The session (mode 0600) when it is kept in a file rather than the " +
		"OS keyring (service \"authctl\")."},
	{"$AUTHCTL_CONFIG_DIR/locks/", "Lock files that let concurrent authctl processes refresh a session once."},
	{"$AUTHCTL_CONFIG_DIR/state.json", "What authctl learned between runs, never secrets: the Auth path found " +
		"behind a URL given without one, which Auth URLs each profile holds a session for, and which one-time " +
		"notices were shown. Removing it repeats the probe and the notices."},
}

// ExitStatus lists the exit codes (docs/exit-codes.md has the details).
var ExitStatus = []Entry{
	{"0", "Success."},
	{"1", "An error reported by the server or by authctl."},
	{"2", "Usage error: bad flags or arguments, or a value missing where authctl cannot prompt."},
	{"3", "Not signed in, or the server revoked the session."},
	{"4", "A second factor is required (aal2)."},
	{"5", "The server could not be reached, or a retryable failure persisted."},
	{"130", "Interrupted (Ctrl-C, SIGINT, SIGTERM)."},
}

// EnvironmentHelp is the text of `authctl help environment`.
func EnvironmentHelp() string {
	var b strings.Builder
	b.WriteString("authctl reads these environment variables. A flag given on the command line wins over its\n" +
		"variable, and a variable wins over the profile in the config file.\n\n")
	writeList(&b, Environment)
	b.WriteString("\nFiles:\n\n")
	writeList(&b, Files)
	return strings.TrimRight(b.String(), "\n")
}

// writeList writes entries as a name line and an indented, wrapped paragraph.
func writeList(b *strings.Builder, entries []Entry) {
	for _, e := range entries {
		fmt.Fprintf(b, "  %s\n", e.Name)
		for _, line := range wrap(e.Text, 72) {
			fmt.Fprintf(b, "      %s\n", line)
		}
	}
}

// wrap breaks text into lines of at most width runes at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}
