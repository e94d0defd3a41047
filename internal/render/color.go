package render

// ANSI SGR sequences. Kept as plain strings: no terminal capability lookup is
// needed for the eight basic colours, which every terminal we target knows.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrRed    = "\x1b[31m"
	sgrGreen  = "\x1b[32m"
	sgrYellow = "\x1b[33m"
	sgrBlue   = "\x1b[1;34m"
	sgrCyan   = "\x1b[36m"
	sgrGray   = "\x1b[90m"
)

// ColorEnabled decides whether output to a stream should be coloured:
// CLICOLOR_FORCE (other than "0") forces colour on even through a pipe;
// otherwise NO_COLOR (any value, see no-color.org) or TERM=dumb turn it off;
// otherwise colour follows whether the stream is a terminal.
func ColorEnabled(isTTY bool, env func(string) string) bool {
	if v := env("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if env("NO_COLOR") != "" || env("TERM") == "dumb" {
		return false
	}
	return isTTY
}

// ColorScheme wraps text in colours when enabled and returns it unchanged
// when not, so callers never branch on colour themselves. The zero value and
// a nil *ColorScheme are both disabled.
type ColorScheme struct {
	enabled bool
}

// NewColorScheme returns a scheme that colours only when enabled is true.
func NewColorScheme(enabled bool) *ColorScheme { return &ColorScheme{enabled: enabled} }

// Enabled reports whether the scheme colours text.
func (c *ColorScheme) Enabled() bool { return c != nil && c.enabled }

func (c *ColorScheme) wrap(sgr, s string) string {
	if !c.Enabled() {
		return s
	}
	return sgr + s + sgrReset
}

// Bold makes s bold.
func (c *ColorScheme) Bold(s string) string { return c.wrap(sgrBold, s) }

// Green colours s green (success).
func (c *ColorScheme) Green(s string) string { return c.wrap(sgrGreen, s) }

// Red colours s red (failure).
func (c *ColorScheme) Red(s string) string { return c.wrap(sgrRed, s) }

// Yellow colours s yellow (warning).
func (c *ColorScheme) Yellow(s string) string { return c.wrap(sgrYellow, s) }

// Cyan colours s cyan (identifiers, links).
func (c *ColorScheme) Cyan(s string) string { return c.wrap(sgrCyan, s) }

// Gray colours s gray (secondary details).
func (c *ColorScheme) Gray(s string) string { return c.wrap(sgrGray, s) }

// SuccessIcon is a green ✓ (plain when colour is off).
func (c *ColorScheme) SuccessIcon() string { return c.Green("✓") }

// FailureIcon is a red ✗.
func (c *ColorScheme) FailureIcon() string { return c.Red("✗") }

// WarningIcon is a yellow !.
func (c *ColorScheme) WarningIcon() string { return c.Yellow("!") }
