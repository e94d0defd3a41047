package auth

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// Event is an auth state change (§12).
type Event string

const (
	EventInitialSession       Event = "INITIAL_SESSION"
	EventSignedIn             Event = "SIGNED_IN"
	EventSignedOut            Event = "SIGNED_OUT"
	EventTokenRefreshed       Event = "TOKEN_REFRESHED"
	EventUserUpdated          Event = "USER_UPDATED"
	EventPasswordRecovery     Event = "PASSWORD_RECOVERY"
	EventMFAChallengeVerified Event = "MFA_CHALLENGE_VERIFIED"
)

// Subscription is a registered listener (§6.25). Unsubscribe stops delivery.
type Subscription struct {
	// ID is unique within the client.
	ID       string
	callback func(Event, *Session)
	bus      *eventBus
	gone     atomic.Bool
}

// Unsubscribe removes the listener. Events not yet delivered to it are
// dropped; a delivery already running finishes. Calling it twice is harmless.
func (s *Subscription) Unsubscribe() {
	if s.gone.Swap(true) {
		return
	}
	s.bus.remove(s)
}

// delivery is one queued event and the subscriptions registered when it
// happened (a listener added later does not see earlier events).
type delivery struct {
	event   Event
	session *Session
	targets []*Subscription
	initial bool // INITIAL_SESSION: the session is loaded when delivered
}

// eventBus delivers events asynchronously, in emission order, to listeners in
// registration order, from one goroutine that exists only while deliveries are
// pending: emitting never blocks the operation that emits (it may hold the
// session lock), and an idle client has no goroutine.
type eventBus struct {
	c       *Client
	mu      sync.Mutex
	subs    []*Subscription
	queue   []delivery
	running bool
	closed  bool
	nextID  atomic.Uint64
}

func newEventBus(c *Client) *eventBus { return &eventBus{c: c} }

// OnAuthStateChange registers callback for auth events and returns at once
// (§6.25). The callback first receives INITIAL_SESSION with the current
// session (nil when signed out; loaded like GetSession, so an expired session
// is refreshed first), then every later event. Callbacks run on a delivery
// goroutine, one at a time, in registration order; a panicking callback is
// recovered and logged through Options.Debug, and the others still run. The
// *Session passed is a copy the callback may keep.
func (c *Client) OnAuthStateChange(callback func(Event, *Session)) *Subscription {
	b := c.events
	s := &Subscription{ID: "sub-" + strconv.FormatUint(b.nextID.Add(1), 10), callback: callback, bus: b}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.gone.Store(true)
		return s
	}
	b.subs = append(b.subs, s)
	b.enqueueLocked(delivery{event: EventInitialSession, targets: []*Subscription{s}, initial: true})
	return s
}

func (b *eventBus) emit(ev Event, s *Session) {
	b.c.debug("auth: event", "event", string(ev))
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(b.subs) == 0 {
		return
	}
	targets := append([]*Subscription(nil), b.subs...)
	b.enqueueLocked(delivery{event: ev, session: s.clone(), targets: targets})
}

func (b *eventBus) enqueueLocked(d delivery) {
	b.queue = append(b.queue, d)
	if !b.running {
		b.running = true
		go b.run()
	}
}

func (b *eventBus) run() {
	for {
		b.mu.Lock()
		if len(b.queue) == 0 || b.closed {
			b.queue = nil
			b.running = false
			b.mu.Unlock()
			return
		}
		d := b.queue[0]
		b.queue = b.queue[1:]
		b.mu.Unlock()

		if d.initial {
			if d.targets[0].gone.Load() {
				continue
			}
			s, err := b.c.GetSession(context.Background())
			if err != nil {
				// A busy lock or an unreachable server must not make a
				// signed-in user look signed out: report what is stored.
				b.c.debug("auth: loading the initial session failed", "error", err.Error())
				s = b.c.peekSession(context.Background())
			}
			d.session = s
		}
		for _, sub := range d.targets {
			if sub.gone.Load() || b.isClosed() {
				continue
			}
			b.call(sub, d.event, d.session.clone())
		}
	}
}

func (b *eventBus) call(sub *Subscription, ev Event, s *Session) {
	defer func() {
		if r := recover(); r != nil {
			b.c.debug("auth: auth state listener panicked", "subscription", sub.ID, "event", string(ev), "panic", fmt.Sprint(r))
		}
	}()
	sub.callback(ev, s)
}

func (b *eventBus) remove(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, x := range b.subs {
		if x == s {
			b.subs = append(b.subs[:i:i], b.subs[i+1:]...)
			return
		}
	}
}

func (b *eventBus) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

func (b *eventBus) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.queue = nil
	for _, s := range b.subs {
		s.gone.Store(true)
	}
	b.subs = nil
}
