// Package cmdutil is what every command needs and no command owns: the
// Factory of lazy dependencies, global flags, output (JSON, --jq, human),
// argument checks, usage errors and the one mapping of errors to exit codes.
package cmdutil

import (
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/prompt"
	"github.com/authctl/authctl/internal/state"
)

// GlobalFlags are the root command's persistent flags (DESIGN.md).
type GlobalFlags struct {
	Profile string
	URL     string
	JSON    bool
	JQ      string
	NoInput bool
	Debug   bool
	// HTTPTimeout bounds each request to the Auth server, body included
	// (--http-timeout). Zero means DefaultHTTPTimeout.
	HTTPTimeout time.Duration
}

// RequestTimeout is --http-timeout, or DefaultHTTPTimeout when it is unset.
func (g *GlobalFlags) RequestTimeout() time.Duration {
	if g.HTTPTimeout <= 0 {
		return DefaultHTTPTimeout
	}
	return g.HTTPTimeout
}

// DefaultHTTPTimeout is generous for one Auth call (a slow bcrypt on sign-in
// takes a second or two) yet ends a stalled connection well inside a CI step.
const DefaultHTTPTimeout = 30 * time.Second

// Target is the project a command acts on, resolved from flags, environment
// and the configuration file. It holds no secrets but the anon key, which is
// public by design.
type Target struct {
	Profile     string
	AuthURL     string // the Auth API base (…/auth/v1 for projects)
	ProjectURL  string // the project base `authctl api` resolves paths against
	URLSource   string // where the URL came from: "--url", "SUPABASE_URL", "config url of profile P", "the default"
	AnonKey     string
	AnonKeyFrom string // where AnonKey came from: "SUPABASE_ANON_KEY", "config anon-key of profile P", …
	FlowType    string // "implicit" or "pkce"
	StorageMode string // "auto", "keyring" or "file"
	// Unset is true when no flag, variable or profile named a URL: the
	// default is in use, which a first run has not started yet.
	Unset bool
}

// SessionKey is where the session for this Auth URL and profile is stored.
func (t *Target) SessionKey() string { return auth.StorageKeyFor(t.AuthURL, t.Profile) }

// Key is an API key and where it came from (an environment variable or a
// setting), so that messages can name the place without the value.
type Key struct {
	Value  string
	Source string
}

// How to set each key, for messages that find one missing or wrong.
const (
	HowToSetAnonKey = "set SUPABASE_ANON_KEY (or SUPABASE_PUBLISHABLE_KEY) to the project's anon or publishable key, " +
		"or save it with `authctl config set anon-key KEY`"
	HowToSetServiceRoleKey = "set SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_SECRET_KEY) to the project's service_role or secret key, " +
		"or store it with `authctl config set service-role-key` (reads stdin)"
)

// StorageInfo says which session storage backend is in use and why.
type StorageInfo struct {
	Backend        string // "keyring", "file" or "memory"
	FallbackReason string // why the keyring was not used, when auto fell back
}

// Factory hands commands their dependencies. Every function is evaluated on
// first use and caches its result, so a command pays only for what it
// touches: `authctl --help` reads no file, `authctl token` opens no keyring
// when the file backend is configured, nothing reaches the network up front.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Flags     *GlobalFlags
	Now       func() time.Time

	Config      func() (*config.Config, error)
	State       func() (*state.File, error) // what authctl remembers between runs: probed Auth paths, where profiles hold sessions
	Target      func() (*Target, error)
	Storage     func() (auth.Storage, StorageInfo, error)
	Client      func() (*auth.Client, error) // user-facing client: stored session, cross-process lock
	AdminClient func() (*auth.Client, error) // service-role client; usage error (exit 2) without the key
	// ServiceRoleKey is the environment's or the stored service-role key; the
	// zero Key when there is none.
	ServiceRoleKey func() (Key, error)
	Prompter       func() prompt.Prompter // huh on a terminal, refusal otherwise
	// PublicClient has the anon key and no session storage, for endpoints
	// that need no session (settings, health): no keyring is opened.
	PublicClient func() (*auth.Client, error)

	// PKCEClient is the user-facing client in PKCE flow whatever the profile
	// says, for the browser sign-ins (login oauth, login sso, identities
	// link): the code is useless without this process's verifier, and no
	// token ever sits in a URL or the browser's history.
	PKCEClient func() (*auth.Client, error)

	// ForProfile is a factory for the named profile as the configuration
	// file describes it: --url, --profile and the environment's URL, keys
	// and profile are ignored, since they would make every profile the same
	// one. Commands that span profiles (status --all, settings diff,
	// profile rename) use it.
	ForProfile func(name string) *Factory
}
