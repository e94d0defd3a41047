package watch

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/render"
)

// watcher turns the SDK's events and the storage poller's observations into
// one stream without duplicates. Both paths run under mu and compare with
// last, the session the latest printed line described: whichever path sees
// a change first prints it and the other then finds nothing new. The SDK
// saves a session before it emits its event, so the poller can only be ahead
// of the SDK; an SDK event whose session is no longer the stored one is stale
// (events are delivered asynchronously) and is left to the poller, which
// reports the newer state.
type watcher struct {
	mu        sync.Mutex
	st        auth.Storage
	key       string
	lw        *render.LineWriter
	now       func() time.Time
	keepGoing bool
	started   bool // INITIAL_SESSION is printed; polling compares from here
	last      *auth.Session
	ended     bool
	done      chan error // receives once: the error that ends watch (exit 3 or a write error)
}

func newWatcher(st auth.Storage, key string, lw *render.LineWriter, now func() time.Time, keepGoing bool) *watcher {
	return &watcher{st: st, key: key, lw: lw, now: now, keepGoing: keepGoing, done: make(chan error, 1)}
}

// fromSDK is the OnAuthStateChange callback.
func (w *watcher) fromSDK(ev auth.Event, s *auth.Session) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ev == auth.EventInitialSession {
		w.started = true
		w.print(ev, s)
		return
	}
	if !w.started || same(w.last, s) {
		return
	}
	if cur, err := w.stored(context.Background()); err == nil && same(cur, s) {
		w.print(ev, s)
	}
}

// poll compares the stored session with the last one printed: this is how
// other processes' refreshes, sign-ins and sign-outs reach this one.
func (w *watcher) poll(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.started || w.ended {
		return
	}
	cur, err := w.stored(ctx)
	if err != nil {
		return // a slow or locked keyring: try again next time
	}
	if ev, changed := classify(w.last, cur); changed {
		w.print(ev, cur)
	}
}

// stored reads the stored session; nil when there is none.
func (w *watcher) stored(ctx context.Context) (*auth.Session, error) {
	raw, ok, err := w.st.GetItem(ctx, w.key)
	if err != nil || !ok {
		return nil, err
	}
	return parseSession(raw), nil
}

// print writes one line and ends the watch when the session is gone.
func (w *watcher) print(ev auth.Event, s *auth.Session) {
	if w.ended {
		return
	}
	w.last = s
	err := w.lw.Write(line{Event: string(ev), Session: view(s), At: w.now().UTC().Format(time.RFC3339)})
	switch {
	case err != nil:
		w.end(err)
	case s == nil && !w.keepGoing:
		w.end(errSignedOut())
	}
}

func (w *watcher) end(err error) {
	w.ended = true
	w.done <- err
}

// line is one JSON Lines record.
type line struct {
	Event   string         `json:"event"`
	Session map[string]any `json:"session"`
	At      string         `json:"at"`
}

// secretFields are left out of printed sessions.
var secretFields = []string{"access_token", "refresh_token", "provider_token", "provider_refresh_token"}

// view is the session as printed: the Session JSON without its tokens.
func view(s *auth.Session) map[string]any {
	if s == nil {
		return nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	for _, k := range secretFields {
		delete(m, k)
	}
	return m
}

// parseSession reads a stored value; one that is not a usable session counts
// as none, as the SDK's loader treats it.
func parseSession(raw string) *auth.Session {
	var s auth.Session
	if json.Unmarshal([]byte(raw), &s) != nil || s.AccessToken == "" || s.RefreshToken == "" {
		return nil
	}
	return &s
}

// same reports whether a and b are the same state: same tokens, same user.
// The refresh token counts because it changes on every refresh, while a
// server may mint a byte-identical access token within the same second.
func same(a, b *auth.Session) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if !sameTokens(a, b) {
		return false
	}
	ua, _ := json.Marshal(a.User)
	ub, _ := json.Marshal(b.User)
	return string(ua) == string(ub)
}

// classify names the change from prev to cur the way the SDK would have
// named it had it happened in this process.
func classify(prev, cur *auth.Session) (auth.Event, bool) {
	switch {
	case same(prev, cur):
		return "", false
	case cur == nil:
		return auth.EventSignedOut, true
	case prev == nil || prev.User.ID != cur.User.ID:
		return auth.EventSignedIn, true
	case sameTokens(prev, cur):
		return auth.EventUserUpdated, true
	case aal(cur) == "aal2" && aal(prev) != "aal2":
		return auth.EventMFAChallengeVerified, true
	}
	return auth.EventTokenRefreshed, true
}

func sameTokens(a, b *auth.Session) bool {
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

func aal(s *auth.Session) string {
	jwt, err := auth.DecodeJWT(s.AccessToken)
	if err != nil {
		return ""
	}
	return jwt.Claims.AAL
}
