package auth

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Client is the spec's AuthClient. It is safe for concurrent use. Build it
// with NewClient; call Close when done if auto-refresh or listeners were
// used.
type Client struct {
	opts     Options
	baseURL  *url.URL
	storage  Storage
	lock     LockFunc
	httpc    *http.Client
	headers  http.Header // sent with every request: headersOf(opts)
	now      func() time.Time
	lockName string

	// refresh deduplication (§10): one in-flight refresh per refresh token.
	refreshMu      sync.Mutex
	refreshFlights map[string]*refreshCall

	events *eventBus
	auto   autoRefresher

	// tickDuration and retryBase are AutoRefreshTickDuration and
	// NetworkFailureRetryInterval; tests shorten them.
	tickDuration time.Duration
	retryBase    time.Duration
}

// defaultProcessLock is shared by every client of the process that has no
// Lock of its own, so two clients on the same storage key exclude each other
// as the spec's module-level process lock does.
var defaultProcessLock = NewProcessLock()

// defaultHTTPClient bounds a request the caller did not bound with a context.
var defaultHTTPClient = &http.Client{Timeout: 30 * time.Second}

// NewClient validates opts, fills the defaults and returns a client. It does
// no I/O and starts no goroutine unless opts.AutoRefreshToken is set, so
// commands that never touch the network (`authctl --help`) pay nothing.
func NewClient(opts Options) (*Client, error) {
	if opts.URL == "" {
		opts.URL = DefaultURL
	}
	u, err := url.Parse(strings.TrimRight(opts.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("auth: invalid server URL %q: want an absolute http(s) URL", RedactURL(opts.URL))
	}
	u.RawQuery, u.Fragment = "", ""
	switch opts.FlowType {
	case "":
		opts.FlowType = FlowImplicit
	case FlowImplicit, FlowPKCE:
	default:
		return nil, fmt.Errorf("auth: invalid flow type %q: want %q or %q", opts.FlowType, FlowImplicit, FlowPKCE)
	}
	if opts.StorageKey == "" {
		opts.StorageKey = DefaultStorageKey
	}
	if opts.LockAcquireTimeout == 0 {
		opts.LockAcquireTimeout = DefaultLockAcquireTimeout
	}
	if opts.ClientInfo == "" {
		opts.ClientInfo = DefaultClientInfo
	}
	c := &Client{
		opts:           opts,
		baseURL:        u,
		headers:        headersOf(opts),
		storage:        opts.Storage,
		lock:           opts.Lock,
		httpc:          opts.HTTPClient,
		now:            opts.Now,
		lockName:       "lock:" + opts.StorageKey,
		refreshFlights: map[string]*refreshCall{},
		tickDuration:   AutoRefreshTickDuration,
		retryBase:      NetworkFailureRetryInterval,
	}
	if c.storage == nil || !opts.PersistSession {
		c.storage = NewMemoryStorage()
	}
	if c.lock == nil {
		c.lock = defaultProcessLock
	}
	if c.httpc == nil {
		c.httpc = defaultHTTPClient
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.events = newEventBus(c)
	if opts.AutoRefreshToken {
		c.StartAutoRefresh()
	}
	return c, nil
}

// URL returns the server URL the client talks to (without trailing slash).
func (c *Client) URL() string { return c.baseURL.String() }

// StorageKey returns the key the session is stored under.
func (c *Client) StorageKey() string { return c.opts.StorageKey }

// FlowType returns the configured OAuth flow.
func (c *Client) FlowType() FlowType { return c.opts.FlowType }

// Close stops the auto-refresh ticker and event delivery: listeners receive
// nothing after Close returns and new subscriptions are inert. Other methods
// keep working; Close only releases the background work.
func (c *Client) Close() {
	c.StopAutoRefresh()
	c.events.close()
}

// debug forwards to Options.Debug when set. Callers pass only redacted values.
func (c *Client) debug(msg string, args ...any) {
	if c.opts.Debug != nil {
		c.opts.Debug(msg, args...)
	}
}
