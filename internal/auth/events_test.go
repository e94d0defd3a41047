package auth

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestEV01_InitialSessionFiresOnSubscription(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	if e := ev.next(t); e.Event != EventInitialSession || e.Session != nil {
		t.Fatalf("got %v %v, want INITIAL_SESSION with nil", e.Event, e.Session)
	}
	s := testSession(t, "rt", testNow.Unix()+3000)
	storeSession(t, c, s)
	ev2, _ := recordEvents(c) // a later subscriber gets its own INITIAL_SESSION
	if e := ev2.next(t); e.Event != EventInitialSession || e.Session == nil || e.Session.AccessToken != s.AccessToken {
		t.Fatalf("second subscriber got %v", e.Event)
	}
	ev.none(t, 50*time.Millisecond) // exactly once per subscription
}

func TestEV02_SignedInFiresAfterSignIn(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	ev.next(t)
	if _, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "rec-715f7e814d@example.com", Password: "correct-horse-9"}); err != nil {
		t.Fatal(err)
	}
	e := ev.next(t)
	if e.Event != EventSignedIn || e.Session == nil || e.Session.AccessToken != jwt || e.Session.User.Email != "rec-715f7e814d@example.com" {
		t.Fatalf("got %v %+v", e.Event, e.Session)
	}
}

func TestEV03_SignedOutFiresAfterSignOut(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "logout_global", 2, nil)
	srv.on("POST", "/logout", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	ev, _ := recordEvents(c)
	ev.next(t)
	if err := c.SignOut(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if e := ev.next(t); e.Event != EventSignedOut || e.Session != nil {
		t.Fatalf("got %v %v", e.Event, e.Session)
	}
}

func TestEV04_TokenRefreshedFiresAfterRefresh(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	ev.next(t)
	if _, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "46n6qtayn2cm"}); err != nil {
		t.Fatal(err)
	}
	if e := ev.next(t); e.Event != EventTokenRefreshed || e.Session.AccessToken != jwt {
		t.Fatalf("got %v", e.Event)
	}
}

func TestEV05_UserUpdatedFiresAfterUpdateUser(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_update_metadata", 0, nil)
	srv.on("PUT", "/user", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	ev, _ := recordEvents(c)
	ev.next(t)
	if _, err := c.UpdateUser(context.Background(), UserAttributes{Data: map[string]any{"theme": "dark"}}, ""); err != nil {
		t.Fatal(err)
	}
	e := ev.next(t)
	if e.Event != EventUserUpdated || e.Session == nil || e.Session.User.UserMetadata["theme"] != "dark" {
		t.Fatalf("got %v %+v", e.Event, e.Session)
	}
}

func TestEV06_UnsubscribeStopsDelivery(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	ev, sub := recordEvents(c)
	other, _ := recordEvents(c)
	ev.next(t)
	other.next(t)
	sub.Unsubscribe()
	sub.Unsubscribe() // harmless twice
	if _, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "x"}); err != nil {
		t.Fatal(err)
	}
	if e := other.next(t); e.Event != EventTokenRefreshed {
		t.Fatalf("other subscriber got %v", e.Event)
	}
	ev.none(t, 100*time.Millisecond)
}

func TestEventsInRegistrationOrderAndPanicsRecovered(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	var logMu sync.Mutex
	var logged []string
	c := newTestClient(t, srv.URL, func(o *Options) {
		o.Debug = func(msg string, args ...any) { logMu.Lock(); logged = append(logged, msg); logMu.Unlock() }
	})
	var mu sync.Mutex
	var order []string
	done := make(chan struct{})
	c.OnAuthStateChange(func(e Event, s *Session) {
		if e == EventTokenRefreshed {
			panic("listener bug")
		}
	})
	for _, name := range []string{"a", "b", "c"} {
		c.OnAuthStateChange(func(e Event, s *Session) {
			if e != EventTokenRefreshed {
				return
			}
			mu.Lock()
			order = append(order, name)
			if len(order) == 3 {
				close(done)
			}
			mu.Unlock()
		})
	}
	if _, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "x"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("listeners after the panicking one did not run")
	}
	mu.Lock()
	defer mu.Unlock()
	if order[0] != "a" || order[1] != "b" || order[2] != "c" {
		t.Fatalf("order = %v", order)
	}
	logMu.Lock()
	defer logMu.Unlock()
	found := false
	for _, m := range logged {
		if m == "auth: auth state listener panicked" {
			found = true
		}
	}
	if !found {
		t.Fatalf("panic not logged: %v", logged)
	}
}

func TestEventsAreDeliveredAsynchronously(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	block := make(chan struct{})
	got := make(chan Event, 4)
	c.OnAuthStateChange(func(e Event, s *Session) {
		if e == EventTokenRefreshed {
			<-block // a slow listener must not block the operation
		}
		got <- e
	})
	<-got
	finished := make(chan error, 1)
	go func() {
		_, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "x"})
		finished <- err
	}()
	select {
	case err := <-finished:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("RefreshSession waited for a listener")
	}
	close(block)
	if e := <-got; e != EventTokenRefreshed {
		t.Fatalf("got %v", e)
	}
}

func TestInitialSessionReportsStoredSessionWhenRefreshFailsOffline(t *testing.T) {
	srv := newFakeServer(t)
	url := srv.URL
	srv.Close() // offline
	c := newTestClient(t, url, nil)
	s := testSession(t, "rt", testNow.Unix()-1) // expired: GetSession would refresh and fail
	storeSession(t, c, s)
	ev, _ := recordEvents(c)
	select {
	case e := <-ev.ch:
		if e.Event != EventInitialSession || e.Session == nil || e.Session.RefreshToken != "rt" {
			t.Fatalf("got %v %+v", e.Event, e.Session)
		}
	case <-time.After(40 * time.Second): // the refresh retries for up to 30 s
		t.Fatal("no INITIAL_SESSION")
	}
}
