package auth

import (
	"net/http"
	"time"
)

// Constants of spec §20. They are exported so the command layer can show them
// (for example in `authctl status`) without repeating the numbers.
const (
	// DefaultURL is where `authctl emulator` listens, so a new user can run the
	// emulator and the CLI with zero configuration.
	DefaultURL = "http://localhost:9999"
	// DefaultStorageKey is the spec's default key for the persisted session.
	DefaultStorageKey = "supabase.auth.token"
	// DefaultClientInfo is sent as X-Client-Info when Options.ClientInfo is empty.
	DefaultClientInfo = "authctl-auth-go/dev"
	// DefaultLockAcquireTimeout is LOCK_ACQUIRE_TIMEOUT.
	DefaultLockAcquireTimeout = 10 * time.Second

	// APIVersionHeader and APIVersion select the error body shape
	// {"code":"…","message":"…"} on the server (spec §15).
	APIVersionHeader = "X-Supabase-Api-Version"
	APIVersion       = "2024-01-01"

	// ExpiryMargin: a session whose access token expires within this margin is
	// treated as expired (EXPIRY_MARGIN_MS), so a token handed to a caller stays
	// usable for at least a minute and a half.
	ExpiryMargin = 90 * time.Second
	// AutoRefreshTickDuration and AutoRefreshTickThreshold drive the auto-refresh
	// ticker (§11): refresh when at most 3 ticks remain before expiry.
	AutoRefreshTickDuration  = 30 * time.Second
	AutoRefreshTickThreshold = 3
	// NetworkFailureMaxRetries and NetworkFailureRetryInterval bound the refresh
	// retry loop (§11): 200 ms doubling, at most 10 retries.
	NetworkFailureMaxRetries    = 10
	NetworkFailureRetryInterval = 200 * time.Millisecond

	// DefaultMaxResponseBytes caps how much of a response body is read: a
	// misbehaving server or proxy must not make the CLI allocate without bound.
	DefaultMaxResponseBytes = 4 << 20
)

// FlowType is the OAuth flow the client uses for redirect-based sign-ins.
type FlowType string

const (
	// FlowImplicit returns tokens in the redirect URL fragment (spec default).
	FlowImplicit FlowType = "implicit"
	// FlowPKCE returns a code that ExchangeCodeForSession trades for a session;
	// the verifier stays in Storage under "{StorageKey}-code-verifier". The CLI's
	// loopback flows use it.
	FlowPKCE FlowType = "pkce"
)

// Options are the client options of spec §3.
//
// Go zero values mean "use the spec default" where the default is not a
// boolean (URL, StorageKey, Storage, FlowType, Lock, HTTPClient,
// LockAcquireTimeout, ClientInfo, Now). Booleans are explicit: start from
// DefaultOptions() to get the spec's true defaults for AutoRefreshToken and
// PersistSession.
//
// detectSessionInUrl is not an option here: there is no browser URL to read.
// A command that receives a callback URL calls ExchangeCodeForSession itself.
type Options struct {
	// URL of the Auth server, e.g. "https://REF.supabase.co/auth/v1". Paths
	// such as "/token" are appended to it.
	URL string
	// APIKey is sent as the apikey header on every request (the anon or
	// publishable key). It is never used as a bearer token by the client.
	APIKey string
	// ServiceRoleKey is the bearer token of the admin namespace. Empty for
	// ordinary users; admin calls then fail on the server.
	ServiceRoleKey string
	// Headers are sent with every request (spec "headers"). They cannot
	// override the headers the protocol needs (apikey, API version,
	// Content-Type); see HasCustomAuthorizationHeader for Authorization.
	Headers map[string]string
	// StorageKey is the key of the persisted session; the PKCE verifier lives
	// under StorageKey+"-code-verifier" and the lock is named "lock:"+StorageKey.
	StorageKey string
	// LegacyStorageKey, when set, is a key an earlier release stored this
	// client's session under without recording which server issued it. When
	// StorageKey holds nothing, a session there whose access token's iss claim
	// is this client's URL is moved to StorageKey; any other stays unused.
	LegacyStorageKey string
	// Storage persists the session. Nil means a fresh NewMemoryStorage().
	Storage Storage
	// AutoRefreshToken starts the auto-refresh ticker (§11) in NewClient. The
	// CLI leaves it off except for `authctl watch`; StartAutoRefresh starts it
	// later.
	AutoRefreshToken bool
	// PersistSession writes the session to Storage. When false the session is
	// kept in a private in-memory store and Storage is ignored (as in the
	// reference client).
	PersistSession bool
	// FlowType: FlowImplicit (default) or FlowPKCE.
	FlowType FlowType
	// Debug, when non-nil, receives one message per request, response and
	// notable internal step, with key/value pairs in log/slog style. Its
	// signature is that of (*slog.Logger).Debug, so `logger.Debug` can be passed
	// directly. Every value is already redacted: no token, key, password, code,
	// nonce, verifier or OTP reaches it.
	Debug func(msg string, args ...any)
	// Lock serializes session reads and writes (§14). Nil means the in-process
	// lock shared by all clients of the process (see NewProcessLock); the CLI
	// passes a cross-process file lock.
	Lock LockFunc
	// HTTPClient sends every request (the spec's custom fetch). Nil means a
	// client with a 30 s overall timeout; per-call deadlines come from the
	// context given to each method.
	HTTPClient *http.Client
	// LockAcquireTimeout bounds how long a method waits for the lock: zero
	// means DefaultLockAcquireTimeout (10 s), negative waits indefinitely.
	LockAcquireTimeout time.Duration
	// HasCustomAuthorizationHeader declares that Headers carries an
	// Authorization header of the embedding application. When true that header
	// is sent on requests that carry no token of their own; when false an
	// Authorization entry in Headers is ignored, because the client alone
	// decides which token a request carries.
	HasCustomAuthorizationHeader bool
	// ClientInfo is the X-Client-Info value, e.g. "authctl/1.2.3".
	ClientInfo string
	// Now is the clock used for expiry decisions. Nil means time.Now; tests
	// inject a fixed clock.
	Now func() time.Time
}

// DefaultOptions returns the spec defaults (§3, §20): DefaultURL,
// DefaultStorageKey, auto-refresh and persistence on, implicit flow, a 10 s
// lock timeout. Storage, Lock and HTTPClient stay nil and are filled by
// NewClient.
func DefaultOptions() Options {
	return Options{
		URL:                DefaultURL,
		StorageKey:         DefaultStorageKey,
		AutoRefreshToken:   true,
		PersistSession:     true,
		FlowType:           FlowImplicit,
		LockAcquireTimeout: DefaultLockAcquireTimeout,
		ClientInfo:         DefaultClientInfo,
	}
}
